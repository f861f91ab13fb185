/** How much a tab may spend at once, and how fast it earns it back. */
export interface BucketRate {
  capacity: number;
  perSecond: number;
}

export interface Bucket {
  tokens: number;
  /** Epoch ms the tokens were counted at. */
  at: number;
}

/**
 * A token bucket per tab. Tabs are kept in the order they last spent, and past `maxTabs` the one
 * idle longest is dropped (a dropped tab starts full again); a full bucket is not kept at all.
 * Every operation is O(1).
 */
export class TabBuckets {
  private readonly buckets = new Map<number, Bucket>();

  constructor(
    private readonly rate: BucketRate,
    private readonly maxTabs = 500,
    entries: Iterable<[number, Bucket]> = [],
  ) {
    for (const [tabId, bucket] of entries) this.buckets.set(tabId, bucket);
  }

  /** Spends up to `wanted` of the tab's tokens; returns how many it got. */
  take(tabId: number, wanted: number, now: number): number {
    const tokens = this.level(tabId, now);
    const granted = Math.max(0, Math.min(wanted, Math.floor(tokens)));
    this.buckets.delete(tabId);
    this.buckets.set(tabId, { tokens: tokens - granted, at: now });
    if (this.buckets.size > this.maxTabs) this.buckets.delete(this.buckets.keys().next().value!);
    return granted;
  }

  forget(tabId: number): boolean {
    return this.buckets.delete(tabId);
  }

  /** The buckets that are not full, oldest first, to be stored. */
  entries(now: number): [number, Bucket][] {
    return [...this.buckets].filter(([tabId]) => this.level(tabId, now) < this.rate.capacity);
  }

  private level(tabId: number, now: number): number {
    const bucket = this.buckets.get(tabId);
    if (!bucket) return this.rate.capacity;
    // A clock that went back earns nothing.
    const earned = (Math.max(0, now - bucket.at) / 1000) * this.rate.perSecond;
    return Math.min(this.rate.capacity, bucket.tokens + earned);
  }
}
