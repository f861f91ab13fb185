import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockApi, type MockApi } from '../../mock-api/server';
import { ApiError } from '@/utils/api-error';
import { createApiClient, requestToken, type ApiClientConfig } from '@/utils/api-client';
import { readJwt } from '@/utils/jwt';

let api: MockApi;
const OTHER_ORG = '0a8e4b7c-3d2f-4e6a-8c1b-5f9d2e7a4c02';

beforeAll(async () => {
  api = await startMockApi({ port: 0 });
});
afterAll(async () => {
  await api.close();
});
beforeEach(() => {
  api.clearFaults();
  api.clearRequests();
});

/** A client whose waits are recorded and skipped: the server cannot tell, the tests stay fast. */
function client(overrides: Partial<ApiClientConfig> = {}) {
  const waits: number[] = [];
  const token = api.mintToken();
  const instance = createApiClient({
    baseUrl: `${api.url}/`,
    requesterOrgId: api.requesterOrgId,
    targetOrgId: api.requesterOrgId,
    getAccessToken: async () => token,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...overrides,
  });
  return { api: instance, waits, token };
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

const known = () => api.connections[0]!.host_organization_id;
const apiRequests = () => api.requests.filter((r) => r.method !== 'OPTIONS');

describe('successful calls', () => {
  it('reads one connection, sending the documented headers', async () => {
    const connection = await client().api.getHostConnection(known().toUpperCase());
    expect(connection.host_organization_id).toBe(known());
    expect(connection.guest_organization_id).toBe(api.requesterOrgId);
    const [request] = apiRequests();
    expect(request?.hasAuthorization).toBe(true);
    expect(request?.headers['requester-organization-id']).toBe(api.requesterOrgId);
    expect(request?.headers['target-organization-id']).toBe(api.requesterOrgId);
    expect(request?.headers.accept).toBe('application/json');
  });

  it('parses every seeded connection, both date forms and unknown action types included', async () => {
    const page = await client().api.listHostConnections({ statuses: ['connected', 'disconnected'], limit: 100, offset: 0 });
    expect(page.items).toHaveLength(100);
    expect(page.total_items).toBe(api.connections.length);
    const all = [page];
    for (let offset = 100; offset < page.total_items; offset += 100) {
      all.push(await client().api.listHostConnections({ statuses: ['connected', 'disconnected'], limit: 100, offset }));
    }
    const items = all.flatMap((p) => p.items);
    expect(new Set(items.map((c) => c.host_organization_id)).size).toBe(api.connections.length);
    expect(items.map((c) => c.active_action_type)).toContain('kyc_review_request');
  });

  it('sends statuses once per value and applies the filters', async () => {
    const page = await client().api.listHostConnections({
      statuses: ['connected', 'disconnected'],
      search_field: 'host_name',
      search_text: 'acme',
      archived: false,
      order_by: 'host_name',
      order_dir: 'asc',
    });
    expect(apiRequests()[0]?.query).toMatchObject({ statuses: ['connected', 'disconnected'], search_text: ['acme'], archived: ['false'] });
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((c) => c.host_name.toLowerCase().includes('acme') && !c.archived)).toBe(true);
    const connectedOnly = await client().api.listHostConnections({ statuses: ['connected'] });
    expect(connectedOnly.items.every((c) => c.status === 'connected')).toBe(true);
  });
});

describe('every error kind the server produces', () => {
  it('401 for an expired token: renews once, retries once', async () => {
    const fresh = api.mintToken();
    const renewed: string[] = [];
    const { api: c } = client({
      getAccessToken: async () => api.mintToken({ expiresInSeconds: -10 }),
      renewAccessToken: async (rejected) => {
        renewed.push(rejected);
        return fresh;
      },
    });
    expect((await c.getHostConnection(known())).host_organization_id).toBe(known());
    expect(renewed).toHaveLength(1);
    expect(apiRequests().map((r) => r.status)).toEqual([401, 200]);
  });

  it('401 again after the renewal: unauthorized, with no token in the error', async () => {
    const expired = api.mintToken({ expiresInSeconds: -10 });
    const { api: c } = client({ getAccessToken: async () => expired, renewAccessToken: async () => expired });
    const error = await failure(c.getHostConnection(known()));
    expect(error.kind).toBe('unauthorized');
    expect(error.details).toEqual(['Token has expired']);
    expect(JSON.stringify(error.toInfo())).not.toContain(expired);
    expect(apiRequests().map((r) => r.status)).toEqual([401, 401]);
  });

  it('403 when the requester is not the token organization', async () => {
    const { api: c } = client({ getAccessToken: async () => api.mintToken({ requesterOrgId: OTHER_ORG }) });
    const error = await failure(c.getHostConnection(known()));
    expect(error.kind).toBe('forbidden');
    expect(error.details).toEqual(['Requester organization does not match the token']);
    expect(apiRequests()).toHaveLength(1);
  });

  it('404 for an organization without a connection', async () => {
    const error = await failure(client().api.getHostConnection(api.unknownOrgIds[0]!));
    expect(error.kind).toBe('not_connected');
    expect(apiRequests()).toHaveLength(1);
  });

  it('422 for a malformed path, with the API messages', async () => {
    const error = await failure(client().api.getHostConnection('not-a-uuid/..'));
    expect(error.kind).toBe('invalid_request');
    expect(error.details).toEqual(['Input should be a valid UUID']);
    expect(apiRequests()[0]?.path).toBe('/v1-beta/host-connections/not-a-uuid%2F..');
  });

  it('429 with Retry-After in seconds: waits as told, then succeeds', async () => {
    api.injectFault({ kind: 'retry-after', retryAfter: '2', times: 1 });
    const { api: c, waits } = client();
    await c.getHostConnection(known());
    expect(waits).toEqual([2000]);
    expect(apiRequests().map((r) => r.status)).toEqual([429, 200]);
  });

  it('429 with Retry-After as an HTTP-date: waits until then', async () => {
    api.injectFault({ kind: 'retry-after', retryAfter: new Date(Date.now() + 5000).toUTCString(), times: 1 });
    const { api: c, waits } = client();
    await c.getHostConnection(known());
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(2000);
    expect(waits[0]).toBeLessThanOrEqual(5000);
  });

  it('429 asking for an absurd wait: rate limited at once, with the time to retry', async () => {
    api.injectFault({ kind: 'retry-after', retryAfter: '999999999' });
    const { api: c, waits } = client();
    const error = await failure(c.getHostConnection(known()));
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAt).toBeGreaterThan(Date.now() + 30_000);
    expect(waits).toEqual([]);
    expect(apiRequests()).toHaveLength(1);
  });

  it('429 for good: rate limited after three attempts', async () => {
    api.injectFault({ kind: 'retry-after', retryAfter: '1' });
    const error = await failure(client().api.getHostConnection(known()));
    expect(error.kind).toBe('rate_limited');
    expect(apiRequests()).toHaveLength(3);
  });

  it('500 and 503 are retried, then unavailable', async () => {
    api.injectFault({ kind: 'status', status: 500 });
    const { api: c, waits } = client();
    const error = await failure(c.getHostConnection(known()));
    expect(error.kind).toBe('unavailable');
    expect(error.status).toBe(500);
    expect(apiRequests()).toHaveLength(3);
    expect(waits).toHaveLength(2);
    expect(waits.every((w) => w >= 0 && w <= 5000)).toBe(true);

    api.clearFaults();
    api.clearRequests();
    api.injectFault({ kind: 'status', status: 503, times: 2 });
    expect((await c.getHostConnection(known())).host_organization_id).toBe(known());
    expect(apiRequests().map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it('a dropped connection is a network error, retried', async () => {
    api.injectFault({ kind: 'drop' });
    const error = await failure(client().api.getHostConnection(known()));
    expect(error.kind).toBe('network');
    expect(apiRequests()).toHaveLength(3);
  });

  it('a connection cut mid-body is a network error', async () => {
    api.injectFault({ kind: 'drop-mid-body', times: 1 });
    const connection = await client().api.getHostConnection(known());
    expect(connection.host_organization_id).toBe(known());
    api.injectFault({ kind: 'drop-mid-body' });
    expect((await failure(client().api.getHostConnection(known()))).kind).toBe('network');
  });

  it('an answer slower than the per-attempt timeout is a timeout', async () => {
    api.injectFault({ kind: 'latency', delayMs: 1000 });
    const error = await failure(client({ timeoutMs: 150 }).api.getHostConnection(known()));
    expect(error.kind).toBe('timeout');
    expect(apiRequests()).toHaveLength(3);
  });

  it('the overall deadline ends the call, retries included', async () => {
    api.injectFault({ kind: 'latency', delayMs: 1000 });
    const error = await failure(client({ timeoutMs: 5000, deadlineMs: 200 }).api.getHostConnection(known()));
    expect(error.kind).toBe('timeout');
    expect(apiRequests()).toHaveLength(1);
  });

  it('malformed JSON is an invalid response', async () => {
    api.injectFault({ kind: 'malformed-json' });
    const error = await failure(client().api.getHostConnection(known()));
    expect(error.kind).toBe('invalid_response');
    expect(apiRequests()).toHaveLength(1);
  });

  it('a body that breaks the schema is an invalid response naming the field', async () => {
    api.injectFault({ kind: 'schema-break' });
    const one = await failure(client().api.getHostConnection(known()));
    expect(one.kind).toBe('invalid_response');
    expect(one.details?.map((d) => d.split(':')[0])).toEqual(expect.arrayContaining(['host_name', 'archived']));
    // A list is read item by item, but one without a count cannot be read at all.
    const list = await failure(client().api.listHostConnections({ statuses: ['connected'], limit: 5 }));
    expect(list.details?.map((d) => d.split(':')[0])).toEqual(['total_items']);
  });

  it('a list with malformed items keeps the good ones and names the bad ones by organization', async () => {
    const ids = api.connections.slice(0, 5).map((c) => c.host_organization_id);
    api.injectFault({ kind: 'bad-items', ids: [ids[1]!, ids[3]!], field: 'owner_email' });
    const page = await client().api.listHostConnections({ statuses: ['connected', 'disconnected'], limit: 5 });
    expect(page.items.map((c) => c.host_organization_id)).toEqual([ids[0], ids[2], ids[4]]);
    expect(page.rejected.map((r) => r.hostOrgId)).toEqual([ids[1], ids[3]]);
    expect(page.rejected[0]!.details[0]).toMatch(/^owner_email: /);
    expect(page.total_items).toBe(api.connections.length);
  });
});

describe('requestToken', () => {
  it('mints a token for the dev client that the API then accepts', async () => {
    const response = await requestToken(`${api.url}/`, api.devClient.clientId, api.devClient.clientSecret);
    expect(response.expires_in).toBe(3600);
    const claims = readJwt(response.access_token);
    expect(claims?.orgId).toBe(api.requesterOrgId);
    expect(claims?.exp).toBeGreaterThan(Date.now() + 3500_000);
    const connection = await client({ getAccessToken: async () => response.access_token }).api.getHostConnection(known());
    expect(connection.host_organization_id).toBe(known());
  });

  it('reports a wrong secret as unauthorized, once, without the secret', async () => {
    const error = await failure(requestToken(api.url, api.devClient.clientId, 'wrong-secret-value'));
    expect(error.kind).toBe('unauthorized');
    expect(JSON.stringify(error.toInfo())).not.toContain('wrong-secret-value');
    expect(apiRequests()).toHaveLength(1);
  });

  it('is not retried on a server error', async () => {
    api.injectFault({ kind: 'status', status: 503, match: { pathPrefix: '/oauth2/token' } });
    const error = await failure(requestToken(api.url, api.devClient.clientId, api.devClient.clientSecret));
    expect(error.kind).toBe('unavailable');
    expect(apiRequests()).toHaveLength(1);
  });

  it('rejects a token answer that breaks the schema, naming the field', async () => {
    api.injectFault({ kind: 'schema-break', match: { pathPrefix: '/oauth2/token' } });
    const error = await failure(requestToken(api.url, api.devClient.clientId, api.devClient.clientSecret));
    expect(error.kind).toBe('invalid_response');
    expect(error.details?.[0]).toMatch(/^access_token/);
  });
});
