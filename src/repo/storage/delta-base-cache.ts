import type { ObjectType } from './object-format.js';
import { WeightedLru } from './weighted-lru.js';

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
  private readonly entries: WeightedLru<number | string, CachedBase>;

  constructor(readonly limitBytes: number) {
    this.entries = new WeightedLru(limitBytes, (base) => base.data.length);
  }

  get(pack: number, offset: number): CachedBase | undefined {
    return this.entries.get(cacheKey(pack, offset));
  }

  set(pack: number, offset: number, base: CachedBase): void {
    // One huge base would flush everything else for a single use.
    if (base.data.length > this.limitBytes / 4) return;
    this.entries.set(cacheKey(pack, offset), base);
  }

  /** Bytes held now (for tests and diagnostics). */
  get size(): number {
    return this.entries.weight;
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
