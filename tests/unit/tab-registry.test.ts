import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { TabRegistry } from '@/entrypoints/background/tab-registry';
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

  it('holds all frames together to 20,000 IDs, dropping the oldest tabs’ frames first', async () => {
    for (let tab = 1; tab <= 11; tab++) {
      await tabs.report(
        { tabId: tab, frameId: 0 },
        { ids: Array.from({ length: MAX_REPORTED_IDS }, (_, i) => id(tab * 10_000 + i)) },
      );
    }
    await tabs.report({ tabId: 11, frameId: 0 }, { added: [id(999_999)], removed: [id(110_000)] });
    const frames = await tabs.frames();
    expect(frames.reduce((sum, f) => sum + f.ids.length, 0)).toBeLessThanOrEqual(20_000);
    expect(frames.map((f) => f.tabId)).not.toContain(1);
    expect(frames.find((f) => f.tabId === 11)?.ids).toContain(id(999_999));
  });
});
