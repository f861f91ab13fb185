import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { MAX_ADDRESS_LENGTH, MAX_FRAMES_PER_TAB, MAX_REGISTRY_BYTES, TabRegistry } from '@/entrypoints/background/tab-registry';
import { MAX_REPORTED_IDS } from '@/utils/protocol';
import { numberedId as id } from './support/id-arbitraries';

const FRAME = { tabId: 3, frameId: 0, url: 'https://acme.lightning.force.com/lightning/page' };

let tabs: TabRegistry;

beforeEach(() => {
  fakeBrowser.reset();
  tabs = new TabRegistry();
});

async function idsOf(frame = FRAME): Promise<string[]> {
  return (await tabs.framesOfTab(frame.tabId)).find((f) => f.frameId === frame.frameId)?.ids ?? [];
}

describe('TabRegistry reports', () => {
  it('replaces a frame’s list with a whole report and changes it with a partial one', async () => {
    await tabs.report(FRAME, { ids: [id(1), id(2), id(3)] });
    await tabs.report(FRAME, { added: [id(4)], removed: [id(2)] });
    expect(await idsOf()).toEqual([id(1), id(3), id(4)]);
    await tabs.report(FRAME, { ids: [id(9)] });
    expect(await idsOf()).toEqual([id(9)]);
    await tabs.report(FRAME, { removed: [id(9)] });
    expect(await idsOf()).toEqual([]);
  });

  it('keeps IDs a lookup added when a partial report does not remove them', async () => {
    await tabs.report(FRAME, { ids: [id(1)] });
    await tabs.report(FRAME, { added: [id(2)] });
    await tabs.report(FRAME, { added: [id(1), id(3)], removed: [] });
    expect(await idsOf()).toEqual([id(1), id(2), id(3)]);
  });

  it('holds partial reports to the per-frame cap, keeping the newest', async () => {
    await tabs.report(FRAME, { ids: Array.from({ length: MAX_REPORTED_IDS }, (_, i) => id(i)) });
    await tabs.report(FRAME, { added: [id(50_000), id(50_001)], removed: [] });
    const ids = await idsOf();
    expect(ids).toHaveLength(MAX_REPORTED_IDS);
    expect(ids.slice(-2)).toEqual([id(50_000), id(50_001)]);
    expect(ids).not.toContain(id(0));
  });

  it('holds all frames together to the byte budget, dropping the oldest tabs\u2019 frames first', async () => {
    for (let tab = 1; tab <= 11; tab++) {
      await tabs.report(
        { tabId: tab, frameId: 0 },
        { ids: Array.from({ length: MAX_REPORTED_IDS }, (_, i) => id(tab * 10_000 + i)) },
      );
    }
    await tabs.report({ tabId: 11, frameId: 0 }, { added: [id(999_999)], removed: [id(110_000)] });
    const frames = await tabs.frames();
    expect(await storedBytes()).toBeLessThanOrEqual(MAX_REGISTRY_BYTES);
    expect(frames.map((f) => f.tabId)).not.toContain(1);
    expect(frames.map((f) => f.tabId)).toContain(10);
    expect(frames.find((f) => f.tabId === 11)?.ids).toContain(id(999_999));
  });
});

/** What the registry weighs in storage.session, as Chrome counts it: the JSON of key and value. */
async function storedBytes(): Promise<number> {
  await vi.waitFor(async () => expect((await fakeBrowser.storage.session.get('tabIds')).tabIds).toBeDefined());
  // Writes are coalesced behind a microtask: wait for the last one to land.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const { tabIds } = await fakeBrowser.storage.session.get('tabIds');
  return 'tabIds'.length + JSON.stringify(tabIds).length;
}

describe('a page cannot fill storage.session through the registry', () => {
  const LONG = `https://acme.lightning.force.com/lightning/page?q=${'q'.repeat(100_000)}#${'f'.repeat(1_000_000)}`;

  it('keeps origin and path only, bounded, whatever the query and fragment', async () => {
    await tabs.report({ tabId: 3, frameId: 0, url: LONG }, { ids: [id(1)] });
    await tabs.report({ tabId: 3, frameId: 1, url: `https://acme.lightning.force.com/${'p'.repeat(5000)}` }, { ids: [id(2)] });
    const [first, second] = await tabs.framesOfTab(3);
    expect(first?.url).toBe('https://acme.lightning.force.com/lightning/page');
    expect(second?.url?.length).toBe(MAX_ADDRESS_LENGTH);
    expect(await storedBytes()).toBeLessThan(1000 + MAX_ADDRESS_LENGTH);
  });

  it('keeps a tab to its frame cap: a churn of frames pushes out that tab\u2019s oldest, no other tab\u2019s', async () => {
    await tabs.report({ tabId: 1, frameId: 0, url: 'https://app.hubspot.com/contacts' }, { ids: [id(1)] });
    for (let frame = 0; frame < 5_000; frame++) {
      await tabs.report({ tabId: 2, frameId: frame, url: 'about:blank' }, { added: [] });
    }
    const churned = await tabs.framesOfTab(2);
    expect(churned).toHaveLength(MAX_FRAMES_PER_TAB);
    expect(churned.map((f) => f.frameId)).toEqual(Array.from({ length: MAX_FRAMES_PER_TAB }, (_, i) => 5_000 - MAX_FRAMES_PER_TAB + i));
    expect(await tabs.framesOfTab(1)).toEqual([{ tabId: 1, frameId: 0, url: 'https://app.hubspot.com/contacts', ids: [id(1)] }]);
  });

  it('past the byte budget evicts within the reporting tab first; other tabs keep their frames', async () => {
    await tabs.report({ tabId: 1, frameId: 0, url: 'https://app.hubspot.com/contacts' }, { ids: [id(1), id(2)] });
    await tabs.report({ tabId: 1, frameId: 4, url: 'https://app.hubspot.com/contacts' }, { ids: [id(3)] });
    // Each frame of the flood is as big as a frame may be: a full list of IDs and a long address.
    const full = (frame: number) => Array.from({ length: MAX_REPORTED_IDS }, (_, i) => id(frame * 10_000 + i));
    for (let frame = 0; frame < 40; frame++) {
      await tabs.report({ tabId: 2, frameId: frame, url: `https://acme.lightning.force.com/${'x'.repeat(2000)}` }, { ids: full(frame + 1) });
    }
    expect(await storedBytes()).toBeLessThanOrEqual(MAX_REGISTRY_BYTES);
    expect((await tabs.framesOfTab(1)).map((f) => f.frameId)).toEqual([0, 4]);
    const flood = await tabs.framesOfTab(2);
    expect(flood.at(-1)?.frameId).toBe(39);
    expect(flood.length).toBeLessThan(40);
  });

  it('a registry stored by an older build, or corrupted, is dropped, not trusted', async () => {
    await fakeBrowser.storage.session.set({ tabIds: { 7: { 0: { url: LONG, ids: [id(1)] } } } });
    expect(await new TabRegistry().frames()).toEqual([]);
    await fakeBrowser.storage.session.set({ tabIds: [[7, 0, LONG, [id(1)]]] });
    expect(await new TabRegistry().frames()).toEqual([]);
  });

  it('a stored registry comes back in the same order, within the caps', async () => {
    await tabs.report({ tabId: 1, frameId: 2, url: 'https://app.hubspot.com/a' }, { ids: [id(1)] });
    await tabs.report({ tabId: 2, frameId: 0, url: 'https://app.hubspot.com/b' }, { ids: [id(2)] });
    await tabs.report({ tabId: 1, frameId: 0, url: 'https://app.hubspot.com/c' }, { ids: [id(3)] });
    await storedBytes();
    const restored = await new TabRegistry().frames();
    expect(restored.map((f) => [f.tabId, f.frameId])).toEqual([
      [2, 0],
      [1, 2],
      [1, 0],
    ]);
  });
});
