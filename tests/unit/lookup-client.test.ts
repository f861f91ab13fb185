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
});
