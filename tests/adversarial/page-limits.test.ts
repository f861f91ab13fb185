import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startMockApi, type MockApi } from '../../mock-api/server';
import { DEMO_ORG_IDS } from '../../mock-api/seed';
import { LOOKUP_BUDGET } from '@/entrypoints/background/lookup-budget';
import { MESSAGE_RATE } from '@/entrypoints/background/page-limits';
import { MAX_IDS_PER_LOOKUP, type LookupStatus } from '@/utils/protocol';
import { numberedId } from '../unit/support/id-arbitraries';
import { requestsTo, saveMockSettings } from './lookup-stack';
import { attack, fault } from './tally';
import { senders, startWorker, type Worker } from './worker-harness';

/** An account the list answers for, and one too big for the list, where every uncached ID is a call of its own. */
let small: MockApi;
let big: MockApi;
let api: MockApi;
let worker: Worker;
const ACME = DEMO_ORG_IDS.acme;

/** IDs a page plants to learn, from which badges appear, whether the user's organization knows them. */
const planted = (count: number, from = 0) => Array.from({ length: count }, (_, i) => numberedId(900_000 + from + i));

type LookupAnswer = { ok: true; value: { results: Record<string, { status: LookupStatus }> } };

async function plant(ids: string[], tab = 7): Promise<Record<string, { status: LookupStatus }>> {
  const results: Record<string, { status: LookupStatus }> = {};
  for (let i = 0; i < ids.length; i += MAX_IDS_PER_LOOKUP) {
    const answer = (await worker.send({ type: 'lookup', ids: ids.slice(i, i + MAX_IDS_PER_LOOKUP), priority: 'visible' }, senders.content(tab))) as LookupAnswer;
    Object.assign(results, answer.value.results);
  }
  return results;
}

/** Single calls (`/host-connections/{id}`), the list aside. */
const singleCalls = () => requestsTo(api, '/host-connections/').length;
const listCalls = () => requestsTo(api, '/host-connections').filter((r) => !r.path.includes('/host-connections/')).length;

beforeAll(async () => {
  [small, big] = await Promise.all([startMockApi({ port: 0 }), startMockApi({ port: 0, connections: 5001 })]);
});
afterAll(async () => {
  await Promise.all([small?.close(), big?.close()]);
});
beforeEach(() => {
  fakeBrowser.reset();
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.useRealTimers();
});

async function signIn(account: MockApi): Promise<void> {
  api = account;
  api.clearFaults();
  await saveMockSettings(api, { cacheTtlSeconds: 600 });
  worker = await startWorker();
  expect(await worker.send({ type: 'saveCredentials', auth: { mode: 'client', ...api.devClient, remember: false } }, senders.options)).toMatchObject({
    ok: true,
    value: { ok: true },
  });
  api.clearRequests();
}

describe('a page probing IDs learns slowly and costs the API little', { timeout: 120_000 }, () => {
  it('where the list cannot answer, a tab\'s uncached IDs cost at most its budget of calls; the rest are not asked', async () => {
    await signIn(big);
    const ids = planted(1500);
    // The clock stands still, so the budget earns nothing back while the calls are made.
    vi.useFakeTimers({ toFake: ['Date'] });
    const results = await plant(ids);
    const spent = singleCalls();
    await attack(() => {
      expect(spent).toBe(LOOKUP_BUDGET.capacity);
      const unasked = ids.filter((id) => results[id]?.status === 'unknown');
      expect(unasked).toHaveLength(ids.length - spent);
    });
    // Another tab has a budget of its own: the page cannot spend it.
    await attack(async () => {
      const other = await plant([ACME, ...planted(5, 5000)], 8);
      expect(other[ACME]).toMatchObject({ status: 'connected' });
      expect(singleCalls()).toBe(spent + 6);
      expect(listCalls()).toBe(1);
    });
  });

  it('where the list answers, planting IDs costs one list fill, however many', async () => {
    await signIn(small);
    const results = await plant(planted(1500));
    await attack(() => {
      expect(singleCalls()).toBeLessThanOrEqual(1);
      expect(listCalls()).toBeLessThanOrEqual(Math.ceil(api.connections.length / 100) + 1);
      expect(Object.values(results).every((r) => r.status === 'not_connected')).toBe(true);
    });
  });

  it('after a 429, a page\'s uncached IDs wait for the time the API named; a person\'s lookup in the popup does not', async () => {
    await signIn(big);
    api.injectFault({ kind: 'retry-after', retryAfter: '600', times: 1, match: { pathPrefix: '/host-connections/' } });
    fault();
    await plant(planted(1));
    const before = singleCalls();
    const results = await plant(planted(10, 100), 9);
    await attack(() => {
      expect(singleCalls()).toBe(before);
      expect(Object.values(results).every((r) => r.status === 'unknown')).toBe(true);
    });
    await attack(async () => {
      expect(await worker.send({ type: 'lookupOne', id: ACME }, senders.popup)).toMatchObject({ ok: true, value: { result: { status: 'connected' } } });
      expect(singleCalls()).toBe(before + 1);
    });
  });
});

describe('a compromised renderer flooding the background', { timeout: 60_000 }, () => {
  it('is heard up to its tab\'s message rate, unheard past it; other tabs and our pages are served', async () => {
    await signIn(small);
    let heard = 0;
    // The clock stands still, so the tab earns nothing back during the flood.
    vi.useFakeTimers({ toFake: ['Date'] });
    for (let i = 0; i < MESSAGE_RATE.capacity + 1000; i++) {
      const answer = await worker.send({ type: 'reportIds', ids: [numberedId(i)] }, senders.content(7, undefined, i % 5));
      if (answer?.ok) heard += 1;
    }
    await attack(() => expect(heard).toBe(MESSAGE_RATE.capacity));
    await attack(async () => {
      expect(await worker.send({ type: 'lookup', ids: [ACME], priority: 'visible' }, senders.content(8))).toMatchObject({ ok: true });
      expect(await worker.send({ type: 'getState' }, senders.popup)).toMatchObject({ ok: true });
    });
  });
});
