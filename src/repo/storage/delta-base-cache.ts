import type { ObjectType } from './object-format.js';

export interface CachedBase {
  type: ObjectType;
  data: Buffer;
}

/**
 * Recently rebuilt delta bases, by pack and offset, least recently used first out, bounded
 * by bytes. In a pack written by `git gc --aggressive` one file's versions form chains
 * dozens of deltas deep; without this, reading each old version re-inflates and re-applies
 * the whole chain below it.
 */
export class DeltaBaseCache {
  private readonly entries = new Map<number | string, CachedBase>();
  private bytes = 0;

  constructor(readonly limitBytes: number) {}

  get(pack: number, offset: number): CachedBase | undefined {
    const key = cacheKey(pack, offset);
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(pack: number, offset: number, base: CachedBase): void {
    // One huge base would flush everything else for a single use.
    if (base.data.length > this.limitBytes / 4) return;
    const key = cacheKey(pack, offset);
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.bytes -= old.data.length;
    }
    this.entries.set(key, base);
    this.bytes += base.data.length;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.limitBytes) break;
      this.entries.delete(k);
      this.bytes -= v.data.length;
    }
  }

  /** Bytes held now (for tests and diagnostics). */
  get size(): number {
    return this.bytes;
  }
}

/**
 * One number for (pack, offset) while both fit in a double exactly (any pack under 4 TiB,
 * fewer than 2048 packs opened): cheaper to hash than a string, and this is on every step
 * of every delta chain.
 */
function cacheKey(pack: number, offset: number): number | string {
  return pack < 2048 && offset < 2 ** 42 ? pack * 2 ** 42 + offset : `${pack}:${offset}`;
}
