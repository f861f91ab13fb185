import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sendFromContent, type BadgeResult } from '@/utils/content-protocol';
import { LookupClient } from '@/entrypoints/badges.content/lookup-client';
import { numberedId as id } from './support/id-arbitraries';

vi.mock('@/utils/content-protocol', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/utils/content-protocol')>()),
  sendFromContent: vi.fn(),
}));

let control: AbortController;
let client: LookupClient;
let answers: Map<string, BadgeResult>;

/** The IDs of every lookup sent so far, one array per message. */
function asked(): string[][] {
  return vi.mocked(sendFromContent).mock.calls.map(([message]) => (message as { ids: string[] }).ids);
}

async function settle(): Promise<void> {
  await vi.runAllTimersAsync();
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal('requestIdleCallback', undefined);
  answers = new Map();
  vi.mocked(sendFromContent).mockReset();
  vi.mocked(sendFromContent).mockImplementation(async (message) => {
    const ids = (message as { ids: string[] }).ids;
    const results = Object.fromEntries(ids.map((each) => [each, answers.get(each) ?? { status: 'not_connected' }]));
    return { state: { kind: 'ready' }, results } as never;
  });
  control = new AbortController();
  client = new LookupClient(control.signal, () => {});
});

afterEach(() => {
  control.abort();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('LookupClient', () => {
  it('asks about IDs requested together in one message', async () => {
    client.request(id(1), 'visible');
    client.request(id(2), 'visible');
    client.request(id(1), 'visible');
    await settle();
    expect(asked()).toEqual([[id(1), id(2)]]);
    expect(client.results.get(id(2))).toEqual({ status: 'not_connected' });
  });

  it('never asks again about an ID it has an answer for', async () => {
    client.request(id(1), 'idle');
    await settle();
    client.request(id(1), 'visible');
    client.request(id(1), 'idle');
    await settle();
    expect(asked()).toEqual([[id(1)]]);
  });

  it('asks about an ID the service could not answer only once the service is back', async () => {
    answers.set(id(1), { status: 'unknown' });
    client.request(id(1), 'idle');
    await settle();
    client.request(id(1), 'visible');
    await settle();
    expect(asked()).toEqual([[id(1)]]);

    answers.set(id(1), { status: 'not_connected' });
    client.retryUnknown();
    await settle();
    expect(asked()).toEqual([[id(1)], [id(1)]]);
    expect(client.results.get(id(1))).toEqual({ status: 'not_connected' });
  });

  it('asks again, when next requested, about an ID whose lookup and its retry both failed', async () => {
    vi.mocked(sendFromContent).mockRejectedValue(new Error('no worker'));
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => {});
    client.request(id(1), 'visible');
    await settle();
    expect(asked()).toEqual([[id(1)], [id(1)]]);
    expect(warned).toHaveBeenCalledOnce();
    client.request(id(1), 'visible');
    await settle();
    expect(asked()).toHaveLength(4);
  });

  it('sends a long page a message at a time, and an ID still waiting goes ahead when it comes into view', async () => {
    const sends: { ids: string[]; priority: string; answer(): void }[] = [];
    vi.mocked(sendFromContent).mockImplementation((message) => {
      const { ids, priority } = message as { ids: string[]; priority: string };
      return new Promise((resolve) => {
        const answer = () => resolve({ state: { kind: 'ready' }, results: Object.fromEntries(ids.map((each) => [each, { status: 'not_connected' }])) } as never);
        sends.push({ ids, priority, answer });
      });
    });
    for (let n = 1; n <= 1200; n++) client.request(id(n), 'idle');
    await settle();
    expect(sends.map((m) => m.ids.length)).toEqual([500]);
    expect(client.awaitingInView()).toHaveLength(1200);

    // One sent and awaited, one still waiting here: both are asked for in view, once.
    client.promote([id(3), id(900), id(900)]);
    await settle();
    expect(sends.slice(1).map((m) => [m.priority, m.ids])).toEqual([['visible', [id(3), id(900)]]]);
    expect(client.awaitingInView()).not.toContain(id(900));
    client.promote([id(3), id(900)]);
    await settle();
    expect(sends).toHaveLength(2);

    sends[1]!.answer();
    sends[0]!.answer();
    await settle();
    sends[2]!.answer();
    await settle();
    sends[3]?.answer();
    await settle();
    expect(sends.filter((m) => m.priority === 'idle').map((m) => m.ids.length)).toEqual([500, 500, 199]);
    expect(sends.flatMap((m) => m.ids).filter((each) => each === id(900))).toHaveLength(1);
    expect(client.awaitingInView()).toEqual([]);
  });

  it('promotes nothing it has an answer for or never asked', async () => {
    client.request(id(1), 'idle');
    await settle();
    client.promote([id(1), id(2)]);
    await settle();
    expect(asked()).toEqual([[id(1)]]);
  });
});
