import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { LOOKUP_BUDGET, LookupBudget } from '@/entrypoints/background/lookup-budget';
import { MESSAGE_RATE, PageLimits } from '@/entrypoints/background/page-limits';
import { TabBuckets } from '@/entrypoints/background/tab-buckets';
import { numberedId } from './support/id-arbitraries';

const ids = (count: number, from = 0) => Array.from({ length: count }, (_, i) => numberedId(from + i));

beforeEach(() => {
  fakeBrowser.reset();
});

describe('TabBuckets', () => {
  it('gives a tab its capacity at once, then what it earns back, and each tab its own', () => {
    const buckets = new TabBuckets({ capacity: 10, perSecond: 2 });
    expect(buckets.take(1, 8, 0)).toBe(8);
    expect(buckets.take(1, 8, 0)).toBe(2);
    expect(buckets.take(1, 1, 400)).toBe(0);
    expect(buckets.take(1, 5, 1000)).toBe(2);
    expect(buckets.take(2, 10, 1000)).toBe(10);
    // Never more than the capacity, however long the tab was idle; a clock going back earns nothing.
    expect(buckets.take(1, 50, 3_600_000)).toBe(10);
    expect(buckets.take(1, 1, 0)).toBe(0);
  });

  it('keeps a bounded number of tabs, dropping the one idle longest, and stores only buckets not full', () => {
    const buckets = new TabBuckets({ capacity: 4, perSecond: 1 }, 3);
    for (const tab of [1, 2, 3, 4]) buckets.take(tab, 4, 0);
    expect(buckets.entries(0).map(([tab]) => tab)).toEqual([2, 3, 4]);
    expect(buckets.entries(10_000)).toEqual([]);
  });
});

describe('LookupBudget', () => {
  it('admits a tab\'s uncached IDs up to its budget, and a new worker does not start it afresh', async () => {
    let now = 1_000_000;
    const budget = new LookupBudget(() => now);
    expect(await budget.admit(7, ids(LOOKUP_BUDGET.capacity - 10))).toHaveLength(LOOKUP_BUDGET.capacity - 10);
    expect(await budget.admit(7, ids(50, 1000))).toEqual(ids(10, 1000));
    expect(await budget.admit(8, ids(5))).toHaveLength(5);
    await new Promise((resolve) => setTimeout(resolve, 0));

    const restarted = new LookupBudget(() => now);
    expect(await restarted.admit(7, ids(5))).toEqual([]);
    now += 3000;
    expect(await restarted.admit(7, ids(10))).toHaveLength(Math.floor(3 * LOOKUP_BUDGET.perSecond));
    await restarted.forgetTab(7);
    expect(await restarted.admit(7, ids(5))).toHaveLength(5);
  });
});

describe('PageLimits', () => {
  const content = (tabId: number) => ({ kind: 'content' as const, tabId, frameId: 0 });
  const card = { kind: 'card' as const, tabId: 7, frameId: 3 };
  const popup = { kind: 'extension' as const };

  it('hears a tab\'s frames up to the message rate, other tabs and our own pages whatever one tab does', () => {
    let now = 0;
    const limits = new PageLimits(() => now);
    let heard = 0;
    for (let i = 0; i < MESSAGE_RATE.capacity * 3; i++) if (limits.admitMessage(i % 2 ? content(7) : card)) heard += 1;
    expect(heard).toBe(MESSAGE_RATE.capacity);
    expect(limits.admitMessage(content(8))).toBe(true);
    expect(limits.admitMessage(popup)).toBe(true);
    now += 1000;
    expect(limits.admitMessage(content(7))).toBe(true);
  });

  it('admits calls for a page\'s uncached IDs within its tab\'s budget, none during a pause, all for our own pages', async () => {
    let pausedUntil: number | undefined = undefined;
    const limits = new PageLimits(() => 5_000, async () => pausedUntil);
    expect(limits.callsAdmitted(popup)).toBeUndefined();
    const admit = limits.callsAdmitted(content(7))!;
    expect(await admit(ids(LOOKUP_BUDGET.capacity + 50))).toHaveLength(LOOKUP_BUDGET.capacity);
    expect(await limits.callsAdmitted(content(9))!(ids(3))).toHaveLength(3);
    pausedUntil = 65_000;
    expect(await limits.callsAdmitted(content(10))!(ids(3))).toEqual([]);
    expect(await limits.callsAdmitted(card)!(ids(3))).toEqual([]);
  });
});
