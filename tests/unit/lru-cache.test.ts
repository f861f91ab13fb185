import { describe, expect, it } from 'vitest';
import { LruCache } from '@/utils/lru-cache';

describe('LruCache', () => {
  it('evicts the least recently used key when full', () => {
    const cache = new LruCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    expect(cache.set('c', 3)).toEqual(['b']);
    expect(cache.peek('b')).toBeUndefined();
    expect(cache.entries()).toEqual([
      ['a', 1],
      ['c', 3],
    ]);
  });

  it('peek does not refresh a key', () => {
    const cache = new LruCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.peek('a');
    cache.set('c', 3);
    expect(cache.peek('a')).toBeUndefined();
  });

  it('overwriting a key moves it to the end without growing', () => {
    const cache = new LruCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.set('a', 10)).toEqual([]);
    cache.set('c', 3);
    expect(cache.entries()).toEqual([
      ['a', 10],
      ['c', 3],
    ]);
  });

  it('restores the same order from its entries', () => {
    const cache = LruCache.from(
      [
        ['a', 1],
        ['b', 2],
        ['c', 3],
      ],
      2,
    );
    expect(cache.size).toBe(2);
    expect(cache.entries().map(([k]) => k)).toEqual(['b', 'c']);
  });

  it('refuses a capacity below one', () => {
    expect(() => new LruCache(0)).toThrow(RangeError);
  });
});
