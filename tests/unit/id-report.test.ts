import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CONTENT_MAX_REPORTED_IDS, sendFromContent } from '@/utils/content-protocol';
import { backgroundRequestSchema } from '@/utils/protocol';
import { IdReport } from '@/entrypoints/badges.content/id-report';
import { numberedId as id } from './support/id-arbitraries';

vi.mock('@/utils/content-protocol', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/utils/content-protocol')>()),
  sendFromContent: vi.fn(),
}));

let control: AbortController;
let report: IdReport;

function sent(): unknown[] {
  return vi.mocked(sendFromContent).mock.calls.map(([message]) => message);
}

/** Lets the report timer fire and the chained sends run. */
async function afterDelay(): Promise<void> {
  await vi.advanceTimersByTimeAsync(1000);
}

beforeEach(() => {
  fakeBrowser.reset();
  vi.useFakeTimers();
  vi.mocked(sendFromContent).mockReset().mockResolvedValue({ ok: true });
  control = new AbortController();
  report = new IdReport(control.signal);
});

afterEach(() => {
  control.abort();
  vi.useRealTimers();
});

describe('IdReport', () => {
  it('sends the whole list first, then only what changed, each a message the background takes', async () => {
    report.shown(id(1));
    report.shown(id(2));
    await afterDelay();
    report.hidden(id(1));
    report.shown(id(3));
    await afterDelay();
    expect(sent()).toEqual([
      { type: 'reportIds', ids: [id(1), id(2)] },
      { type: 'reportIds', added: [id(3)], removed: [id(1)] },
    ]);
    for (const message of sent()) expect(backgroundRequestSchema.safeParse(message).success).toBe(true);
  });

  it('batches a burst into one message and sends nothing when the changes cancel out', async () => {
    report.schedule();
    await afterDelay();
    for (let n = 0; n < 100; n++) report.shown(id(n));
    for (let n = 0; n < 100; n++) report.hidden(id(n));
    await afterDelay();
    expect(sent()).toEqual([{ type: 'reportIds', ids: [] }]);
  });

  it('reports at most the cap, and IDs past it once reported ones go', async () => {
    for (let n = 0; n <= CONTENT_MAX_REPORTED_IDS; n++) report.shown(id(n));
    await afterDelay();
    expect((sent()[0] as { ids: string[] }).ids).toHaveLength(CONTENT_MAX_REPORTED_IDS);
    report.hidden(id(0));
    await afterDelay();
    expect(sent()[1]).toEqual({ type: 'reportIds', added: [id(CONTENT_MAX_REPORTED_IDS)], removed: [id(0)] });
  });

  it('sends the whole list again after a report was lost', async () => {
    vi.mocked(sendFromContent).mockRejectedValueOnce(new Error('worker restarting'));
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    report.shown(id(1));
    await afterDelay();
    report.shown(id(2));
    await afterDelay();
    expect(sent()[1]).toEqual({ type: 'reportIds', ids: [id(1), id(2)] });
  });

  it('sends nothing once its view has ended', async () => {
    report.shown(id(1));
    control.abort();
    await afterDelay();
    expect(sent()).toEqual([]);
  });
});
