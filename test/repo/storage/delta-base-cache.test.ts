import { describe, expect, it } from '@jest/globals';
import { DeltaBaseCache } from '../../../src/repo/storage/delta-base-cache.js';

const base = (bytes: number) => ({ type: 'blob' as const, data: Buffer.alloc(bytes) });

describe('DeltaBaseCache', () => {
  it('drops the least recently used bases once over its byte limit', () => {
    const cache = new DeltaBaseCache(100);
    for (let offset = 0; offset < 5; offset++) cache.set(1, offset, base(20));
    expect(cache.size).toBe(100);
    cache.get(1, 0);
    cache.set(1, 5, base(20));
    expect(cache.size).toBe(100);
    expect(cache.get(1, 0)).toBeDefined();
    expect(cache.get(1, 1)).toBeUndefined();
    expect(cache.get(1, 2)).toBeDefined();
  });

  it('keeps packs apart, and replaces an entry rather than counting it twice', () => {
    const cache = new DeltaBaseCache(100);
    cache.set(1, 12, base(10));
    cache.set(2, 12, base(20));
    cache.set(2, 12, base(15));
    expect(cache.get(1, 12)?.data.length).toBe(10);
    expect(cache.get(2, 12)?.data.length).toBe(15);
    expect(cache.size).toBe(25);
  });

  it('does not let one large base push out everything else', () => {
    const cache = new DeltaBaseCache(100);
    cache.set(1, 1, base(20));
    cache.set(1, 2, base(60));
    expect(cache.get(1, 2)).toBeUndefined();
    expect(cache.get(1, 1)).toBeDefined();
  });
});
