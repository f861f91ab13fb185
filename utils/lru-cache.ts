/**
 * A size-bounded map that drops the least recently used key first. A Map keeps insertion
 * order, so moving a key to the end on use makes the first key the eviction candidate.
 */
export class LruCache<V> {
  private readonly map = new Map<string, V>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
  }

  /** Oldest first, so `LruCache.from(cache.entries())` restores the same order. */
  static from<V>(entries: Iterable<readonly [string, V]>, capacity: number): LruCache<V> {
    const cache = new LruCache<V>(capacity);
    for (const [key, value] of entries) cache.set(key, value);
    return cache;
  }

  get size(): number {
    return this.map.size;
  }

  /** Reads a value and marks it as used. */
  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }

  /** Reads a value without changing its place in the order. */
  peek(key: string): V | undefined {
    return this.map.get(key);
  }

  /** Stores a value as the most recently used; returns the keys evicted to make room. */
  set(key: string, value: V): string[] {
    this.map.delete(key);
    this.map.set(key, value);
    const evicted: string[] = [];
    while (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value as string;
      this.map.delete(oldest);
      evicted.push(oldest);
    }
    return evicted;
  }

  entries(): [string, V][] {
    return [...this.map.entries()];
  }
}
