import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startMockApi, type MockApi } from '../../mock-api/server';
import { DEMO_ORG_IDS } from '../../mock-api/seed';
import { requestsTo, saveMockSettings, startLookupStack, type StackOptions } from './lookup-stack';
import { attack, fault } from './tally';

let api: MockApi;
const ACME = DEMO_ORG_IDS.acme;
const GLOBEX = DEMO_ORG_IDS.globex;

/** Waits of the client's backoff and Retry-After, recorded instead of slept. */
let waits: number[];
/** The service's clock: cache ages and breaker cool-downs move only when a test moves it. */
let clock: number;
const fast = (): StackOptions => ({
  now: () => clock,
  client: {
    timeoutMs: 400,
    deadlineMs: 3000,
    sleep: async (ms) => {
      waits.push(ms);
    },
  },
  breaker: { threshold: 3, firstWaitMs: 30_000, maxWaitMs: 60_000, probeTimeoutMs: 60_000, onDemandGapMs: 60_000 },
});

async function signedInStack(options: StackOptions = fast()) {
  await saveMockSettings(api, { cacheTtlSeconds: 60 });
  const stack = await startLookupStack(options);
  await stack.auth.saveCredentials({ mode: 'client', ...api.devClient, remember: false });
  return stack;
}

beforeAll(async () => {
  api = await startMockApi({ port: 0 });
});
afterAll(async () => {
  await api?.close();
});
beforeEach(() => {
  fakeBrowser.reset();
  api.clearFaults();
  api.clearRequests();
  waits = [];
  clock = Date.now();
  // The service warns on every failed call and toolbar update; the tests read states instead.
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

// Each test imports a fresh background (as a new worker would): the first import is slow.
describe('the API fails in every way the network can', { timeout: 60_000 }, () => {
  it('a request that hangs past the timeout makes the service wait for the API, not an error of the ID, and it answers once the API is quick again', async () => {
    const stack = await signedInStack();
    api.injectFault({ kind: 'latency', delayMs: 1500, match: { pathPrefix: '/host-connections' } });
    fault();
    const during = await stack.lookup([ACME]);
    expect(during[ACME]).toEqual({ status: 'unknown' });
    expect(await stack.state()).toMatchObject({ kind: 'unavailable', error: { kind: 'timeout' } });
    expect(requestsTo(api, '/host-connections').length).toBeLessThanOrEqual(3);

    api.clearFaults();
    const after = await stack.lookup([ACME]);
    expect(after[ACME]).toMatchObject({ status: 'connected', stale: false });
  });

  it('a connection dropped mid-body is retried and the answer is whole', async () => {
    const stack = await signedInStack();
    api.injectFault({ kind: 'drop-mid-body', times: 1, match: { pathPrefix: '/host-connections' } });
    fault();
    const result = await stack.lookup([ACME]);
    expect(result[ACME]).toMatchObject({ status: 'connected', connection: { host_organization_id: ACME } });
    expect(requestsTo(api, '/host-connections')).toHaveLength(2);
  });

  it('connections that always drop leave the service offline with nothing invented, and it recovers', async () => {
    const stack = await signedInStack();
    api.injectFault({ kind: 'drop', match: { pathPrefix: '/host-connections' } });
    fault();
    const during = await stack.lookup([ACME, GLOBEX]);
    expect(during[ACME]).toEqual({ status: 'unknown' });
    expect(during[GLOBEX]).toEqual({ status: 'unknown' });
    expect((await stack.state()).kind).toBe('offline');

    api.clearFaults();
    const after = await stack.lookup([ACME, GLOBEX]);
    expect(after[ACME]).toMatchObject({ status: 'connected' });
    expect(after[GLOBEX]).toMatchObject({ status: 'disconnected' });
    expect((await stack.state()).kind).toBe('ready');
  });

  it.each([
    ['seconds', '1', true],
    ['an HTTP-date two seconds ahead', () => new Date(Date.now() + 2000).toUTCString(), true],
    ['a date already past', 'Thu, 01 Jan 1970 00:00:00 GMT', true],
    ['absurd seconds', '99999999999999999999', false],
    ['a date in year 9999', 'Fri, 31 Dec 9999 23:59:59 GMT', false],
    ['a negative number', '-5', true],
    ['garbage', 'soon, maybe', true],
  ] as const)('429 with Retry-After as %s: bounded wait, clear answer, correct after', async (_name, header, retried) => {
    const stack = await signedInStack();
    const retryAfter = typeof header === 'function' ? header() : header;
    api.injectFault({ kind: 'retry-after', retryAfter, times: 1, match: { pathPrefix: '/host-connections' } });
    fault();
    const result = await stack.lookup([ACME]);
    for (const wait of waits) expect(wait).toBeLessThanOrEqual(3000);
    if (retried) {
      expect(result[ACME]).toMatchObject({ status: 'connected' });
    } else {
      // Said once, as the service's state with the time calls resume, and every call waits till then.
      expect(result[ACME]).toEqual({ status: 'unknown' });
      const state = await stack.state();
      expect(state.kind).toBe('rate_limited');
      expect(state.retryAt).toBeGreaterThan(Date.now());
      expect(state.retryAt).toBeLessThanOrEqual(Date.now() + 60 * 60_000 + 5000);
      expect(requestsTo(api, '/host-connections')).toHaveLength(1);
      expect((await stack.lookup([GLOBEX]))[GLOBEX]).toEqual({ status: 'unknown' });
      expect(requestsTo(api, '/host-connections')).toHaveLength(1);
      clock = state.retryAt!;
      const after = await stack.lookup([ACME]);
      expect(after[ACME]).toMatchObject({ status: 'connected' });
    }
  });

  it('a 500/502/503 storm: one probe at a time, then the breaker opens (no more calls), and one good probe closes it', async () => {
    const stack = await signedInStack();
    const statuses = [500, 502, 503];
    for (const status of statuses) api.injectFault({ kind: 'status', status, match: { pathPrefix: '/host-connections' }, times: 3 });
    fault(9);
    const ids = api.unknownOrgIds.slice(0, 3);
    for (const id of ids) {
      const result = await stack.lookup([id]);
      expect(result[id]).toEqual({ status: 'unknown' });
    }
    expect((await stack.state()).kind).toBe('unavailable');
    // The first call and its retries; after it, each lookup sends one probe of a single attempt first.
    const callsBefore = requestsTo(api, '/host-connections').length;
    expect(callsBefore).toBe(5);

    // Open: answers come at once, from cache or as unknown, and the API is left alone.
    const open = await stack.lookup([ACME]);
    expect(open[ACME]).toEqual({ status: 'unknown' });
    expect(requestsTo(api, '/host-connections')).toHaveLength(callsBefore);

    clock += 30_001;
    api.clearFaults();
    const probe = await stack.lookup([ACME]);
    expect(probe[ACME]).toMatchObject({ status: 'connected' });
    expect((await stack.state()).kind).toBe('ready');
    const closed = await stack.lookup([GLOBEX]);
    expect(closed[GLOBEX]).toMatchObject({ status: 'disconnected' });
  });

  it('a probe that fails opens the breaker again, for twice as long', async () => {
    const stack = await signedInStack();
    api.injectFault({ kind: 'status', status: 503, match: { pathPrefix: '/host-connections' } });
    fault();
    for (const id of api.unknownOrgIds.slice(0, 3)) await stack.lookup([id]);
    clock += 30_001;
    const callsBefore = requestsTo(api, '/host-connections').length;
    await stack.lookup([ACME]);
    expect(requestsTo(api, '/host-connections')).toHaveLength(callsBefore + 1);
    // The first wait was at most 30 s; the next one is at least that (60 s, half of it jitter).
    clock += 29_000;
    await stack.lookup([GLOBEX]);
    expect(requestsTo(api, '/host-connections')).toHaveLength(callsBefore + 1);

    api.clearFaults();
    clock += 31_001;
    expect((await stack.lookup([GLOBEX]))[GLOBEX]).toMatchObject({ status: 'disconnected' });
  });

  it.each(['malformed-json', 'schema-break'] as const)('a %s body names what went wrong, for that ID only, and is not cached', async (kind) => {
    const stack = await signedInStack();
    api.injectFault({ kind, match: { pathPrefix: '/host-connections' }, times: 1 });
    fault();
    const during = await stack.lookup([ACME]);
    expect(during[ACME]).toMatchObject({ status: 'error', error: { kind: 'invalid_response' } });
    expect((await stack.state()).kind).toBe('ready');
    const after = await stack.lookup([ACME]);
    expect(after[ACME]).toMatchObject({ status: 'connected' });
  });

  it('a schema-breaking or malformed token answer fails the sign-in without storing anything', async () => {
    await saveMockSettings(api);
    const stack = await startLookupStack(fast());
    for (const kind of ['schema-break', 'malformed-json'] as const) {
      api.injectFault({ kind, match: { pathPrefix: '/oauth2/token' }, times: 1 });
      fault();
      await expect(stack.auth.saveCredentials({ mode: 'client', ...api.devClient, remember: true })).rejects.toMatchObject({
        kind: 'invalid_response',
      });
      expect(await stack.auth.getCredentialsInfo()).toEqual({ mode: 'none' });
    }
  });

  it('a token that expires during a burst from several tabs is renewed exactly once', async () => {
    const stack = await signedInStack(fast());
    const { accessTokenItem } = stack.storage;
    const stored = await accessTokenItem.getValue();
    // The server has stopped accepting the token while the extension still believes it good.
    await accessTokenItem.setValue({ ...stored!, token: api.mintToken({ expiresInSeconds: -10 }) });
    api.clearRequests();
    fault();
    const fresh = await startLookupStack(fast());
    const tabs = [api.connections.slice(20, 26), api.connections.slice(26, 32), api.connections.slice(20, 29)].map((slice) =>
      slice.map((c) => c.host_organization_id),
    );
    const answers = await Promise.all(tabs.map((ids) => fresh.lookup(ids)));
    answers.forEach((answer, index) => {
      for (const id of tabs[index]!) expect(answer[id]?.status).toMatch(/^(connected|disconnected|archived)$/);
    });
    expect(requestsTo(api, '/oauth2/token')).toHaveLength(1);
    expect(requestsTo(api, '/host-connections').filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(1);
  });

  it('the API going away serves stale answers marked stale; coming back serves fresh ones', async () => {
    const stack = await signedInStack();
    const first = await stack.lookup([ACME, GLOBEX]);
    expect(first[ACME]).toMatchObject({ status: 'connected', stale: false });

    api.injectFault({ kind: 'drop' });
    fault();
    clock += 3 * 60_000;
    const unknownId = api.unknownOrgIds[0]!;
    const away = await stack.lookup([ACME, GLOBEX, unknownId]);
    expect(away[ACME]).toMatchObject({ status: 'connected', stale: true });
    expect(away[GLOBEX]).toMatchObject({ status: 'disconnected', stale: true });
    expect(away[unknownId]).toEqual({ status: 'unknown' });
    expect((await stack.state()).kind).toBe('offline');

    // After its cool-down one probe goes out; the calls wait for it, and go once it answered.
    api.clearFaults();
    clock += 60_000;
    const probing = await stack.lookup([ACME, GLOBEX]);
    expect(probing[ACME]).toMatchObject({ status: 'connected', stale: false });
    expect(probing[GLOBEX]).toMatchObject({ status: 'disconnected', stale: false });
    const back = await stack.lookup([ACME, GLOBEX, unknownId]);
    expect(back[ACME]).toMatchObject({ status: 'connected', stale: false });
    expect(back[GLOBEX]).toMatchObject({ status: 'disconnected', stale: false });
    expect(back[unknownId]).toMatchObject({ status: 'not_connected', stale: false });
    expect((await stack.state()).kind).toBe('ready');
  });

  it('a network blip that eats the token renewal does not sign the user out', async () => {
    const stack = await signedInStack();
    const { accessTokenItem } = stack.storage;
    const stored = await accessTokenItem.getValue();
    // The server no longer accepts the token (expired there, or its signing key changed) ...
    await accessTokenItem.setValue({ ...stored!, token: api.mintToken({ expiresInSeconds: -10 }) });
    // ... and the one POST that would renew it is cut off.
    api.injectFault({ kind: 'drop', match: { pathPrefix: '/oauth2/token' }, times: 1 });
    fault(2);
    const during = await stack.lookup([GLOBEX]);
    expect(during[GLOBEX]?.status).not.toBe('error');
    expect((await stack.state()).kind).not.toBe('unauthorized');

    const after = await stack.lookup([GLOBEX]);
    expect(after[GLOBEX]).toMatchObject({ status: 'disconnected', stale: false });
    expect((await stack.state()).kind).toBe('ready');
  });

  it('a 401 that survives renewal signs the service out instead of looping', async () => {
    const stack = await signedInStack();
    api.injectFault({ kind: 'status', status: 401, match: { pathPrefix: '/host-connections' } });
    fault();
    await attack(async () => {
      const result = await stack.lookup([ACME]);
      expect(result[ACME]).toEqual({ status: 'unknown' });
      expect((await stack.state()).kind).toBe('unauthorized');
      expect(requestsTo(api, '/host-connections')).toHaveLength(2);
      expect(requestsTo(api, '/oauth2/token')).toHaveLength(2);
    });
  });
});
