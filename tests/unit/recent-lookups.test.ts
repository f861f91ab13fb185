import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { addRecentLookup, loadRecentLookups, MAX_RECENT_LOOKUPS } from '@/utils/recent-lookups';
import { numberedId as id } from './support/id-arbitraries';

describe('recent lookups', () => {
  beforeEach(() => fakeBrowser.reset());

  it('puts the newest first without duplicates', () => {
    const list = addRecentLookup(addRecentLookup(addRecentLookup([], id(1), 1), id(2), 2), id(1), 3);
    expect(list).toEqual([
      { id: id(1), at: 3 },
      { id: id(2), at: 2 },
    ]);
  });

  it('keeps the last ten', () => {
    let list = addRecentLookup([], id(0), 0);
    for (let n = 1; n <= 15; n++) list = addRecentLookup(list, id(n), n);
    expect(list).toHaveLength(MAX_RECENT_LOOKUPS);
    expect(list[0]?.id).toBe(id(15));
    expect(list.at(-1)?.id).toBe(id(6));
  });

  it('drops a stored list that is not what it should be', async () => {
    await fakeBrowser.storage.local.set({ recentLookups: [{ id: 'javascript:alert(1)', at: 1 }] });
    expect(await loadRecentLookups()).toEqual([]);
    await fakeBrowser.storage.local.set({ recentLookups: [{ id: id(1), at: 1 }] });
    expect(await loadRecentLookups()).toEqual([{ id: id(1), at: 1 }]);
  });
});
