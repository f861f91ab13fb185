import { z } from '@/utils/zod';
import { SessionMirror } from './session-mirror';
import { TabBuckets, type BucketRate } from './tab-buckets';

/**
 * Uncached IDs a tab may have asked of the API one by one. A page can plant IDs and read
 * whether a badge appears: past this, its IDs are answered from the cache and the list only, so
 * probing costs the API nothing and learns new IDs only as fast as the budget refills. A person
 * reading CRM records stays far below it.
 */
export const LOOKUP_BUDGET: BucketRate = { capacity: 300, perSecond: 1 };

const storedSchema = z.array(z.tuple([z.number().int(), z.object({ tokens: z.number(), at: z.number() })])).max(500);

/**
 * The per-tab budget of uncached lookups. In `storage.session`: a worker stopped while a page
 * probes must not start the page's budget afresh.
 */
export class LookupBudget {
  private readonly mirror = new SessionMirror<TabBuckets>({
    key: 'session:lookupBudget',
    load: (raw) => new TabBuckets(LOOKUP_BUDGET, undefined, storedSchema.safeParse(raw).data ?? []),
    save: (buckets) => buckets.entries(this.now()),
  });

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Of `ids`, those the tab may still have looked up one by one; the rest are spent on nothing. */
  async admit(tabId: number, ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const buckets = await this.mirror.get();
    const granted = buckets.take(tabId, ids.length, this.now());
    this.mirror.markDirty();
    return ids.slice(0, granted);
  }

  async forgetTab(tabId: number): Promise<void> {
    if ((await this.mirror.get()).forget(tabId)) this.mirror.markDirty();
  }
}
