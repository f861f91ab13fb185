import { LookupBudget } from './lookup-budget';
import type { Asker } from './message-router';
import { TabBuckets, type BucketRate } from './tab-buckets';

/**
 * Messages the frames of one tab may send together. The bursts of a page of tens of thousands
 * of IDs (a lookup and a report per 500) fit; a compromised renderer's flood does not.
 */
export const MESSAGE_RATE: BucketRate = { capacity: 600, perSecond: 100 };

/**
 * What pages may make the background do: how often a tab's frames are heard, and how many API
 * calls their IDs may cause. Our own top-level pages (popup, options) are not limited: a person
 * is asking there.
 */
export class PageLimits {
  private readonly messages = new TabBuckets(MESSAGE_RATE);
  private readonly budget: LookupBudget;

  constructor(
    private readonly now: () => number = () => Date.now(),
    /** When the pause a 429 put on the API's calls ends (the circuit breaker's), if one holds now. */
    private readonly pausedUntil: () => Promise<number | undefined> = () => Promise.resolve(undefined),
  ) {
    this.budget = new LookupBudget(now);
  }

  /** Whether a message is heard: within its tab's rate, or not from a page at all. */
  admitMessage(asker: Asker): boolean {
    if (asker.kind === 'extension' || asker.tabId === undefined) return true;
    return this.messages.take(asker.tabId, 1, this.now()) === 1;
  }

  /**
   * For `LookupService.lookup`: which of a page's uncached IDs may each cost a call. None while
   * the API asks us to wait after a 429, then those within the tab's budget.
   */
  callsAdmitted(asker: Asker): ((ids: string[]) => Promise<string[]>) | undefined {
    if (asker.kind === 'extension') return undefined;
    return async (ids) => {
      if (asker.tabId === undefined || (await this.pausedUntil()) !== undefined) return [];
      return this.budget.admit(asker.tabId, ids);
    };
  }

  async forgetTab(tabId: number): Promise<void> {
    this.messages.forget(tabId);
    await this.budget.forgetTab(tabId);
  }
}
