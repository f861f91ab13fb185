import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { startMockApi, type MockApi } from '../../mock-api/server';
import { grantOrigins } from '../support/fake-permissions';
import type { Envelope, LookupResult, ServiceState } from '@/utils/protocol';
import { MAX_IDS_PER_LOOKUP } from '@/utils/protocol';
import { settingsSchema } from '@/utils/settings';
import { framePorts } from '../adversarial/worker-harness';

vi.setConfig({ testTimeout: 60_000 });

let api: MockApi;

beforeAll(async () => {
  api = await startMockApi({ port: 0 });
});

afterAll(async () => {
  lastWorker?.recovery.stop();
  await api.close();
});

/** Our popup, which may read the service's whole state. */
const POPUP = { id: 'test-extension-id', url: 'chrome-extension://test-extension-id/popup.html', origin: 'chrome-extension://test-extension-id' };

function tab(id: number, frameId = 0) {
  return { id: 'test-extension-id', url: `https://acme${id}.lightning.force.com/lightning/r/Account/1/view`, tab: { id }, frameId };
}

type LookupAnswer = { state: ServiceState; results: Record<string, LookupResult> };

/** API requests made since the last clear, preflights aside; optionally those on one route. */
function requests(route = '') {
  const prefix = new URL(api.url).pathname + route;
  return api.requests.filter((r) => r.method !== 'OPTIONS' && r.path.startsWith(prefix));
}

/** Stores settings and credentials as the options page would: the settings item's value and version. */
async function configure(credentials: 'client' | 'token' | 'none' = 'client', baseUrl = api.url, requesterOrgId = api.requesterOrgId): Promise<void> {
  const settings = settingsSchema.parse({ baseUrl, requesterOrgId });
  const origin = new URL(baseUrl).origin;
  grantOrigins(`${origin}/*`);
  await fakeBrowser.storage.local.set({ settings, settings$: { v: 2 } });
  if (credentials === 'client') await fakeBrowser.storage.session.set({ credentials: { mode: 'client', ...api.devClient, origin } });
  if (credentials === 'token') await fakeBrowser.storage.session.set({ credentials: { mode: 'token', token: api.mintToken(), origin } });
}

let lastWorker: { recovery: { stop(): void } } | undefined;

/** A fresh worker over the fake browser's current storage, as after the browser stopped the last one. */
async function startWorker() {
  // The browser stopped the last one: its timers went with it.
  lastWorker?.recovery.stop();
  fakeBrowser.runtime.onMessage.removeAllListeners();
  fakeBrowser.alarms.onAlarm.removeAllListeners();
  vi.resetModules();
  const { startServiceWorker } = await import('@/entrypoints/background/service-worker');
  const worker = startServiceWorker();
  lastWorker = worker;
  await worker.ready;
  return worker;
}

async function lookup(ids: string[], sender = tab(1), priority: 'visible' | 'idle' = 'visible'): Promise<LookupAnswer> {
  const [answer] = (await fakeBrowser.runtime.onMessage.trigger({ type: 'lookup', ids, priority }, sender as never)) as unknown as Envelope<LookupAnswer>[];
  if (!answer?.ok) throw new Error(`lookup refused: ${answer?.error}`);
  return answer.value;
}

/** What a content script does on a big page: the visible IDs first, then the rest in chunks. */
async function lookupPage(ids: string[], sender = tab(1)): Promise<Record<string, LookupResult>> {
  const visible = await lookup(ids.slice(0, 25), sender, 'visible');
  const results = { ...visible.results };
  const rest = ids.slice(25);
  const chunks = Array.from({ length: Math.ceil(rest.length / MAX_IDS_PER_LOOKUP) }, (_, i) =>
    rest.slice(i * MAX_IDS_PER_LOOKUP, (i + 1) * MAX_IDS_PER_LOOKUP),
  );
  for (const answer of await Promise.all(chunks.map((chunk) => lookup(chunk, sender, 'idle')))) Object.assign(results, answer.results);
  return results;
}

function pageOf1000(): { ids: string[]; known: Set<string> } {
  const known = api.connections.slice(0, 300).map((c) => c.host_organization_id);
  const unknown = Array.from({ length: 700 }, () => randomUUID());
  const ids = [...known, ...unknown].sort();
  return { ids, known: new Set(known) };
}

beforeEach(() => {
  fakeBrowser.reset();
  vi.spyOn(fakeBrowser.runtime.onMessageExternal, 'addListener').mockImplementation(() => undefined);
  framePorts().removeAllListeners();
  vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockResolvedValue(undefined);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  api.clearFaults();
  api.setListPaging('supported');
  api.clearRequests();
});

describe('lookup service against the mock API', () => {
  it('answers a page of 1,000 IDs with a handful of requests', async () => {
    await configure();
    await startWorker();
    const { ids, known } = pageOf1000();
    const results = await lookupPage(ids);

    const total = requests().length;
    console.info(`Requests for a page of 1,000 IDs (300 known, 700 unknown): ${total} (${requests('/host-connections').length} API calls + ${requests('/oauth2/token').length} token)`);
    expect(total).toBeLessThanOrEqual(10);
    expect(Object.keys(results)).toHaveLength(1000);
    for (const id of ids) {
      const result = results[id];
      if (known.has(id)) expect(['connected', 'disconnected', 'archived']).toContain(result?.status);
      else expect(result?.status).toBe('not_connected');
    }
    const archived = api.connections.find((c) => c.archived);
    if (archived && known.has(archived.host_organization_id)) expect(results[archived.host_organization_id]?.status).toBe('archived');

    api.clearRequests();
    await lookupPage(ids, tab(2));
    console.info(`Requests for the same page in a second tab: ${requests().length}`);
    expect(requests()).toHaveLength(0);
  });

  it('answers the page from the list again after the cache was cleared', async () => {
    await configure();
    await startWorker();
    const { ids } = pageOf1000();
    const before = await lookupPage(ids);
    const [cleared] = (await fakeBrowser.runtime.onMessage.trigger({ type: 'clearCache' }, { id: 'test-extension-id', url: 'chrome-extension://test-extension-id/options.html' } as never)) as unknown as Envelope<unknown>[];
    expect(cleared?.ok).toBe(true);
    api.clearRequests();

    const [first, second] = await Promise.all([lookupPage(ids, tab(1)), lookupPage(ids, tab(2))]);
    console.info(`Requests for the page in two tabs at once after Clear cache: ${requests().length}`);
    expect(requests('/host-connections/')).toHaveLength(0);
    expect(requests().length).toBeLessThanOrEqual(10);
    const statuses = (results: Record<string, LookupResult>) => Object.fromEntries(Object.entries(results).map(([id, r]) => [id, r.status]));
    expect(statuses(first)).toEqual(statuses(before));
    expect(statuses(second)).toEqual(statuses(before));
  });

  it('makes one request per ID when several tabs ask for the same IDs at once', async () => {
    await configure();
    await startWorker();
    const ids = [...api.connections.slice(0, 6).map((c) => c.host_organization_id), ...api.unknownOrgIds.slice(0, 4)];
    const answers = await Promise.all([1, 2, 3, 4, 5].flatMap((t) => [lookup(ids, tab(t)), lookup(ids.slice(0, 3), tab(t, 2))]));
    expect(answers.every((a) => Object.keys(a.results).length >= 3)).toBe(true);

    const perId = new Map<string, number>();
    for (const r of requests('/host-connections/')) perId.set(r.path.split('/').pop()!, (perId.get(r.path.split('/').pop()!) ?? 0) + 1);
    console.info(`Requests per ID across 5 tabs and 10 frames: max ${Math.max(...perId.values())}, ${perId.size} IDs`);
    expect(perId.size).toBe(10);
    expect([...perId.values()].every((n) => n === 1)).toBe(true);
    expect(requests('/oauth2/token')).toHaveLength(1);
  });

  it('a restarted worker answers from the restored cache without a request', async () => {
    await configure();
    await startWorker();
    const { ids } = pageOf1000();
    const before = await lookupPage(ids);
    api.clearRequests();

    await startWorker();
    const after = await lookupPage(ids);
    console.info(`Requests after a worker restart for the same 1,000 IDs: ${requests().length}`);
    expect(requests()).toHaveLength(0);
    expect(after).toEqual(before);
  });

  it('falls back to one unpaged list call when the server refuses limit/offset', async () => {
    api.setListPaging('rejected');
    await configure();
    await startWorker();
    const { ids, known } = pageOf1000();
    const results = await lookupPage(ids);
    const lists = requests('/host-connections').filter((r) => !r.path.includes('/host-connections/'));
    console.info(`Requests for 1,000 IDs when paging is refused: ${requests().length}`);
    expect(lists.map((r) => r.status)).toEqual([422, 200]);
    expect(lists[1]?.query.limit).toBeUndefined();
    expect(requests().length).toBeLessThanOrEqual(10);
    expect(results[[...known][0]!]?.status).not.toBe('not_connected');
    expect(Object.values(results).filter((r) => r.status === 'not_connected')).toHaveLength(700);
  });

  it('renews the token once on a 401 and answers', async () => {
    await configure();
    await startWorker();
    const id = api.connections[0]!.host_organization_id;
    api.injectFault({ kind: 'status', status: 401, times: 1, match: { pathPrefix: '/host-connections' } });
    const answer = await lookup([id]);
    expect(answer.state.kind).toBe('ready');
    expect(answer.results[id]?.status).not.toBe('unknown');
    expect(requests('/oauth2/token')).toHaveLength(2);
  });
});

describe('service-wide states', () => {
  const id = () => api.connections[1]!.host_organization_id;

  it('not configured: no request, unknown answers, "!" on the toolbar', async () => {
    await configure('none');
    await startWorker();
    const answer = await lookup([id()]);
    expect(answer.state.kind).toBe('not_configured');
    expect(answer.results[id()]).toEqual({ status: 'unknown' });
    expect(requests()).toHaveLength(0);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('!');
  });

  it('unauthorized: rejected credentials make a state, not an error per ID, and stop the calls', async () => {
    await configure();
    await startWorker();
    api.injectFault({ kind: 'status', status: 401, match: { pathPrefix: '/host-connections' } });
    const first = await lookup([id(), api.unknownOrgIds[0]!]);
    expect(first.state.kind).toBe('unauthorized');
    expect(Object.values(first.results)).toEqual([{ status: 'unknown' }, { status: 'unknown' }]);
    const calls = requests().length;
    await lookup([api.unknownOrgIds[1]!]);
    expect(requests()).toHaveLength(calls);
  });

  it('unavailable: a 503 answers from cache marked stale', async () => {
    await configure();
    const worker = await startWorker();
    await lookup([id()]);
    await worker.cache.open((await import('@/entrypoints/background/auth')).accountKey(settingsSchema.parse({ baseUrl: api.url, requesterOrgId: api.requesterOrgId })));
    const entry = worker.cache.peek(id())!;
    worker.cache.set(id(), { ...entry, fetchedAt: entry.fetchedAt - 3_600_000 });
    api.injectFault({ kind: 'status', status: 503, match: { pathPrefix: '/host-connections' } });
    const answer = await lookup([id(), api.unknownOrgIds[2]!]);
    expect(answer.state.kind).toBe('unavailable');
    // The badge shows the old answer; how old it is, the card tells.
    expect(answer.results[id()]).toMatchObject({ status: entry.status });
    expect(answer.results[api.unknownOrgIds[2]!]).toEqual({ status: 'unknown' });
    const card = { id: fakeBrowser.runtime.id, url: `chrome-extension://${fakeBrowser.runtime.id}/card.html`, tab: { id: 1, url: tab(1).url }, frameId: 3 };
    const [detail] = (await fakeBrowser.runtime.onMessage.trigger({ type: 'lookupOne', id: id() }, card as never)) as unknown as Envelope<{ result: LookupResult }>[];
    expect(detail).toMatchObject({ ok: true, value: { result: { stale: true } } });
  });

  it('offline: an unreachable API puts the service offline', async () => {
    const closed = await startMockApi({ port: 0 });
    await closed.close();
    await configure('token', closed.url);
    await startWorker();
    const answer = await lookup([id()]);
    expect(answer.state.kind).toBe('offline');
    expect(answer.results[id()]).toEqual({ status: 'unknown' });
  });
});

describe('when the API misbehaves for everyone: what it costs, and how soon it is over', () => {
  const calls = () => requests('/host-connections');
  const singles = () => requests('/host-connections/');
  const lists = () => calls().filter((r) => !r.path.includes('/host-connections/'));
  const unknownIds = (n: number) => Array.from({ length: n }, () => randomUUID());
  /** A list the API refuses, so every ID needs a call of its own: the worst case. */
  const refuseList = () => api.injectFault({ kind: 'status', status: 422, match: { path: '/host-connections' } });

  it('one malformed list item costs that ID alone on a 10,000-row page', async () => {
    await configure();
    await startWorker();
    const known = api.connections.slice(0, 300).map((c) => c.host_organization_id);
    const broken = known[7]!;
    api.injectFault({ kind: 'bad-items', ids: [broken], match: { path: '/host-connections' } });
    const ids = [...known, ...unknownIds(9700)].sort();
    const results = await lookupPage(ids);
    console.info(`[figure] calls for a 10,000-row page (300 connections) with one malformed list item: ${calls().length} (${lists().length} list pages, ${singles().length} single)`);
    expect(singles()).toHaveLength(0);
    expect(lists().length).toBeLessThanOrEqual(4);
    expect(results[broken]).toMatchObject({ status: 'error', error: { kind: 'invalid_response' } });
    expect(results[known[8]!]?.status).not.toBe('error');
    expect(Object.values(results).filter((r) => r.status === 'not_connected')).toHaveLength(9700);
  });

  it('a requester that does not match the token: one call, one state, no answer per ID', async () => {
    await configure('client', api.url, '3f2504e0-4f89-41d3-9a0c-0305e82c3301');
    await startWorker();
    const { ids } = pageOf1000();
    const results = await lookupPage(ids);
    const refused = calls().filter((r) => r.status === 403).length;
    console.info(`[figure] calls for a page of 1,000 IDs when the requester does not match the token (403 requester_organization_mismatch): ${calls().length}`);
    expect(refused).toBeGreaterThan(0);
    expect(calls().length).toBeLessThanOrEqual(2);
    expect(new Set(Object.values(results).map((r) => r.status))).toEqual(new Set(['unknown']));
    const [state] = (await fakeBrowser.runtime.onMessage.trigger({ type: 'getState' }, POPUP as never)) as unknown as Envelope<ServiceState>[];
    expect(state).toMatchObject({ ok: true, value: { kind: 'forbidden', error: { code: 'requester_organization_mismatch' } } });
  });

  it('a pasted token refused (401): no call after the ones already in flight', async () => {
    await configure('token');
    await startWorker();
    refuseList();
    api.injectFault({ kind: 'status', status: 401, code: 'token_invalid', match: { pathPrefix: '/host-connections/' } });
    await lookupPage(pageOf1000().ids);
    const refused = singles().filter((r) => r.status === 401).length;
    console.info(`[figure] calls answered 401 for a page of 1,000 IDs (list refused) after a pasted token was refused: ${refused}`);
    expect(refused).toBeLessThanOrEqual(4);
    await lookupPage(pageOf1000().ids, tab(2));
    expect(singles().filter((r) => r.status === 401)).toHaveLength(refused);
  });

  it('client credentials refused on every call: one renewal, one retry each', async () => {
    await configure('client');
    await startWorker();
    refuseList();
    api.injectFault({ kind: 'status', status: 401, code: 'token_invalid', match: { pathPrefix: '/host-connections/' } });
    await lookupPage(pageOf1000().ids);
    const refused = singles().filter((r) => r.status === 401).length;
    const tokens = requests('/oauth2/token').length;
    console.info(`[figure] client credentials refused on every call, page of 1,000 IDs: ${refused} calls answered 401, ${tokens} token requests (sign-in and one renewal)`);
    expect(tokens).toBeLessThanOrEqual(2);
    expect(refused).toBeLessThanOrEqual(8);
  });

  it('a 429 storm: a global pause, no answer per ID, answers once it is over', async () => {
    await configure();
    await startWorker();
    api.injectFault({ kind: 'retry-after', retryAfter: '2', forMs: 2500, match: { pathPrefix: '/host-connections' } });
    const results = await lookupPage(pageOf1000().ids);
    const during = calls().length;
    console.info(`[figure] calls for a page of 1,000 IDs during a 429 storm (Retry-After: 2): ${during}`);
    expect(during).toBeLessThanOrEqual(6);
    expect(Object.values(results).filter((r) => r.status === 'error')).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 2600));
    const after = await lookupPage(pageOf1000().ids, tab(2));
    expect(Object.values(after).filter((r) => r.status === 'unknown')).toEqual([]);
  });

  it('an outage that ends: the service is back within seconds, with no page asking, and its probes spread out', async () => {
    await configure();
    await startWorker();
    const outageMs = 6000;
    api.injectFault({ kind: 'status', status: 503, forMs: outageMs, match: { pathPrefix: '/host-connections' } });
    const end = Date.now() + outageMs;
    await lookupPage(pageOf1000().ids);
    const state = async () => {
      const [answer] = (await fakeBrowser.runtime.onMessage.trigger({ type: 'getState' }, POPUP as never)) as unknown as Envelope<ServiceState>[];
      return answer?.ok ? answer.value.kind : undefined;
    };
    expect(await state()).toBe('unavailable');
    await vi.waitFor(async () => expect(await state()).toBe('ready'), { timeout: outageMs + 15_000, interval: 100 });
    const during = calls().filter((r) => r.time < end);
    const probes = during.filter((r) => r.path.includes('/host-connections/'));
    const gaps = probes.slice(1).map((r, i) => r.time - probes[i]!.time);
    console.info(
      `[figure] 6 s outage with nothing asking: ${during.length} calls during it (probes ${gaps.map((g) => (g / 1000).toFixed(1)).join(' s, ')} s apart), ` +
        `service ready ${((Date.now() - end) / 1000).toFixed(1)} s after it ended`,
    );
    expect(Date.now() - end).toBeLessThanOrEqual(11_000);
    // One probe at a time, each after a wait (the doubling itself is checked where the clock is the test's).
    expect(gaps.length).toBeGreaterThanOrEqual(1);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(400);
  });

  it('drops the queued lookups of a tab that was closed', async () => {
    await configure();
    await startWorker();
    refuseList();
    api.injectFault({ kind: 'latency', delayMs: 50, match: { pathPrefix: '/host-connections/' } });
    // Within a tab's budget of calls, so every ID would get its own.
    const page = lookup(unknownIds(250), tab(7), 'idle');
    await vi.waitFor(() => expect(singles().filter((r) => r.status !== null).length).toBeGreaterThanOrEqual(8), { timeout: 10_000 });
    await fakeBrowser.tabs.onRemoved.trigger(7, { windowId: 1, isWindowClosing: false });
    const closedAt = Date.now();
    await page;
    const after = singles().filter((r) => r.time > closedAt + 20).length;
    console.info(`[figure] calls that reached the API after the tab with 250 queued lookups was closed: ${after} (of ${singles().length})`);
    expect(after).toBeLessThanOrEqual(4);
  });

  it('an ID asked for in view goes ahead of every ID queued before it', async () => {
    await configure();
    await startWorker();
    refuseList();
    api.injectFault({ kind: 'latency', delayMs: 20, match: { pathPrefix: '/host-connections/' } });
    // Within a tab's budget of calls, so every ID gets its own.
    const queued = unknownIds(250);
    const page = lookup(queued, tab(1), 'idle');
    await vi.waitFor(() => expect(singles().length).toBeGreaterThanOrEqual(4));
    const seen = queued[220]!;
    await lookup([seen], tab(1), 'visible');
    const position = singles().findIndex((r) => r.path.endsWith(seen));
    console.info(`[figure] place in the call order of an ID scrolled into view while 250 waited: ${position + 1}`);
    expect(position).toBeGreaterThanOrEqual(0);
    expect(position).toBeLessThan(12);
    await page;
  });
});

