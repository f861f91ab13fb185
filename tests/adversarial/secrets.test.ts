import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startMockApi, type MockApi } from '../../mock-api/server';
import { DEMO_ORG_IDS } from '../../mock-api/seed';
import { grantOrigins } from '../support/fake-permissions';
import { saveMockSettings } from './lookup-stack';
import { attack, fault } from './tally';
import { senders, startWorker, type Sender, type Worker } from './worker-harness';

let api: MockApi;
let worker: Worker;

/** Everything that leaves the background or could be read outside it, as text. */
const seen = { answers: [] as string[], console: [] as string[], thrown: [] as string[], pushes: [] as string[], toolbar: [] as string[] };
const localSnapshots: Record<string, unknown>[] = [];
const secrets = new Set<string>();
let sessionHeldSecret = false;

async function ask(message: unknown, sender: Sender): Promise<unknown> {
  try {
    const answer = await worker.send(message, sender);
    seen.answers.push(JSON.stringify(answer));
    return answer;
  } catch (error) {
    seen.thrown.push(inspect(error, { depth: 10 }));
    return undefined;
  } finally {
    await collectStorage();
  }
}

async function collectStorage(): Promise<void> {
  const session = await fakeBrowser.storage.session.get(null);
  const stored = session.accessToken as { token?: string } | undefined;
  if (stored?.token) secrets.add(stored.token);
  if (JSON.stringify(session).includes(api.devClient.clientSecret)) sessionHeldSecret = true;
  localSnapshots.push(await fakeBrowser.storage.local.get(null));
}

function leaksIn(texts: string[]): string[] {
  return texts.filter((text) => [...secrets].some((secret) => text.includes(secret)));
}

beforeAll(async () => {
  api = await startMockApi({ port: 0 });
});
afterAll(async () => {
  await api?.close();
});
beforeEach(async () => {
  fakeBrowser.reset();
  for (const list of Object.values(seen)) list.length = 0;
  localSnapshots.length = 0;
  secrets.clear();
  sessionHeldSecret = false;
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      seen.console.push(args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg, { depth: 10 }))).join(' '));
    });
  }
  vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockImplementation(async (...args: unknown[]) => {
    seen.pushes.push(JSON.stringify(args));
    return undefined;
  });
  for (const method of ['setTitle', 'setBadgeText'] as const) {
    const real = fakeBrowser.action[method].bind(fakeBrowser.action) as (details: unknown) => Promise<void>;
    vi.spyOn(fakeBrowser.action, method).mockImplementation(async (details: unknown) => {
      seen.toolbar.push(JSON.stringify(details));
      return real(details);
    });
  }
  await saveMockSettings(api, { cacheTtlSeconds: 60 });
  worker = await startWorker();
});

const tab1 = senders.content(11);
const tab2 = senders.content(12, 'https://acme--c.visualforce.com/apex/Account', 4);

async function browseAround(round: number): Promise<void> {
  const ids = api.connections.slice(round * 8, round * 8 + 8).map((c) => c.host_organization_id);
  await ask({ type: 'reportIds', ids }, tab1);
  await ask({ type: 'lookup', ids, priority: 'visible' }, tab1);
  await ask({ type: 'lookup', ids: [...ids.slice(4), ...api.unknownOrgIds.slice(0, 3)], priority: 'idle' }, tab2);
  await ask({ type: 'lookupOne', id: DEMO_ORG_IDS.htmlImg }, senders.card);
  await ask({ type: 'lookupOne', id: DEMO_ORG_IDS.htmlImg, refresh: true }, senders.popup);
  await ask({ type: 'getState' }, senders.popup);
  await ask({ type: 'getPageConfig' }, tab2);
  await ask({ type: 'getTabIds', tabId: 11 }, senders.popup);
  await ask({ type: 'getCredentialsInfo' }, senders.options);
}

/** Every way a page or our content script could try to pry credentials out: each refused (and searched for leaks at the end). */
async function pry(): Promise<void> {
  const attempts: [unknown, Sender][] = [
    ...['getCredentialsInfo', 'testConnection', 'saveCredentials', 'clearCredentials', 'getState'].map((type): [unknown, Sender] => [{ type }, tab1]),
    [{ type: 'getCredentialsInfo' }, senders.card],
    [{ type: 'lookupOne', id: 'access_token' }, tab1],
  ];
  for (const [message, sender] of attempts) await attack(async () => expect(await ask(message, sender)).toMatchObject({ ok: false }));
}

describe('secrets stay in the background after a full session', { timeout: 60_000 }, () => {
  it.each([true, false])('API client (remember %s), renewals, errors, a pasted token, sign-out: no leak anywhere', async (remember) => {
    const wrongSecret = 'wrong-secret-7f3a9c';
    secrets.add(api.devClient.clientSecret).add(wrongSecret);

    await ask({ type: 'saveCredentials', auth: { mode: 'client', clientId: api.devClient.clientId, clientSecret: wrongSecret, remember } }, senders.options);
    await ask({ type: 'saveCredentials', auth: { mode: 'client', ...api.devClient, remember } }, senders.options);
    await ask({ type: 'testConnection' }, senders.options);
    await browseAround(0);
    await pry();

    // The server stops taking the token: the next calls renew it (a 401 on the way).
    const session = await fakeBrowser.storage.session.get('accessToken');
    const expired = api.mintToken({ expiresInSeconds: -5 });
    secrets.add(expired);
    await fakeBrowser.storage.session.set({ accessToken: { ...(session.accessToken as object), token: expired } });
    fault();
    await browseAround(1);

    // Errors of every kind, each with its own message text.
    for (const [kind, status] of [['status', 500], ['status', 403], ['status', 401], ['retry-after', 429], ['schema-break', 200], ['malformed-json', 200], ['drop', 0]] as const) {
      api.injectFault({ kind, ...(kind === 'status' ? { status } : {}), match: { pathPrefix: '/host-connections' } });
      fault();
      await ask({ type: 'lookupOne', id: api.unknownOrgIds[10]!, refresh: true }, senders.popup);
      await ask({ type: 'testConnection' }, senders.options);
      api.clearFaults();
    }
    api.injectFault({ kind: 'status', status: 401, match: { pathPrefix: '/oauth2/token' }, times: 1 });
    fault();
    await ask({ type: 'saveCredentials', auth: { mode: 'client', ...api.devClient, remember } }, senders.options);
    await browseAround(2);

    // A pasted token, then one that expired, then signing out.
    const pasted = api.mintToken({ expiresInSeconds: 600 });
    secrets.add(pasted);
    await ask({ type: 'saveCredentials', auth: { mode: 'token', token: pasted } }, senders.options);
    await browseAround(3);
    await pry();
    await ask({ type: 'saveCredentials', auth: { mode: 'token', token: expired } }, senders.options);
    await ask({ type: 'clearCredentials' }, senders.options);
    await browseAround(4);

    // The search is real: the needles were where they belong.
    expect(secrets.size).toBeGreaterThanOrEqual(5);
    expect(sessionHeldSecret).toBe(true);
    expect(seen.answers.length).toBeGreaterThan(50);

    expect(leaksIn(seen.answers)).toEqual([]);
    expect(leaksIn(seen.console)).toEqual([]);
    expect(leaksIn(seen.thrown)).toEqual([]);
    expect(leaksIn(seen.pushes)).toEqual([]);
    expect(leaksIn(seen.toolbar)).toEqual([]);

    // `local` is open to our content scripts on Firefox (no access levels) and Chrome before 140:
    // no token ever, and the client secret only in the item the user asked for.
    for (const local of localSnapshots) {
      const { rememberedClient, ...rest } = local;
      expect(leaksIn([JSON.stringify(rest)])).toEqual([]);
      if (!remember) expect(rememberedClient).toBeUndefined();
      const tokens = [...secrets].filter((s) => s !== api.devClient.clientSecret && s !== wrongSecret);
      expect(tokens.some((token) => JSON.stringify(rememberedClient ?? '').includes(token))).toBe(false);
    }
    const sawRemembered = localSnapshots.some((local) => local.rememberedClient !== undefined);
    expect(sawRemembered).toBe(remember);

    // `sync` would copy a secret to every device of the account: it is never used.
    expect(await fakeBrowser.storage.sync.get(null)).toEqual({});

    // Signed out: nothing left anywhere.
    const after = JSON.stringify([await fakeBrowser.storage.local.get(null), await fakeBrowser.storage.session.get(null)]);
    expect(leaksIn([after])).toEqual([]);
  });
});

/**
 * An API that puts whatever it was sent into its error texts: the client secret of a token
 * request, the bearer token of a lookup, and, on the calls of the token it minted, the client
 * secret it knows.
 */
async function startEchoingApi(secret: string, token: string) {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const answer = (status: number, messages: string[]) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ detail: messages.map((msg) => ({ loc: ['body'], msg, type: 'echo', code: 'echo' })) }));
      };
      if (req.url?.endsWith('/oauth2/token')) {
        const sent = JSON.parse(body || '{}') as { client_secret?: string };
        if (sent.client_secret === secret) {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ access_token: token, expires_in: 3600 }));
          return;
        }
        answer(401, [`invalid client: you sent ${body}`, `expected ${secret}, got ${sent.client_secret}`]);
        return;
      }
      const authorization = req.headers.authorization ?? '';
      const status = [403, 422, 400, 500, 404][echoed++ % 5]!;
      const minted = authorization === `Bearer ${token}`;
      answer(status, [`token rejected: ${authorization}`, `bare ${authorization.replace(/^Bearer /, '')}!`, ...(minted ? [`the secret of this client is ${secret}`] : [])]);
    });
  });
  let echoed = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: `${origin}/v1-beta`, origin, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('an API that echoes the secrets in its error texts', { timeout: 60_000 }, () => {
  it('neither the token nor the client secret reaches an answer, a log line, a push, the toolbar or storage open to pages', async () => {
    const secret = 'echo-client-secret-51c0e2';
    const wrong = 'echo-wrong-secret-0b77d4';
    const token = api.mintToken({ expiresInSeconds: 3600 });
    const pasted = api.mintToken({ expiresInSeconds: 1800 });
    secrets.add(secret).add(wrong).add(token).add(pasted);
    const echo = await startEchoingApi(secret, token);
    try {
      grantOrigins(`${echo.origin}/*`);
      const { settingsSchema } = await import('@/utils/settings');
      await fakeBrowser.storage.local.set({ settings: settingsSchema.parse({ baseUrl: echo.url, requesterOrgId: api.requesterOrgId }), settings$: { v: 2 } });
      worker = await startWorker();
      const client = { mode: 'client', clientId: 'echo-client', remember: false } as const;
      expect(await ask({ type: 'saveCredentials', auth: { ...client, clientSecret: secret } }, senders.options)).toMatchObject({ ok: true, value: { ok: true } });
      // A mistyped secret, while the right one is held: the API answers with both.
      const refused = await ask({ type: 'saveCredentials', auth: { ...client, clientSecret: wrong } }, senders.options);
      expect(refused).toMatchObject({ ok: true, value: { ok: false, error: { kind: 'unauthorized' } } });
      for (let round = 0; round < 5; round++) {
        const id = api.unknownOrgIds[20 + round]!;
        await ask({ type: 'reportIds', ids: [id] }, tab1);
        await ask({ type: 'lookup', ids: [id], priority: 'visible' }, tab1);
        await ask({ type: 'lookupOne', id }, senders.card);
        await ask({ type: 'lookupOne', id, refresh: true }, senders.popup);
        await ask({ type: 'testConnection' }, senders.options);
      }
      await ask({ type: 'saveCredentials', auth: { mode: 'token', token: pasted } }, senders.options);
      await ask({ type: 'lookupOne', id: api.unknownOrgIds[30]!, refresh: true }, senders.popup);
      await ask({ type: 'testConnection' }, senders.options);

      // The search is real: the API's texts did come back, redacted.
      expect(seen.answers.join('\n')).toContain('[redacted]');
      await attack(() => {
        expect(leaksIn(seen.answers)).toEqual([]);
        expect(leaksIn(seen.console)).toEqual([]);
        expect(leaksIn(seen.thrown)).toEqual([]);
        expect(leaksIn(seen.pushes)).toEqual([]);
        expect(leaksIn(seen.toolbar)).toEqual([]);
        for (const local of localSnapshots) expect(leaksIn([JSON.stringify(local)])).toEqual([]);
      });
    } finally {
      await echo.close();
    }
  });
});

