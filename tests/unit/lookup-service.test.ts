import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { BreakerStore } from '@/entrypoints/background/breaker-store';
import { CACHE_CAPACITY, CacheStore } from '@/entrypoints/background/cache-store';
import { LookupService, type LookupApi, type LookupTuning } from '@/entrypoints/background/lookup-service';
import { ServiceStateStore } from '@/entrypoints/background/service-state';
import { ApiError, type ErrorKind } from '@/utils/api-error';
import type { HostConnection, HostConnectionPage, ListQuery } from '@/utils/api-schemas';
import { notConnectedEntry } from '@/utils/cache-policy';
import type { BreakerOptions } from '@/utils/circuit-breaker';
import { settingsSchema, type Settings } from '@/utils/settings';

const REQUESTER = '11111111-1111-4111-8111-111111111111';
const TTL_MS = 300_000;

function orgId(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

function connection(id: string, overrides: Partial<HostConnection> = {}): HostConnection {
  return {
    host_organization_id: id,
    guest_organization_id: REQUESTER,
    host_name: `Host ${id.slice(-4)}`,
    host_email: 'host@example.com',
    owner_email: 'owner@example.com',
    status: 'connected',
    archived: false,
    created_at: '2024-01-01T00:00:00.000Z',
    updated_at: '2024-01-01T00:00:00.000Z',
    archived_at: null,
    active_action_type: null,
    active_action_updated_at: null,
    ...overrides,
  };
}

/** An API double that counts calls and can be told to fail. */
class FakeApi implements LookupApi {
  readonly connections = new Map<string, HostConnection>();
  gets: string[] = [];
  lists: ListQuery[] = [];
  inFlight = 0;
  peakInFlight = 0;
  failWith?: ErrorKind;
  /** The code the error of `failWith` carries, as the API's `detail[].code`. */
  failCode?: string;
  /** IDs the API answers 403 for, whatever else it does. */
  readonly forbid = new Set<string>();
  /** IDs the list sends in a shape that breaks the schema. */
  readonly malformed = new Set<string>();
  rejectPaging = false;
  /** While set, calls wait for it before they answer. */
  hold?: Promise<void>;

  /** Holds every call until the returned function is called. */
  holdCalls(): () => void {
    let release = () => {};
    this.hold = new Promise((resolve) => (release = resolve));
    return release;
  }

  constructor(count: number) {
    for (let i = 1; i <= count; i++) this.connections.set(orgId(i), connection(orgId(i)));
  }

  private async call<T>(answer: () => T): Promise<T> {
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 2));
      await this.hold;
      if (this.failWith) {
        throw new ApiError({ kind: this.failWith, message: `fake ${this.failWith}`, ...(this.failCode ? { code: this.failCode } : {}) });
      }
      return answer();
    } finally {
      this.inFlight--;
    }
  }

  getHostConnection(id: string): Promise<HostConnection> {
    this.gets.push(id);
    return this.call(() => {
      if (this.forbid.has(id)) throw new ApiError({ kind: 'forbidden', message: '403', status: 403, code: 'forbidden' });
      const found = this.connections.get(id);
      if (!found) throw new ApiError({ kind: 'not_connected', message: 'no connection', status: 404 });
      return found;
    });
  }

  listHostConnections(query: ListQuery): Promise<HostConnectionPage> {
    this.lists.push(query);
    return this.call(() => {
      if (this.rejectPaging && query.limit !== undefined) throw new ApiError({ kind: 'invalid_request', message: '422', status: 422 });
      const all = [...this.connections.values()].filter((c) => query.statuses.includes(c.status));
      const offset = query.offset ?? 0;
      const page = query.limit === undefined ? all : all.slice(offset, offset + query.limit);
      const items = page.filter((c) => !this.malformed.has(c.host_organization_id));
      const rejected = page
        .filter((c) => this.malformed.has(c.host_organization_id))
        .map((c) => ({ hostOrgId: c.host_organization_id, details: ['host_name: Invalid input'] }));
      return { items, rejected, total_items: all.length };
    });
  }
}

const BREAKER: BreakerOptions = { threshold: 3, firstWaitMs: 30_000, maxWaitMs: 60_000, probeTimeoutMs: 60_000, onDemandGapMs: 60_000 };

function setup(
  count: number,
  tuning: Partial<LookupTuning> = {},
  settings: Settings = settingsSchema.parse({ requesterOrgId: REQUESTER }),
  extra: { breaker?: Partial<BreakerOptions>; isGone?: (asker: string) => boolean } = {},
) {
  const api = new FakeApi(count);
  const cache = new CacheStore();
  // Jitter at its top: every wait is its whole ceiling.
  const breakers = new BreakerStore({ ...BREAKER, ...extra.breaker }, undefined, () => 0.999999);
  const stateChanged = vi.fn();
  const state: ServiceStateStore = new ServiceStateStore({
    credentialsInfo: async () => ({ mode: 'token' }),
    retryAt: () => service.retryAt(),
    onChange: stateChanged,
  });
  const entriesChanged = vi.fn();
  const service: LookupService = new LookupService(
    {
      loadSettings: async () => settings,
      accountKey: (s) => `${s.baseUrl}|${s.requesterOrgId}`,
      clientFor: () => api,
      cache,
      breakers,
      state,
      onEntriesChanged: entriesChanged,
      ...(extra.isGone ? { isGone: extra.isGone } : {}),
    },
    tuning,
  );
  return { api, cache, breakers, state, service, entriesChanged, stateChanged };
}

function advance(ms: number): void {
  vi.setSystemTime(Date.now() + ms);
}

beforeEach(() => {
  fakeBrowser.reset();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
});

afterEach(() => {
  vi.useRealTimers();
});

describe('cache rules', () => {
  it('answers a fresh entry without calling the API', async () => {
    const { api, service } = setup(5);
    const first = await service.lookup([orgId(1)], 'visible');
    expect(first[orgId(1)]).toMatchObject({ status: 'connected', stale: false });
    advance(TTL_MS - 1);
    await service.lookup([orgId(1)], 'visible');
    expect(api.gets).toEqual([orgId(1)]);
  });

  it('shows an archived connection as archived whatever its status', async () => {
    const { api, service } = setup(1);
    api.connections.set(orgId(1), connection(orgId(1), { archived: true, archived_at: '2025-01-01T00:00:00.000Z' }));
    expect((await service.lookup([orgId(1)], 'visible'))[orgId(1)]?.status).toBe('archived');
  });

  it('keeps a 404 as a negative entry', async () => {
    const { api, service } = setup(1);
    expect((await service.lookup([orgId(99)], 'visible'))[orgId(99)]).toMatchObject({ status: 'not_connected', stale: false });
    await service.lookup([orgId(99)], 'visible');
    expect(api.gets).toEqual([orgId(99)]);
  });

  it('answers a stale entry at once and revalidates it in the background, announcing a change', async () => {
    const { api, service, entriesChanged } = setup(1);
    await service.lookup([orgId(1)], 'visible');
    api.connections.set(orgId(1), connection(orgId(1), { status: 'disconnected' }));
    advance(TTL_MS + 1);
    const answer = await service.lookup([orgId(1)], 'visible');
    expect(answer[orgId(1)]).toMatchObject({ status: 'connected', stale: false });
    await vi.waitFor(() => expect(entriesChanged).toHaveBeenCalled());
    expect(api.gets).toHaveLength(2);
    expect(entriesChanged.mock.calls[0]?.[0][orgId(1)]).toMatchObject({ status: 'disconnected' });
    expect((await service.lookup([orgId(1)], 'visible'))[orgId(1)]?.status).toBe('disconnected');
    expect(api.gets).toHaveLength(2);
  });

  it('does not announce a revalidation that found nothing new', async () => {
    const { api, service, entriesChanged } = setup(1);
    await service.lookup([orgId(1)], 'visible');
    advance(TTL_MS + 1);
    await service.lookup([orgId(1)], 'visible');
    await vi.waitFor(() => expect(api.gets).toHaveLength(2));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(entriesChanged).not.toHaveBeenCalled();
  });

  it('waits for the API once an entry is past the revalidation window', async () => {
    const { api, service } = setup(1);
    await service.lookup([orgId(1)], 'visible');
    api.connections.set(orgId(1), connection(orgId(1), { status: 'disconnected' }));
    advance(2 * TTL_MS + 1);
    expect((await service.lookup([orgId(1)], 'visible'))[orgId(1)]?.status).toBe('disconnected');
  });

  it('answers an old entry marked stale when the API fails (stale-if-error)', async () => {
    const { api, service, state } = setup(1);
    await service.lookup([orgId(1)], 'visible');
    advance(2 * TTL_MS + 1);
    api.failWith = 'unavailable';
    expect((await service.lookup([orgId(1)], 'visible'))[orgId(1)]).toMatchObject({ status: 'connected', stale: true });
    expect(await state.kind()).toBe('unavailable');
    api.failWith = 'rate_limited';
    expect((await service.lookup([orgId(1)], 'visible'))[orgId(1)]).toMatchObject({ status: 'connected', stale: true });
  });

  it('refresh asks the API even for a fresh entry', async () => {
    const { api, service } = setup(1);
    await service.lookup([orgId(1)], 'visible');
    await service.lookup([orgId(1)], 'visible', { refresh: true });
    expect(api.gets).toHaveLength(2);
  });

  it('drops the least recently used entry beyond its capacity', async () => {
    const { cache } = setup(0);
    await cache.open('account');
    for (let i = 0; i <= CACHE_CAPACITY; i++) cache.set(orgId(i), notConnectedEntry(Date.now()));
    expect(cache.size).toBe(CACHE_CAPACITY);
    expect(cache.peek(orgId(0))).toBeUndefined();
    expect(cache.peek(orgId(CACHE_CAPACITY))).toBeDefined();
  });

  it("never stores one account's answer in another's cache", async () => {
    const { api, cache, service } = setup(1);
    const release = api.holdCalls();
    const pending = service.lookup([orgId(1)], 'visible');
    await vi.waitFor(() => expect(api.gets).toHaveLength(1));
    await cache.open('another account');
    release();
    await pending;
    expect(cache.peek(orgId(1))).toBeUndefined();
  });

  it('asks the API anew after a clear rather than join a call begun before it', async () => {
    const { api, cache, service } = setup(1);
    const release = api.holdCalls();
    const before = service.lookup([orgId(1)], 'visible');
    await vi.waitFor(() => expect(api.gets).toHaveLength(1));
    await cache.clear();
    const after = service.lookup([orgId(1)], 'visible');
    await vi.waitFor(() => expect(api.gets).toHaveLength(2));
    release();
    await Promise.all([before, after]);
    expect(cache.peek(orgId(1))).toMatchObject({ status: 'connected' });
  });

  it('belongs to one account: another account starts empty', async () => {
    const { api, service } = setup(1);
    await service.lookup([orgId(1)], 'visible');
    const other = setup(1, {}, settingsSchema.parse({ requesterOrgId: '22222222-2222-4222-8222-222222222222' }));
    await other.service.lookup([orgId(1)], 'visible');
    expect(other.api.gets).toEqual([orgId(1)]);
    expect(api.gets).toEqual([orgId(1)]);
  });
});

describe('single flight and the cap', () => {
  it('makes one request per ID whatever the number of concurrent askers', async () => {
    const { api, service } = setup(3);
    const asks = Array.from({ length: 12 }, (_, i) => service.lookup([orgId((i % 3) + 1)], i % 2 ? 'idle' : 'visible'));
    const answers = await Promise.all(asks);
    expect(answers.every((a) => Object.values(a)[0]?.status === 'connected')).toBe(true);
    expect(api.gets.sort()).toEqual([orgId(1), orgId(2), orgId(3)]);
  });

  it('keeps at most the cap of requests in flight', async () => {
    const { api, service } = setup(15, { concurrency: 4, listFillThreshold: 100 });
    await service.lookup(Array.from({ length: 15 }, (_, i) => orgId(i + 1)), 'visible');
    expect(api.gets).toHaveLength(15);
    expect(api.peakInFlight).toBe(4);
  });
});

describe('list fill', () => {
  it('answers many IDs from the list, absent ones as not connected', async () => {
    const { api, service } = setup(250);
    const ids = [...Array.from({ length: 250 }, (_, i) => orgId(i + 1)), ...Array.from({ length: 50 }, (_, i) => orgId(10_000 + i))];
    const results = await service.lookup(ids, 'idle');
    expect(api.gets).toEqual([]);
    expect(api.lists.map((q) => q.offset)).toEqual([0, 100, 200]);
    expect(api.lists[0]).toMatchObject({ statuses: ['connected', 'disconnected'], limit: 100 });
    expect(api.lists[0]?.archived).toBeUndefined();
    expect(Object.values(results).filter((r) => r.status === 'connected')).toHaveLength(250);
    expect(results[orgId(10_000)]).toMatchObject({ status: 'not_connected' });
    // A fresh complete list answers later asks about absent IDs too.
    await service.lookup([orgId(20_000)], 'visible');
    expect(api.gets).toEqual([]);
  });

  it('keeps every connection cached on a page of more unrelated IDs than the cache holds', async () => {
    const { api, cache, service } = setup(100);
    const unrelated = Array.from({ length: CACHE_CAPACITY + 1000 }, (_, i) => orgId(100_000 + i));
    const ids = [...Array.from({ length: 100 }, (_, i) => orgId(i + 1)), ...unrelated];
    await service.lookup(ids, 'idle');
    expect(cache.size).toBe(100);
    const calls = api.gets.length + api.lists.length;
    const again = await service.lookup(ids, 'idle');
    expect(api.gets.length + api.lists.length).toBe(calls);
    expect(Object.values(again).filter((r) => r.status === 'connected')).toHaveLength(100);
    expect(again[unrelated.at(-1)!]).toMatchObject({ status: 'not_connected' });
    // The popup's list of a tab's IDs reads the same verdict without a call.
    expect((await service.peek([unrelated[0]!]))[unrelated[0]!]).toMatchObject({ status: 'not_connected' });
  });

  it('reads the list again for a page of IDs after the cache was cleared', async () => {
    const { api, cache, service } = setup(250);
    const ids = Array.from({ length: 300 }, (_, i) => orgId(i + 1));
    await service.lookup(ids, 'idle');
    await cache.clear();
    api.lists.length = 0;
    const results = await service.lookup(ids, 'idle');
    expect(api.gets).toEqual([]);
    expect(api.lists.map((q) => q.offset)).toEqual([0, 100, 200]);
    expect(results[orgId(300)]).toMatchObject({ status: 'not_connected' });
  });

  it('keeps nothing a list fill brings back after the cache was cleared during it', async () => {
    const { api, cache, service } = setup(250);
    const ids = Array.from({ length: 300 }, (_, i) => orgId(i + 1));
    const release = api.holdCalls();
    const pending = service.lookup(ids, 'idle');
    await vi.waitFor(() => expect(api.lists.length).toBeGreaterThan(0));
    await cache.clear();
    release();
    const results = await pending;
    expect(results[orgId(1)]).toMatchObject({ status: 'connected' });
    expect(cache.size).toBe(0);
    expect(cache.listFetchedAt()).toBeUndefined();
  });

  it('adds up small asks within the window', async () => {
    const { api, service } = setup(30, { listFillThreshold: 20 });
    await service.lookup(Array.from({ length: 10 }, (_, i) => orgId(i + 1)), 'visible');
    await service.lookup(Array.from({ length: 10 }, (_, i) => orgId(i + 11)), 'visible');
    await service.lookup(Array.from({ length: 10 }, (_, i) => orgId(i + 21)), 'visible');
    expect(api.gets).toHaveLength(10);
    expect(api.lists).toHaveLength(1);
  });

  it('fetches the list once for concurrent askers', async () => {
    const { api, service } = setup(50);
    const ids = Array.from({ length: 60 }, (_, i) => orgId(i + 1));
    await Promise.all([service.lookup(ids, 'visible'), service.lookup(ids, 'idle'), service.lookup(ids.slice(0, 25), 'visible')]);
    expect(api.lists).toHaveLength(1);
    expect(api.gets).toEqual([]);
  });

  it('single calls still waiting for a slot give way to a list fill that starts meanwhile', async () => {
    const { api, service } = setup(50, { concurrency: 1, listFillThreshold: 20 });
    const few = service.lookup([orgId(1), orgId(2), orgId(3), orgId(4), orgId(60)], 'visible');
    const many = service.lookup(Array.from({ length: 30 }, (_, i) => orgId(i + 5)), 'idle');
    const [first] = await Promise.all([few, many]);
    expect(api.lists).toHaveLength(1);
    // At most the call that had its slot already; the other four wait for the list instead.
    expect(api.gets.length).toBeLessThanOrEqual(1);
    expect(first[orgId(4)]?.status).toBe('connected');
    expect(first[orgId(60)]?.status).toBe('not_connected');
  });

  it('does not turn a rate-limited list into one call per ID, and pauses every call until the wait is over', async () => {
    const { api, service, state } = setup(50);
    api.failWith = 'rate_limited';
    const results = await service.lookup(Array.from({ length: 30 }, (_, i) => orgId(i + 1)), 'visible');
    expect(api.lists).toHaveLength(1);
    expect(api.gets).toEqual([]);
    expect(results[orgId(1)]).toEqual({ status: 'unknown' });
    expect((await state.current()).kind).toBe('rate_limited');
    expect((await state.current()).retryAt).toBe(Date.now() + 30_000);

    api.failWith = undefined;
    await service.lookup([orgId(40)], 'visible');
    expect(api.gets).toEqual([]);
    advance(30_000);
    expect((await service.lookup([orgId(40)], 'visible'))[orgId(40)]?.status).toBe('connected');
    expect(await state.kind()).toBe('ready');
  });

  it('lets a person\'s lookup through a rate limit\'s pause, alone and with no probe first; its answer ends the pause', async () => {
    const { api, service, state } = setup(50, { listFillThreshold: 100 });
    api.failWith = 'rate_limited';
    await service.lookup([orgId(1)], 'idle');
    expect(await state.kind()).toBe('rate_limited');
    api.failWith = undefined;
    const gets = api.gets.length;
    expect((await service.lookup([orgId(2)], 'idle'))[orgId(2)]).toEqual({ status: 'unknown' });
    expect(api.gets).toHaveLength(gets);
    expect(await service.pausedUntil()).toBe(Date.now() + 30_000);
    expect((await service.lookup([orgId(3)], 'visible', { byPerson: true }))[orgId(3)]?.status).toBe('connected');
    expect(api.gets).toEqual([...api.gets.slice(0, gets), orgId(3)]);
    expect(await service.pausedUntil()).toBeUndefined();
    expect(await state.kind()).toBe('ready');
  });

  it('takes a 403 on the list to concern every ID: no call per ID, one state', async () => {
    const { api, service, state } = setup(25);
    api.failWith = 'forbidden';
    const results = await service.lookup(Array.from({ length: 25 }, (_, i) => orgId(i + 1)), 'visible');
    expect(api.lists).toHaveLength(1);
    expect(api.gets).toEqual([]);
    expect(results[orgId(25)]).toEqual({ status: 'unknown' });
    expect(await state.kind()).toBe('forbidden');
    await service.lookup([orgId(30)], 'visible');
    expect(api.gets).toEqual([]);
  });

  it('keeps the good items of a list with a malformed one, answers that one as its error, and counts the list complete', async () => {
    const { api, service, entriesChanged } = setup(60);
    api.malformed.add(orgId(3));
    const ids = Array.from({ length: 30 }, (_, i) => orgId(i + 1)).concat(orgId(90));
    const results = await service.lookup(ids, 'visible');
    expect(api.gets).toEqual([]);
    expect(results[orgId(3)]).toMatchObject({ status: 'error', error: { kind: 'invalid_response', details: ['host_name: Invalid input'] } });
    expect(results[orgId(4)]?.status).toBe('connected');
    expect(results[orgId(90)]?.status).toBe('not_connected');
    // Later asks are answered from the cache and the list, without a call.
    const again = await service.lookup([orgId(3), orgId(59), orgId(91)], 'idle');
    expect(again[orgId(3)]?.status).toBe('error');
    expect(again[orgId(91)]?.status).toBe('not_connected');
    expect(api.gets).toEqual([]);
    expect(api.lists).toHaveLength(1);
    expect(entriesChanged).not.toHaveBeenCalled();
  });

  it('falls back to one unpaged call when the server refuses limit and offset', async () => {
    const { api, service } = setup(150);
    api.rejectPaging = true;
    const results = await service.lookup(Array.from({ length: 40 }, (_, i) => orgId(i + 140)), 'visible');
    expect(api.lists.map((q) => q.limit)).toEqual([100, undefined]);
    expect(results[orgId(150)]?.status).toBe('connected');
    expect(results[orgId(151)]?.status).toBe('not_connected');
    expect(api.gets).toEqual([]);
  });
});

describe('service-wide errors and the breaker', () => {
  it('turns a service-wide error into the state, not into an error per ID, and stops calling', async () => {
    const { api, service, state, stateChanged } = setup(3);
    api.failWith = 'unauthorized';
    const results = await service.lookup([orgId(1), orgId(2)], 'visible');
    expect(Object.values(results)).toEqual([{ status: 'unknown' }, { status: 'unknown' }]);
    expect(await state.kind()).toBe('unauthorized');
    expect(stateChanged).toHaveBeenCalledWith(expect.objectContaining({ kind: 'unauthorized' }));
    const calls = api.gets.length;
    await service.lookup([orgId(3)], 'visible');
    expect(api.gets).toHaveLength(calls);
  });

  it('answers an ID-specific error as an error of that ID', async () => {
    const { api, service, state } = setup(1);
    api.failWith = 'forbidden';
    expect((await service.lookup([orgId(1)], 'visible'))[orgId(1)]).toMatchObject({ status: 'error', error: { kind: 'forbidden' } });
    expect(await state.kind()).toBe('ready');
  });

  it('opens after repeated failures, answers from cache, probes with an ID of its own, then closes at once', async () => {
    const { api, service, breakers, state } = setup(5);
    await service.lookup([orgId(1)], 'visible');
    advance(2 * TTL_MS + 1);
    api.failWith = 'network';
    for (const n of [2, 3, 4]) await service.lookup([orgId(n)], 'visible');
    const origin = new URL(settingsSchema.parse({}).baseUrl).origin;
    expect((await breakers.state(origin)).phase).toBe('open');
    expect(await state.kind()).toBe('offline');
    expect((await state.current()).retryAt).toBe(Date.now() + 30_000);

    const before = api.gets.length;
    const answers = await service.lookup([orgId(1), orgId(5)], 'visible');
    expect(api.gets).toHaveLength(before);
    expect(answers[orgId(1)]).toMatchObject({ status: 'connected', stale: true });
    expect(answers[orgId(5)]).toEqual({ status: 'unknown' });

    advance(30_000);
    api.failWith = undefined;
    const [two, three] = await Promise.all([service.lookup([orgId(2)], 'visible'), service.lookup([orgId(3)], 'visible')]);
    // One probe, for an ID no page showed; once it answered, the two calls it held back.
    expect(api.gets.slice(before)).toHaveLength(3);
    expect(api.gets[before]).not.toMatch(/^00000000-0000-4000-8000-/);
    expect(two[orgId(2)]?.status).toBe('connected');
    expect(three[orgId(3)]?.status).toBe('connected');
    expect(await state.kind()).toBe('ready');
    expect((await breakers.state(origin)).phase).toBe('closed');
  });

  it('waits twice as long after each failed probe, and a page asking probes early once the last probe is old enough', async () => {
    const { api, service, breakers } = setup(5, {}, undefined, { breaker: { firstWaitMs: 1000, maxWaitMs: 8000, onDemandGapMs: 3000 } });
    const origin = new URL(settingsSchema.parse({}).baseUrl).origin;
    api.failWith = 'unavailable';
    for (const n of [1, 2, 3]) await service.lookup([orgId(n)], 'idle');
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { openUntil } = await breakers.state(origin);
      waits.push(openUntil! - Date.now());
      advance(openUntil! - Date.now());
      await service.recover();
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 8000]);

    const gets = api.gets.length;
    advance(2999);
    await service.lookup([orgId(4)], 'visible');
    expect(api.gets).toHaveLength(gets);
    advance(1);
    api.failWith = undefined;
    expect((await service.lookup([orgId(4)], 'visible'))[orgId(4)]?.status).toBe('connected');
    expect(api.gets).toHaveLength(gets + 2);
  });

  it('takes the same 403 on different IDs in a row to concern every ID; one organization\'s 403 stays its own', async () => {
    const { api, service, state } = setup(10);
    api.forbid.add(orgId(2));
    for (const n of [1, 2, 3]) await service.lookup([orgId(n)], 'visible');
    expect((await service.lookup([orgId(2)], 'visible'))[orgId(2)]).toMatchObject({ status: 'error', error: { kind: 'forbidden' } });
    expect(await state.kind()).toBe('ready');
    // An answer in between ends the streak.
    await service.lookup([orgId(8)], 'visible');

    api.forbid.add(orgId(4)).add(orgId(5)).add(orgId(6));
    const answers = [];
    for (const n of [4, 5, 6]) answers.push((await service.lookup([orgId(n)], 'visible'))[orgId(n)]);
    expect(answers.map((a) => a?.status)).toEqual(['error', 'error', 'unknown']);
    expect(await state.kind()).toBe('forbidden');
    const calls = api.gets.length;
    await service.lookup([orgId(7)], 'visible');
    expect(api.gets).toHaveLength(calls);
  });

  it('takes a 403 whose code names the requester to concern every ID at once', async () => {
    const { api, service, state } = setup(3);
    api.failWith = 'forbidden';
    api.failCode = 'requester_organization_mismatch';
    expect((await service.lookup([orgId(1)], 'visible'))[orgId(1)]).toEqual({ status: 'unknown' });
    expect((await state.current()).error).toMatchObject({ kind: 'forbidden', code: 'requester_organization_mismatch' });
    expect(await state.kind()).toBe('forbidden');
  });

  it('sends none of the queued calls once the credentials are refused', async () => {
    const { api, service, state } = setup(30, { listFillThreshold: 100 });
    const release = api.holdCalls();
    const pending = service.lookup(Array.from({ length: 30 }, (_, i) => orgId(i + 1)), 'idle');
    await vi.waitFor(() => expect(api.gets).toHaveLength(4));
    api.failWith = 'unauthorized';
    release();
    const results = await pending;
    expect(api.gets).toHaveLength(4);
    expect(Object.values(results).every((r) => r.status === 'unknown')).toBe(true);
    expect(await state.kind()).toBe('unauthorized');
  });
});

describe('who asked, and in what order', () => {
  it('drops the queued calls of a frame that is gone, and keeps those another frame still waits for', async () => {
    const gone = new Set<string>();
    const { api, service } = setup(20, { listFillThreshold: 100, concurrency: 2 }, undefined, { isGone: (asker) => gone.has(asker) });
    const release = api.holdCalls();
    const first = service.lookup(Array.from({ length: 10 }, (_, i) => orgId(i + 1)), 'idle', { asker: '1/0' });
    const second = service.lookup([orgId(7), orgId(8)], 'idle', { asker: '2/0' });
    await vi.waitFor(() => expect(api.gets).toHaveLength(2));
    gone.add('1/0');
    release();
    const [dropped, kept] = await Promise.all([first, second]);
    expect(api.gets.sort()).toEqual([orgId(1), orgId(2), orgId(7), orgId(8)]);
    expect(dropped[orgId(5)]).toEqual({ status: 'unknown' });
    expect(kept[orgId(8)]?.status).toBe('connected');
  });

  it('a frame that joins a dropped call late still gets its answer', async () => {
    const gone = new Set<string>();
    const { api, service } = setup(5, { listFillThreshold: 100, concurrency: 1 }, undefined, { isGone: (asker) => gone.has(asker) });
    const release = api.holdCalls();
    void service.lookup([orgId(1), orgId(2)], 'idle', { asker: '1/0' });
    await vi.waitFor(() => expect(api.gets).toHaveLength(1));
    gone.add('1/0');
    release();
    expect((await service.lookup([orgId(2)], 'idle', { asker: '2/0' }))[orgId(2)]?.status).toBe('connected');
  });

  it('moves an ID asked for in view to the front of the queue, however long it waited', async () => {
    const { api, service } = setup(12, { listFillThreshold: 100, concurrency: 1 });
    const release = api.holdCalls();
    const idle = service.lookup(Array.from({ length: 10 }, (_, i) => orgId(i + 1)), 'idle');
    const early = service.lookup([orgId(11)], 'visible');
    await vi.waitFor(() => expect(api.gets).toHaveLength(1));
    const inView = service.lookup([orgId(9)], 'visible');
    await Promise.resolve();
    release();
    await Promise.all([idle, early, inView]);
    expect(api.gets.slice(0, 3)).toEqual([orgId(1), orgId(9), orgId(11)]);
  });
});

describe('worker restart', () => {
  /** A service as a restarted worker builds it: fresh modules, only storage.session kept. */
  async function restartedService(api: FakeApi, tuning: Partial<LookupTuning> = {}) {
    vi.resetModules();
    const { LookupService: FreshService } = await import('@/entrypoints/background/lookup-service');
    const { CacheStore: FreshCache } = await import('@/entrypoints/background/cache-store');
    const { BreakerStore: FreshBreakers } = await import('@/entrypoints/background/breaker-store');
    const { ServiceStateStore: FreshState } = await import('@/entrypoints/background/service-state');
    const settings = settingsSchema.parse({ requesterOrgId: REQUESTER });
    return new FreshService(
      {
        loadSettings: async () => settings,
        accountKey: (s) => `${s.baseUrl}|${s.requesterOrgId}`,
        clientFor: () => api,
        cache: new FreshCache(),
        breakers: new FreshBreakers(),
        state: new FreshState({ credentialsInfo: async () => ({ mode: 'token' }), onChange: () => undefined }),
        onEntriesChanged: () => undefined,
      },
      tuning,
    );
  }

  it('a new worker answers from the stored cache without calling the API', async () => {
    const first = setup(40);
    const ids = Array.from({ length: 45 }, (_, i) => orgId(i + 1));
    await first.service.lookup(ids, 'visible');
    await first.service.lookup([orgId(60)], 'visible');
    const callsBefore = first.api.gets.length + first.api.lists.length;
    expect(callsBefore).toBeGreaterThan(0);

    const api = new FakeApi(40);
    const service = await restartedService(api);
    const results = await service.lookup([...ids, orgId(60)], 'visible');
    expect(api.gets.length + api.lists.length).toBe(0);
    expect(results[orgId(1)]?.status).toBe('connected');
    expect(results[orgId(45)]?.status).toBe('not_connected');
    expect(results[orgId(60)]?.status).toBe('not_connected');
  });

  it('a new worker does not ask again, within the cache lifetime, for a list found too long', async () => {
    const tuning = { listMaxItems: 30 };
    const first = setup(60, tuning);
    await first.service.lookup(Array.from({ length: 25 }, (_, i) => orgId(i + 1)), 'visible');
    expect(first.api.lists).toHaveLength(1);

    const api = new FakeApi(60);
    const service = await restartedService(api, tuning);
    const results = await service.lookup(Array.from({ length: 25 }, (_, i) => orgId(i + 26)), 'visible');
    expect(api.lists).toEqual([]);
    expect(api.gets).toHaveLength(25);
    expect(results[orgId(50)]?.status).toBe('connected');
  });
});
