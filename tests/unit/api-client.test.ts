import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/utils/api-error';
import { createApiClient, listQueryString, requestToken, type ApiClientConfig } from '@/utils/api-client';
import { FailingEndpoints } from '@/utils/failing-endpoints';

const REQUESTER = '5d0c8f3e-2b7a-4e19-8c64-a1f0e9d7b312';
const TARGET = '0a8e4b7c-3d2f-4e6a-8c1b-5f9d2e7a4c02';
const HOST = '6f1d2c3b-8a4e-4c1f-9b2a-1e5d7c9a0b01';
const TOKEN = 'header.payload.signature-of-the-token';

const connection = {
  host_organization_id: HOST,
  guest_organization_id: REQUESTER,
  host_name: 'Acme Corp',
  host_email: 'ops@acme.example',
  owner_email: 'owner@acme.example',
  status: 'connected',
  archived: false,
  created_at: '2023-11-07T05:31:56Z',
  updated_at: '2025-12-12T12:00:00.123456',
  archived_at: null,
  active_action_type: null,
  active_action_updated_at: null,
};

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

const errorBody = (msg: string, code = 'x') => ({ detail: [{ loc: [], msg, type: 't', code }] });

type Answer = Response | Error | (() => Response | Promise<Response>);

function fakeFetch(...answers: Answer[]) {
  return vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit): Promise<Response> => {
    const next = answers.length > 1 ? answers.shift() : answers[0];
    if (next === undefined) throw new Error('no answer left');
    if (next instanceof Error) throw next;
    return typeof next === 'function' ? next() : next.clone();
  });
}

function client(fetch: ReturnType<typeof fakeFetch>, overrides: Partial<ApiClientConfig> = {}) {
  return createApiClient({
    baseUrl: 'https://api.example.com/v1-beta/',
    requesterOrgId: REQUESTER,
    targetOrgId: TARGET,
    getAccessToken: async () => TOKEN,
    fetch,
    random: () => 0.5,
    failingEndpoints: new FailingEndpoints(),
    ...overrides,
  });
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 10, 29, 3, 0, 0) });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('requests', () => {
  it('sends the bearer token, both organization headers and Accept, to an encoded path', async () => {
    const fetch = fakeFetch(json(200, connection));
    const result = await client(fetch).getHostConnection('a/b?c');
    expect(result.host_name).toBe('Acme Corp');
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('https://api.example.com/v1-beta/host-connections/a%2Fb%3Fc');
    expect(init?.method).toBe('GET');
    expect(init?.credentials).toBe('omit');
    expect(init?.signal).toBeInstanceOf(AbortSignal);
    expect(init?.headers).toEqual({
      Authorization: `Bearer ${TOKEN}`,
      'Requester-Organization-ID': REQUESTER,
      'Target-Organization-ID': TARGET,
      Accept: 'application/json',
    });
  });

  it('repeats the statuses key once per value in the list query', async () => {
    expect(
      listQueryString({ statuses: ['connected', 'disconnected'], search_field: 'host_name', search_text: 'a&b', archived: false, limit: 100, offset: 0 }),
    ).toBe('statuses=connected&statuses=disconnected&search_field=host_name&search_text=a%26b&archived=false&limit=100&offset=0');
    const fetch = fakeFetch(json(200, { items: [connection], total_items: 1 }));
    const page = await client(fetch).listHostConnections({ statuses: ['connected'] });
    expect(page.total_items).toBe(1);
    expect(fetch.mock.calls[0]![0]).toBe('https://api.example.com/v1-beta/host-connections?statuses=connected');
  });

  it('refuses an invalid list query without calling the API', async () => {
    const fetch = fakeFetch(json(200, {}));
    const error = await failure(client(fetch).listHostConnections({ statuses: [] }));
    expect(error.kind).toBe('invalid_request');
    expect(error.details?.[0]).toMatch(/^statuses/);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('passes on the error of getAccessToken without calling the API', async () => {
    const fetch = fakeFetch(json(200, connection));
    const getAccessToken = () => Promise.reject(new ApiError({ kind: 'not_configured', message: 'none' }));
    expect((await failure(client(fetch, { getAccessToken }).getHostConnection(HOST))).kind).toBe('not_configured');
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('error mapping without retries', () => {
  it.each([
    [403, 'forbidden'],
    [404, 'not_connected'],
    [400, 'invalid_request'],
    [405, 'invalid_request'],
    [302, 'invalid_response'],
  ] as const)('maps HTTP %i to %s on the first answer', async (status, kind) => {
    const fetch = fakeFetch(json(status, errorBody('nope')));
    const error = await failure(client(fetch).getHostConnection(HOST));
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    expect(fetch).toHaveBeenCalledOnce();
  });

  it('surfaces every message of a 422 and never the token, even when the API echoes it', async () => {
    const fetch = fakeFetch(json(422, { detail: [{ msg: 'Input should be a valid UUID' }, { msg: `bad header Bearer ${TOKEN}` }] }));
    const error = await failure(client(fetch).getHostConnection('acme'));
    expect(error.kind).toBe('invalid_request');
    expect(error.details).toEqual(['Input should be a valid UUID', 'bad header Bearer [redacted]']);
    expect(JSON.stringify(error.toInfo())).not.toContain(TOKEN);
  });

  it('treats the maintenance code as unavailable whatever the status', async () => {
    const fetch = fakeFetch(json(400, errorBody('Service is under maintenance', 'service_under_maintenance')));
    expect((await failure(client(fetch).getHostConnection(HOST))).kind).toBe('unavailable');
  });

  it('names the field of a body that breaks the schema and refuses one that is not JSON', async () => {
    const error = await failure(client(fakeFetch(json(200, { ...connection, host_name: undefined }))).getHostConnection(HOST));
    expect(error.kind).toBe('invalid_response');
    expect(error.details?.[0]).toMatch(/^host_name: /);
    const notJson = await failure(client(fakeFetch(new Response('{"items": [', { status: 200 }))).getHostConnection(HOST));
    expect(notJson.kind).toBe('invalid_response');
    const badList = await failure(client(fakeFetch(json(200, { items: [connection], total_items: '1' }))).listHostConnections({ statuses: ['connected'] }));
    expect(badList.details?.[0]).toMatch(/^total_items: /);
  });

  it('keeps the good items of a list and names the bad ones, by organization where it can be read', async () => {
    const other = { ...connection, host_organization_id: '0a8e4b7c-3d2f-4e6a-8c1b-5f9d2e7a4c02' };
    const items = [connection, { ...other, host_name: undefined }, { ...connection, host_organization_id: 'not-a-uuid', status: 'maybe' }];
    const page = await client(fakeFetch(json(200, { items, total_items: 3 }))).listHostConnections({ statuses: ['connected'] });
    expect(page.items.map((c) => c.host_organization_id)).toEqual([connection.host_organization_id]);
    expect(page.total_items).toBe(3);
    expect(page.rejected).toHaveLength(2);
    expect(page.rejected[0]).toEqual({ hostOrgId: other.host_organization_id, details: [expect.stringMatching(/^host_name: /)] });
    expect(page.rejected[1]!.hostOrgId).toBeUndefined();
    expect(page.rejected[1]!.details.join()).toMatch(/host_organization_id/);
  });
});

describe('retries', () => {
  it('retries a 503 with capped, jittered backoff, then succeeds', async () => {
    const fetch = fakeFetch(json(503, errorBody('busy')), json(502, errorBody('busy')), json(200, connection));
    const sleep = vi.fn((_ms: number) => Promise.resolve());
    await client(fetch, { sleep, random: () => 0.5 }).getHostConnection(HOST);
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(sleep.mock.calls.map((call) => call[0])).toEqual([150, 300]);
  });

  it('waits on the real clock between attempts and stops after three', async () => {
    const fetch = fakeFetch(json(500, errorBody('boom')));
    const pending = failure(client(fetch, { random: () => 0.999 }).getHostConnection(HOST));
    await vi.advanceTimersByTimeAsync(0);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(298);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2);
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(600);
    expect(fetch).toHaveBeenCalledTimes(3);
    const error = await pending;
    expect(error.kind).toBe('unavailable');
    expect(error.status).toBe(500);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it('retries network errors and timeouts, and reports the last', async () => {
    const timeout = new DOMException('signal timed out', 'TimeoutError');
    const sleep = () => Promise.resolve();
    const fetch = fakeFetch(new TypeError('fetch failed'), timeout, new TypeError('fetch failed'));
    const error = await failure(client(fetch, { sleep }).getHostConnection(HOST));
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(error.kind).toBe('network');
    const timedOut = await failure(client(fakeFetch(timeout), { sleep }).getHostConnection(HOST));
    expect(timedOut.kind).toBe('timeout');
  });

  it('tells a request the browser holds back after 5xx answers from being offline', async () => {
    const sleep = () => Promise.resolve();
    const failingEndpoints = new FailingEndpoints();
    const failingApi = client(fakeFetch(json(500, errorBody('boom'))), { sleep, failingEndpoints });
    expect((await failure(failingApi.listHostConnections({ statuses: ['connected'], limit: 100, offset: 0 }))).kind).toBe('unavailable');

    // Same path, other query: the browser's throttle answers as a network error, at once.
    const throttled = fakeFetch(new TypeError('Failed to fetch'));
    const held = await failure(client(throttled, { sleep, failingEndpoints }).listHostConnections({ statuses: ['connected'], limit: 1, offset: 0 }));
    expect(held.kind).toBe('unavailable');
    expect(held.message).toMatch(/holds back/);
    expect(throttled).toHaveBeenCalledTimes(1);

    // Another path never answered 5xx: that failure is the network.
    const offline = await failure(client(fakeFetch(new TypeError('Failed to fetch')), { sleep, failingEndpoints }).getHostConnection(HOST));
    expect(offline.kind).toBe('network');
  });

  it('honours Retry-After in seconds', async () => {
    const fetch = fakeFetch(json(429, errorBody('slow down'), { 'Retry-After': '3' }), json(200, connection));
    const pending = client(fetch).getHostConnection(HOST);
    await vi.advanceTimersByTimeAsync(2999);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect((await pending).host_name).toBe('Acme Corp');
  });

  it('honours Retry-After as an HTTP-date', async () => {
    const at = new Date(Date.now() + 4000).toUTCString();
    const fetch = fakeFetch(json(429, errorBody('slow down'), { 'Retry-After': at }), json(200, connection));
    const sleep = vi.fn((_ms: number) => Promise.resolve());
    await client(fetch, { sleep }).getHostConnection(HOST);
    expect(sleep.mock.calls[0]![0]).toBe(4000);
  });

  it('fails at once as rate limited when the wait would pass the deadline', async () => {
    const fetch = fakeFetch(json(429, errorBody('slow down'), { 'Retry-After': '86400000' }));
    const sleep = vi.fn((_ms: number) => Promise.resolve());
    const error = await failure(client(fetch, { sleep }).getHostConnection(HOST));
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAt).toBe(Date.now() + 60 * 60_000);
    expect(fetch).toHaveBeenCalledOnce();
    expect(sleep).not.toHaveBeenCalled();
  });

  it('does not wait past the deadline for backoff either', async () => {
    let clock = 0;
    const fetch = fakeFetch(() => {
      clock += 24_900;
      return json(503, errorBody('busy'));
    });
    const sleep = vi.fn((_ms: number) => Promise.resolve());
    const error = await failure(client(fetch, { sleep, now: () => clock }).getHostConnection(HOST));
    expect(error.kind).toBe('unavailable');
    expect(sleep).not.toHaveBeenCalled();
  });

  it('hands back the caller cancellation as it is', async () => {
    const controller = new AbortController();
    const reason = new Error('view closed');
    const fetch = fakeFetch(json(503, errorBody('busy')));
    const pending = client(fetch, { random: () => 0.999 }).getHostConnection(HOST, { signal: controller.signal });
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(fetch).toHaveBeenCalledOnce();
  });
});

describe('401 and renewal', () => {
  it('renews once and retries once with the new token', async () => {
    const fetch = fakeFetch(json(401, errorBody('expired', 'token_expired')), json(200, connection));
    const renewAccessToken = vi.fn(async () => 'fresh.token.value');
    await client(fetch, { renewAccessToken }).getHostConnection(HOST);
    expect(renewAccessToken).toHaveBeenCalledExactlyOnceWith(TOKEN);
    expect((fetch.mock.calls[1]![1]?.headers as Record<string, string>).Authorization).toBe('Bearer fresh.token.value');
  });

  it('is unauthorized after a second 401, renewing only once', async () => {
    const fetch = fakeFetch(json(401, errorBody('expired')));
    const renewAccessToken = vi.fn(async () => 'fresh.token.value');
    const error = await failure(client(fetch, { renewAccessToken }).getHostConnection(HOST));
    expect(error.kind).toBe('unauthorized');
    expect(renewAccessToken).toHaveBeenCalledOnce();
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('is unauthorized at once when no renewal is possible', async () => {
    const fetch = fakeFetch(json(401, errorBody('expired')));
    const renewAccessToken = vi.fn(async () => undefined);
    expect((await failure(client(fetch, { renewAccessToken }).getHostConnection(HOST))).kind).toBe('unauthorized');
    expect(fetch).toHaveBeenCalledOnce();
  });
});

describe('requestToken', () => {
  it('posts the client credentials as JSON and reads the token', async () => {
    const fetch = fakeFetch(json(200, { access_token: 'a.b.c', expires_in: 3600 }));
    expect(await requestToken('https://api.example.com/v1-beta/', 'id', 'secret', { fetch })).toEqual({ access_token: 'a.b.c', expires_in: 3600 });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('https://api.example.com/v1-beta/oauth2/token');
    expect(init?.method).toBe('POST');
    expect(JSON.parse(init?.body as string)).toEqual({ client_id: 'id', client_secret: 'secret' });
  });

  it('is never retried', async () => {
    const fetch = fakeFetch(json(503, errorBody('busy')));
    expect((await failure(requestToken('https://api.example.com', 'id', 'secret', { fetch }))).kind).toBe('unavailable');
    expect(fetch).toHaveBeenCalledOnce();
  });

  it('reports rejected client credentials as unauthorized without echoing the secret', async () => {
    const fetch = fakeFetch(json(401, errorBody('Invalid client credentials: s3cr3t', 'oauth_invalid_client_credentials')));
    const error = await failure(requestToken('https://api.example.com', 'id', 's3cr3t', { fetch }));
    expect(error.kind).toBe('unauthorized');
    expect(JSON.stringify(error.toInfo())).not.toContain('s3cr3t');
  });
});
