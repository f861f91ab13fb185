import { request as httpsRequest } from 'node:https';
import { generate } from 'selfsigned';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMockApi, type MockApi } from '../../mock-api/server';
import { DEMO_ORG_IDS, DEV_CLIENT_ID, DEV_CLIENT_SECRET, DEV_REQUESTER_ORG_ID, seedConnections, seedUnknownOrgIds } from '../../mock-api/seed';
import { apiErrorBodySchema, hostConnectionPageSchema, hostConnectionSchema, tokenResponseSchema } from '../../utils/api-schemas';
import { isUuid } from '../../utils/uuid';

let api: MockApi;
let token: string;

beforeAll(async () => {
  api = await startMockApi({ port: 0 });
  token = api.mintToken();
});

afterAll(async () => {
  await api.close();
});

afterEach(() => {
  api.clearFaults();
  api.clearRequests();
  api.setListPaging('supported');
});

function orgHeaders(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    Authorization: `Bearer ${token}`,
    'Requester-Organization-ID': api.requesterOrgId,
    'Target-Organization-ID': api.requesterOrgId,
    ...overrides,
  };
}

function getApi(path: string, headers: Record<string, string> = orgHeaders()): Promise<Response> {
  return fetch(api.url + path, { headers });
}

function postToken(body: string): Promise<Response> {
  return fetch(`${api.url}/oauth2/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
}

async function errorItems(res: Response) {
  return apiErrorBodySchema.parse(await res.json()).detail;
}

function listQuery(params: [string, string][]): string {
  return `/host-connections?${new URLSearchParams(params).toString()}`;
}

const BOTH = [
  ['statuses', 'connected'],
  ['statuses', 'disconnected'],
] as [string, string][];

describe('token endpoint', () => {
  it('mints a token for the dev client that opens the data routes', async () => {
    const res = await postToken(JSON.stringify({ client_id: DEV_CLIENT_ID, client_secret: DEV_CLIENT_SECRET }));
    expect(res.status).toBe(200);
    const body = tokenResponseSchema.parse(await res.json());
    expect(body.expires_in).toBe(3600);
    const one = await getApi(`/host-connections/${DEMO_ORG_IDS.acme}`, orgHeaders({ Authorization: `Bearer ${body.access_token}` }));
    expect(one.status).toBe(200);
  });

  it('answers wrong credentials with the documented oauth error', async () => {
    const res = await postToken(JSON.stringify({ client_id: DEV_CLIENT_ID, client_secret: 'wrong' }));
    expect(res.status).toBe(401);
    expect(await errorItems(res)).toEqual([expect.objectContaining({ type: 'oauth', code: 'oauth_invalid_client_credentials' })]);
  });

  it('answers a malformed body or out-of-range lengths with 422 naming each field', async () => {
    const broken = await postToken('{"client_id":');
    expect(broken.status).toBe(422);
    expect((await errorItems(broken))[0]?.loc).toEqual(['body']);

    const res = await postToken(JSON.stringify({ client_secret: 'x'.repeat(65) }));
    expect(res.status).toBe(422);
    const items = await errorItems(res);
    expect(items.map((i) => [i.loc, i.type])).toEqual([
      [['body', 'client_id'], 'missing'],
      [['body', 'client_secret'], 'string_too_long'],
    ]);
  });

  it('sends the token lifetime it was started with', async () => {
    const short = await startMockApi({ tokenTtlSeconds: 120 });
    try {
      const res = await fetch(`${short.url}/oauth2/token`, {
        method: 'POST',
        body: JSON.stringify({ client_id: DEV_CLIENT_ID, client_secret: DEV_CLIENT_SECRET }),
      });
      expect(tokenResponseSchema.parse(await res.json()).expires_in).toBe(120);
    } finally {
      await short.close();
    }
  });
});

describe('authentication and organization headers', () => {
  it('tells a missing, an expired and a forged token apart', async () => {
    const missing = await getApi(`/host-connections/${DEMO_ORG_IDS.acme}`, orgHeaders({ Authorization: '' }));
    expect(missing.status).toBe(401);
    expect((await errorItems(missing))[0]?.code).toBe('token_missing');

    const expired = await getApi(
      `/host-connections/${DEMO_ORG_IDS.acme}`,
      orgHeaders({ Authorization: `Bearer ${api.mintToken({ expiresInSeconds: -10 })}` }),
    );
    expect(expired.status).toBe(401);
    expect((await errorItems(expired))[0]?.code).toBe('token_expired');

    const [header, , signature] = token.split('.');
    const otherPayload = api.mintToken({ requesterOrgId: api.unknownOrgIds[0] }).split('.')[1];
    const forged = await getApi(
      `/host-connections/${DEMO_ORG_IDS.acme}`,
      orgHeaders({ Authorization: `Bearer ${header}.${otherPayload}.${signature}` }),
    );
    expect(forged.status).toBe(401);
    expect((await errorItems(forged))[0]?.code).toBe('token_invalid_signature');
  });

  it('rejects headers that are not UUIDs and a path that is not one, all in one 422', async () => {
    const headers = orgHeaders({ 'Requester-Organization-ID': 'acme' });
    delete headers['Target-Organization-ID'];
    const res = await getApi('/host-connections/not-a-uuid', headers);
    expect(res.status).toBe(422);
    expect((await errorItems(res)).map((i) => i.loc)).toEqual([
      ['header', 'Requester-Organization-ID'],
      ['header', 'Target-Organization-ID'],
      ['path', 'host_org_id'],
    ]);
  });

  it('forbids a requester other than the token organization, and a target other than the requester', async () => {
    const other = api.unknownOrgIds[1] as string;
    const requester = await getApi(
      `/host-connections/${DEMO_ORG_IDS.acme}`,
      orgHeaders({ 'Requester-Organization-ID': other, 'Target-Organization-ID': other }),
    );
    expect(requester.status).toBe(403);
    expect((await errorItems(requester))[0]?.loc).toEqual(['header', 'Requester-Organization-ID']);

    const target = await getApi(`/host-connections/${DEMO_ORG_IDS.acme}`, orgHeaders({ 'Target-Organization-ID': other }));
    expect(target.status).toBe(403);
    expect((await errorItems(target))[0]?.loc).toEqual(['header', 'Target-Organization-ID']);
  });

  it('shows another organization none of the dev connections', async () => {
    const other = api.unknownOrgIds[2] as string;
    const headers = orgHeaders({
      Authorization: `Bearer ${api.mintToken({ requesterOrgId: other })}`,
      'Requester-Organization-ID': other,
      'Target-Organization-ID': other,
    });
    expect((await getApi(`/host-connections/${DEMO_ORG_IDS.acme}`, headers)).status).toBe(404);
    expect(await (await getApi(listQuery(BOTH), headers)).json()).toEqual({ items: [], total_items: 0 });
  });
});

describe('one host connection', () => {
  it('answers a known id with the object and an unknown one with 404 and an error body', async () => {
    const res = await getApi(`/host-connections/${DEMO_ORG_IDS.acme}`);
    expect(res.status).toBe(200);
    const acme = hostConnectionSchema.parse(await res.json());
    expect(acme).toMatchObject({ host_name: 'Acme Corp', status: 'connected', guest_organization_id: DEV_REQUESTER_ORG_ID });

    const missing = await getApi(`/host-connections/${api.unknownOrgIds[0]}`);
    expect(missing.status).toBe(404);
    expect((await errorItems(missing))[0]?.code).toBe('host_connection_not_found');
  });

  it('answers from api.connections, so a test can change a connection between calls', async () => {
    const globex = api.connections.find((c) => c.host_organization_id === DEMO_ORG_IDS.globex);
    if (!globex) throw new Error('Globex is seeded');
    globex.status = 'connected';
    try {
      const res = await getApi(`/host-connections/${DEMO_ORG_IDS.globex}`);
      expect(((await res.json()) as { status: string }).status).toBe('connected');
    } finally {
      globex.status = 'disconnected';
    }
  });

  it('accepts an upper-case id and answers in lower case', async () => {
    const res = await getApi(`/host-connections/${DEMO_ORG_IDS.globex.toUpperCase()}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { host_organization_id: string }).host_organization_id).toBe(DEMO_ORG_IDS.globex);
  });
});

describe('the list', () => {
  it('filters by status, archived and search text, counting every match in total_items', async () => {
    const all = api.connections;
    const res = await getApi(listQuery([['statuses', 'disconnected'], ['archived', 'true']]));
    const page = hostConnectionPageSchema.parse(await res.json());
    const expected = all.filter((c) => c.status === 'disconnected' && c.archived);
    expect(page.total_items).toBe(expected.length);
    expect(page.items.map((c) => c.host_organization_id)).toEqual(expected.map((c) => c.host_organization_id));

    const search = await getApi(listQuery([...BOTH, ['search_field', 'host_name'], ['search_text', 'aCmE']]));
    expect(((await search.json()) as { items: { host_name: string }[] }).items.map((c) => c.host_name)).toEqual(['Acme Corp']);

    const byOwner = await getApi(listQuery([...BOTH, ['search_field', 'owner_email'], ['search_text', 'wesker']]));
    expect(((await byOwner.json()) as { total_items: number }).total_items).toBe(1);
  });

  it('orders by a field in either direction', async () => {
    const asc = (await (await getApi(listQuery([...BOTH, ['order_by', 'host_email']]))).json()) as { items: { host_email: string }[] };
    const emails = asc.items.map((c) => c.host_email.toLowerCase());
    expect(emails).toEqual([...emails].sort());
    const desc = (await (await getApi(listQuery([...BOTH, ['order_by', 'created_at'], ['order_dir', 'desc']]))).json()) as {
      items: unknown[];
    };
    const created = hostConnectionPageSchema.parse({ items: desc.items, total_items: 0 }).items.map((c) => c.created_at);
    expect(created).toEqual([...created].sort().reverse());
  });

  it('pages with limit and offset without overlap or gaps', async () => {
    const seen: string[] = [];
    let total = Infinity;
    for (let offset = 0; offset < total; offset += 100) {
      const res = await getApi(listQuery([...BOTH, ['order_by', 'host_name'], ['limit', '100'], ['offset', String(offset)]]));
      const page = hostConnectionPageSchema.parse(await res.json());
      total = page.total_items;
      expect(page.items.length).toBeLessThanOrEqual(100);
      seen.push(...page.items.map((c) => c.host_organization_id));
    }
    expect(total).toBe(300);
    expect(new Set(seen).size).toBe(300);
  });

  it('rejects a missing or invalid status, a limit over 100 and a negative offset', async () => {
    const missing = await getApi(listQuery([['limit', '101'], ['offset', '-1']]));
    expect(missing.status).toBe(422);
    expect((await errorItems(missing)).map((i) => i.loc)).toEqual([['query', 'statuses'], ['query', 'limit'], ['query', 'offset']]);

    const comma = await getApi(listQuery([['statuses', 'connected,disconnected']]));
    expect(comma.status).toBe(422);
    expect((await errorItems(comma))[0]?.loc).toEqual(['query', 'statuses', 0]);
  });

  it('ignores or rejects paging parameters as the paging mode says', async () => {
    api.setListPaging('ignored');
    const ignored = hostConnectionPageSchema.parse(await (await getApi(listQuery([...BOTH, ['limit', '2']]))).json());
    expect(ignored.items).toHaveLength(300);

    api.setListPaging('rejected');
    const rejected = await getApi(listQuery([...BOTH, ['limit', '2']]));
    expect(rejected.status).toBe(422);
    expect(await errorItems(rejected)).toEqual([expect.objectContaining({ loc: ['query', 'limit'], type: 'extra_forbidden' })]);
    expect((await getApi(listQuery(BOTH))).status).toBe(200);
  });
});

describe('CORS', () => {
  it('answers preflights and marks every answer', async () => {
    const preflight = await fetch(`${api.url}/host-connections`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://crm.example', 'Access-Control-Request-Method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    const allowed = (preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const name of ['authorization', 'content-type', 'requester-organization-id', 'target-organization-id']) {
      expect(allowed).toContain(name);
    }
    const error = await getApi(`/host-connections/${api.unknownOrgIds[0]}`);
    expect(error.headers.get('access-control-allow-origin')).toBe('*');
    expect(error.headers.get('access-control-expose-headers')).toContain('Retry-After');
  });
});

describe('faults', () => {
  const acmePath = `/host-connections/${DEMO_ORG_IDS.acme}`;

  it('delays an answer and still answers it', async () => {
    api.injectFault({ kind: 'latency', delayMs: 150, times: 1 });
    const started = Date.now();
    const res = await getApi(acmePath);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(res.status).toBe(200);
  });

  it('answers with a status and its error body; 503 is maintenance', async () => {
    api.injectFault({ kind: 'status', status: 503, times: 1 });
    const res = await getApi(acmePath);
    expect(res.status).toBe(503);
    expect(await errorItems(res)).toEqual([expect.objectContaining({ type: 'maintenance', code: 'service_under_maintenance' })]);
  });

  it('counts times down and only hits matching requests', async () => {
    api.injectFault({ kind: 'status', status: 500, times: 2, match: { method: 'GET', pathPrefix: '/host-connections' } });
    const token = await postToken(JSON.stringify({ client_id: DEV_CLIENT_ID, client_secret: DEV_CLIENT_SECRET }));
    expect(token.status).toBe(200);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await getApi(acmePath)).status);
    expect(statuses).toEqual([500, 500, 200]);
  });

  it('lets a latency fault lead into the next matching fault', async () => {
    api.injectFault({ kind: 'latency', delayMs: 50, times: 1 });
    api.injectFault({ kind: 'status', status: 502, times: 1 });
    expect((await getApi(acmePath)).status).toBe(502);
    expect(api.requests[0]?.fault).toBe('status');
  });

  it('sends 429 with the given Retry-After, in seconds or as a date', async () => {
    const date = new Date(Date.now() + 30_000).toUTCString();
    api.injectFault({ kind: 'retry-after', retryAfter: '7', times: 1 });
    api.injectFault({ kind: 'retry-after', retryAfter: date, times: 1 });
    const first = await getApi(acmePath);
    const second = await getApi(acmePath);
    expect([first.status, first.headers.get('retry-after')]).toEqual([429, '7']);
    expect([second.status, second.headers.get('retry-after')]).toEqual([429, date]);
  });

  it('drops the connection without an answer', async () => {
    api.injectFault({ kind: 'drop', times: 1 });
    await expect(getApi(acmePath)).rejects.toThrow();
    expect(api.requests[0]?.status).toBeNull();
  });

  it('cuts a body off midway', async () => {
    api.injectFault({ kind: 'drop-mid-body', times: 1 });
    const res = await getApi(acmePath);
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    expect(api.requests[0]).toMatchObject({ status: 200, fault: 'drop-mid-body' });
  });

  it('sends broken JSON with a 200', async () => {
    api.injectFault({ kind: 'malformed-json', times: 1 });
    const res = await getApi(acmePath);
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow(SyntaxError);
  });

  it('sends a 403 or 401 with the code and words it is given', async () => {
    api.injectFault({ kind: 'status', status: 403, code: 'requester_organization_mismatch', msg: 'Requester does not match', times: 1 });
    const res = await getApi(acmePath);
    expect(res.status).toBe(403);
    expect(await errorItems(res)).toEqual([expect.objectContaining({ type: 'permission', code: 'requester_organization_mismatch', msg: 'Requester does not match' })]);
  });

  it('matches a whole path, so the list can fail while single connections answer', async () => {
    api.injectFault({ kind: 'status', status: 422, match: { path: '/host-connections' } });
    expect((await getApi(listQuery(BOTH))).status).toBe(422);
    expect((await getApi(acmePath)).status).toBe(200);
  });

  it('ends an outage by itself after forMs', async () => {
    api.injectFault({ kind: 'status', status: 503, forMs: 150 });
    expect((await getApi(acmePath)).status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await getApi(acmePath)).status).toBe(200);
    expect(api.requests.map((r) => r.fault)).toEqual(['status', undefined]);
  });

  it('breaks the named items of a list and leaves the rest whole', async () => {
    const ids = api.connections.slice(0, 4).map((c) => c.host_organization_id);
    api.injectFault({ kind: 'bad-items', ids: [ids[2]!], field: 'host_email', times: 1 });
    const page = (await (await getApi(listQuery([...BOTH, ['limit', '4']]))).json()) as { items: Record<string, unknown>[]; total_items: number };
    expect(page.items.map((item) => 'host_email' in item)).toEqual([true, true, false, true]);
    expect(page.items.filter((item) => hostConnectionSchema.safeParse(item).success)).toHaveLength(3);
    api.injectFault({ kind: 'bad-items', times: 1 });
    const first = (await (await getApi(listQuery([...BOTH, ['limit', '4']]))).json()) as { items: Record<string, unknown>[] };
    expect(first.items.map((item) => 'host_name' in item)).toEqual([false, true, true, true]);
  });

  it('sends valid JSON that breaks the schema, for one connection and for the list', async () => {
    api.injectFault({ kind: 'schema-break', times: 2 });
    const one = (await (await getApi(acmePath)).json()) as Record<string, unknown>;
    expect(one).not.toHaveProperty('host_name');
    expect(hostConnectionSchema.safeParse(one).success).toBe(false);
    const list = await (await getApi(listQuery(BOTH))).json();
    expect(hostConnectionPageSchema.safeParse(list).success).toBe(false);
  });
});

describe('request log', () => {
  it('records every API request in order without the Authorization value', async () => {
    await getApi(listQuery([...BOTH, ['limit', '5']]));
    await getApi(`/host-connections/${api.unknownOrgIds[0]}`);
    expect(api.requests).toHaveLength(2);
    expect(api.requests[0]).toMatchObject({
      method: 'GET',
      path: '/v1-beta/host-connections',
      query: { statuses: ['connected', 'disconnected'], limit: ['5'] },
      status: 200,
      hasAuthorization: true,
    });
    expect(api.requests[0]?.headers['requester-organization-id']).toBe(api.requesterOrgId);
    expect(api.requests[1]?.status).toBe(404);
    expect(JSON.stringify(api.requests)).not.toContain(token);
    expect(Object.keys(api.requests[0]?.headers ?? {})).not.toContain('authorization');
    api.clearRequests();
    expect(api.requests).toHaveLength(0);
  });
});

describe('control routes', () => {
  const control = (path: string, init?: RequestInit) => fetch(`${api.origin}/__mock/${path}`, init);
  const postJson = (path: string, body: unknown) => control(path, { method: 'POST', body: JSON.stringify(body) });

  it('arms and clears faults', async () => {
    expect((await postJson('faults', { kind: 'status', status: 503 })).status).toBe(204);
    expect((await getApi(`/host-connections/${DEMO_ORG_IDS.acme}`)).status).toBe(503);
    expect((await control('faults', { method: 'DELETE' })).status).toBe(204);
    expect((await getApi(`/host-connections/${DEMO_ORG_IDS.acme}`)).status).toBe(200);
    expect((await postJson('faults', { kind: 'explode' })).status).toBe(400);
  });

  it('reads and clears the request log, leaving itself out of it', async () => {
    await getApi(`/host-connections/${DEMO_ORG_IDS.acme}`);
    const log = (await (await control('requests')).json()) as { path: string; status: number }[];
    expect(log).toEqual([expect.objectContaining({ path: `/v1-beta/host-connections/${DEMO_ORG_IDS.acme}`, status: 200 })]);
    expect((await control('requests', { method: 'DELETE' })).status).toBe(204);
    expect(api.requests).toHaveLength(0);
  });

  it('mints tokens, expired ones included', async () => {
    const { access_token } = (await (await postJson('token', { expiresInSeconds: -10 })).json()) as { access_token: string };
    const res = await getApi(`/host-connections/${DEMO_ORG_IDS.acme}`, orgHeaders({ Authorization: `Bearer ${access_token}` }));
    expect((await errorItems(res))[0]?.code).toBe('token_expired');
  });

  it('tells another process the dev account and the seeded data', async () => {
    const info = (await (await control('info')).json()) as Record<string, unknown>;
    expect(info).toMatchObject({ url: api.url, requesterOrgId: DEV_REQUESTER_ORG_ID, devClient: api.devClient, unknownOrgIds: api.unknownOrgIds });
    expect(await (await control('connections')).json()).toEqual(api.connections);
  });

  it('switches the paging mode', async () => {
    expect((await postJson('list-paging', { mode: 'rejected' })).status).toBe(204);
    expect((await getApi(listQuery([...BOTH, ['offset', '0']]))).status).toBe(422);
    expect((await postJson('list-paging', { mode: 'sometimes' })).status).toBe(400);
  });
});

describe('seeded data', () => {
  it('is deterministic per seed, with the demo entries first whatever the seed', () => {
    const a = seedConnections(5, 120, DEV_REQUESTER_ORG_ID);
    expect(seedConnections(5, 120, DEV_REQUESTER_ORG_ID)).toEqual(a);
    const b = seedConnections(6, 120, DEV_REQUESTER_ORG_ID);
    expect(b.slice(0, 4).map((c) => c.host_name)).toEqual(['Acme Corp', 'Globex GmbH', 'Initech', 'Umbrella KK']);
    expect(b.slice(0, 17)).toEqual(a.slice(0, 17));
    expect(b.slice(17)).not.toEqual(a.slice(17));
  });

  it('fits the schema and covers every state the extension must draw', () => {
    const all = api.connections;
    for (const c of all) hostConnectionSchema.parse(c);
    expect(new Set(all.map((c) => c.host_organization_id)).size).toBe(all.length);
    expect(all.every((c) => c.host_organization_id === c.host_organization_id.toLowerCase())).toBe(true);
    expect(all.some((c) => c.status === 'connected' && !c.archived)).toBe(true);
    expect(all.some((c) => c.status === 'disconnected' && !c.archived)).toBe(true);
    expect(all.filter((c) => c.archived).every((c) => c.archived_at !== null)).toBe(true);
    const actions = new Set(all.map((c) => c.active_action_type));
    for (const action of [null, 'analytics_request', 'documents_update_request', 'kyc_review_request']) expect(actions).toContain(action);
    const names = all.map((c) => c.host_name);
    expect(names.some((n) => n.length === 300)).toBe(true);
    for (const name of ['<img src=x onerror=alert(1)>', '<b>Bold</b> & Co', '株式会社山田製作所', 'شركة النور للتجارة']) {
      expect(names).toContain(name);
    }
    const dates = all.map((c) => c.created_at);
    expect(dates.some((d) => /Z$/.test(d))).toBe(true);
    expect(dates.some((d) => /\.\d{6}$/.test(d))).toBe(true);
  });

  it('gives 50 valid ids that are not host organizations', () => {
    expect(api.unknownOrgIds).toHaveLength(50);
    const hosts = new Set(api.connections.map((c) => c.host_organization_id));
    expect(api.unknownOrgIds.every((id) => isUuid(id) && !hosts.has(id))).toBe(true);
    expect(seedUnknownOrgIds(1, 50, hosts)).toEqual(api.unknownOrgIds);
  });
});

describe('TLS', () => {
  it('serves the API over HTTPS with the given certificate', async () => {
    const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], { keySize: 2048, algorithm: 'sha256' });
    const secure = await startMockApi({ tls: { key: pems.private, cert: pems.cert } });
    try {
      expect(secure.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/v1-beta$/);
      const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpsRequest(
          `${secure.url}/oauth2/token`,
          { method: 'POST', rejectUnauthorized: false, headers: { 'Content-Type': 'application/json' } },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ client_id: DEV_CLIENT_ID, client_secret: DEV_CLIENT_SECRET }));
      });
      expect(status).toBe(200);
      expect(tokenResponseSchema.safeParse(JSON.parse(body)).success).toBe(true);
    } finally {
      await secure.close();
    }
  });
});
