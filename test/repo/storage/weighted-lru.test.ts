import { describe, expect, it } from '@jest/globals';
import { WeightedLru } from '../../../src/repo/storage/weighted-lru.js';

const lru = (limit: number) => new WeightedLru<string, string>(limit, (v) => v.length);

describe('WeightedLru', () => {
  it('drops the least recently used entries once over its weight', () => {
    const cache = lru(10);
    cache.set('a', 'aaa');
    cache.set('b', 'bbb');
    cache.set('c', 'ccc');
    expect(cache.get('a')).toBe('aaa');
    cache.set('d', 'dd');
    expect(cache.has('b')).toBe(false);
    expect([cache.has('a'), cache.has('c'), cache.has('d')]).toEqual([true, true, true]);
    expect(cache.weight).toBe(8);
  });

  it('peek does not save an entry from eviction; get does', () => {
    const cache = lru(6);
    cache.set('a', 'aaa');
    cache.set('b', 'bbb');
    expect(cache.peek('a')).toBe('aaa');
    cache.set('c', 'c');
    expect(cache.has('a')).toBe(false);
    expect(cache.get('b')).toBe('bbb');
    cache.set('d', 'ddd');
    expect(cache.has('c')).toBe(false);
    expect(cache.has('b')).toBe(true);
  });

  it('replaces an entry rather than counting it twice, and drops one heavier than the limit', () => {
    const cache = lru(5);
    cache.set('a', 'aa');
    cache.set('a', 'aaaa');
    expect(cache.weight).toBe(4);
    expect(cache.size).toBe(1);
    cache.set('big', 'xxxxxxx');
    expect(cache.size).toBe(0);
    expect(cache.weight).toBe(0);
    cache.set('a', 'a');
    cache.clear();
    expect([cache.size, cache.weight]).toEqual([0, 0]);
  });
});
