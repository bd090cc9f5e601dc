/**
 * A map that keeps its least recently used entries out once their total weight passes a
 * limit: bytes for blobs and delta bases, entries for parsed trees. A Map iterates in
 * insertion order, so moving an entry to the end on each hit keeps the oldest first.
 */
export class WeightedLru<K, V> {
  private readonly entries = new Map<K, V>();
  private total = 0;

  constructor(
    readonly limit: number,
    private readonly weigh: (value: V) => number,
  ) {}

  /** The value, now the most recently used. */
  get(key: K): V | undefined {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  /** The value, without changing its place in the order. */
  peek(key: K): V | undefined {
    return this.entries.get(key);
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** Adds or replaces an entry, then drops the oldest while over the limit (this one too, if it alone is). */
  set(key: K, value: V): void {
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.entries.delete(key);
      this.total -= this.weigh(old);
    }
    this.entries.set(key, value);
    this.total += this.weigh(value);
    // Most sets stay under the limit: no iterator made for them (every object a pick reads is set).
    if (this.total <= this.limit) return;
    for (const [k, v] of this.entries) {
      if (this.total <= this.limit) break;
      this.entries.delete(k);
      this.total -= this.weigh(v);
    }
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }

  /** The total weight held now. */
  get weight(): number {
    return this.total;
  }

  /** How many entries are held now. */
  get size(): number {
    return this.entries.size;
  }
}
