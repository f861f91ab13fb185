import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  accountKey,
  clearCredentials,
  createClientForSettings,
  getAccessToken,
  getCredentialsInfo,
  renewAccessToken,
  RENEWAL_GRACE_MS,
  saveCredentials,
} from '@/entrypoints/background/auth';
import { ApiError } from '@/utils/api-error';
import { DEFAULT_SETTINGS, type Settings } from '@/utils/settings';
import { settingsItem } from '@/utils/storage';
import { grantOrigins, revokeOrigins } from '../support/fake-permissions';

const BASE = 'https://api.test/v1-beta';
const REQUESTER = '5d0c8f3e-2b7a-4e19-8c64-a1f0e9d7b312';
const HOST = '6f1d2c3b-8a4e-4c1f-9b2a-1e5d7c9a0b01';
const SECRET = 'mca-dev-secret-4f9a2c7e1b';
const START = Date.UTC(2026, 10, 29, 3, 0, 0);
const SETTINGS: Settings = { ...DEFAULT_SETTINGS, baseUrl: BASE, requesterOrgId: REQUESTER };

function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2ln`;
}

let issued = 0;

/** A token endpoint that hands out numbered tokens, optionally holding each answer until released. */
function tokenServer(opts: { hold?: boolean; status?: number } = {}) {
  const waiting: (() => void)[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    if (opts.hold) await new Promise<void>((resolve) => waiting.push(resolve));
    if (String(input) !== `${BASE}/oauth2/token` || init?.method !== 'POST') throw new Error(`unexpected ${String(input)}`);
    const body = JSON.parse(String(init.body)) as { client_id: string; client_secret: string };
    if (opts.status || body.client_secret !== SECRET) {
      return new Response(JSON.stringify({ detail: [{ msg: 'Invalid client credentials', code: 'oauth_invalid_client_credentials' }] }), {
        status: opts.status ?? 401,
      });
    }
    issued += 1;
    return new Response(JSON.stringify({ access_token: jwt({ sub: body.client_id, n: issued }), expires_in: 3600 }), { status: 200 });
  });
  vi.stubGlobal('fetch', fetch);
  return { fetch, release: () => waiting.splice(0).forEach((resolve) => resolve()) };
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

const client = { mode: 'client', clientId: 'mca-dev-client', clientSecret: SECRET } as const;

beforeEach(async () => {
  fakeBrowser.reset();
  vi.useFakeTimers({ toFake: ['Date'], now: START });
  grantOrigins('https://api.test/*');
  await clearCredentials();
  await settingsItem.setValue(SETTINGS);
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('without credentials', () => {
  it('is not configured', async () => {
    expect((await failure(getAccessToken())).kind).toBe('not_configured');
    expect(await getCredentialsInfo()).toEqual({ mode: 'none' });
    expect(await renewAccessToken('x')).toBeUndefined();
  });
});

describe('a pasted token', () => {
  const exp = Math.floor(START / 1000) + 600;
  const token = jwt({ sub: 'jane@example.com', org_id: REQUESTER, exp });

  it('is stored in session and used as it is; its expiry and subject are shown, never the token', async () => {
    const info = await saveCredentials({ mode: 'token', token: ` ${token} ` });
    expect(info).toEqual({ mode: 'token', subject: 'jane@example.com', expiresAt: exp * 1000 });
    expect(await getAccessToken()).toBe(token);
    expect(JSON.stringify(await getCredentialsInfo())).not.toContain(token);
    expect(await fakeBrowser.storage.local.get(null)).not.toHaveProperty('rememberedClient');
  });

  it('says plainly that it expired once its exp has passed', async () => {
    await saveCredentials({ mode: 'token', token });
    vi.setSystemTime(exp * 1000 + 1);
    const error = await failure(getAccessToken());
    expect(error.kind).toBe('unauthorized');
    expect(error.message).toMatch(/pasted access token expired at 2026-11-29T03:10:00\.000Z/);
    expect(error.message).not.toContain(token);
  });

  it('cannot be renewed', async () => {
    await saveCredentials({ mode: 'token', token });
    expect(await renewAccessToken(token)).toBeUndefined();
  });

  it('is refused when it is not a JWT or already expired, keeping what was there', async () => {
    await saveCredentials({ mode: 'token', token });
    expect((await failure(saveCredentials({ mode: 'token', token: 'not-a-token' }))).kind).toBe('invalid_request');
    const expired = jwt({ sub: 'x', exp: Math.floor(START / 1000) - 1 });
    const error = await failure(saveCredentials({ mode: 'token', token: expired }));
    expect(error.kind).toBe('unauthorized');
    expect(error.message).toMatch(/expired/);
    expect(await getAccessToken()).toBe(token);
  });
});

describe('an API client', () => {
  it('mints a token on save and reuses it until a minute before expiry', async () => {
    const server = tokenServer();
    expect(await saveCredentials({ ...client, remember: false })).toEqual({ mode: 'client', clientId: client.clientId, remembered: false });
    expect(server.fetch).toHaveBeenCalledOnce();
    const first = await getAccessToken();
    vi.setSystemTime(START + 3540_000 - 1);
    expect(await getAccessToken()).toBe(first);
    expect(server.fetch).toHaveBeenCalledOnce();
    vi.setSystemTime(START + 3540_000 + 1);
    const second = await getAccessToken();
    expect(second).not.toBe(first);
    expect(server.fetch).toHaveBeenCalledTimes(2);
  });

  it('mints from the base URL a policy locks, not the user setting', async () => {
    const server = tokenServer();
    await settingsItem.setValue({ ...SETTINGS, baseUrl: 'https://user-choice.test' });
    await fakeBrowser.storage.managed.set({ baseUrl: BASE });
    await saveCredentials({ ...client, remember: false });
    expect(server.fetch.mock.calls[0]![0]).toBe(`${BASE}/oauth2/token`);
  });

  it('keeps the secret in session only, unless remembered', async () => {
    tokenServer();
    await saveCredentials({ ...client, remember: false });
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toContain(SECRET);
    expect(JSON.stringify(await getCredentialsInfo())).not.toContain(SECRET);
  });

  it('comes back from "remember on this device" after the session was emptied', async () => {
    const server = tokenServer();
    await saveCredentials({ ...client, remember: true });
    await fakeBrowser.storage.session.clear();
    expect(await getCredentialsInfo()).toEqual({ mode: 'client', clientId: client.clientId, remembered: true });
    await getAccessToken();
    expect(server.fetch).toHaveBeenCalledTimes(2);
    expect(await fakeBrowser.storage.session.get('credentials')).toEqual({ credentials: { ...client, origin: 'https://api.test' } });
  });

  it('stores nothing when the API rejects the client', async () => {
    tokenServer();
    const error = await failure(saveCredentials({ ...client, clientSecret: 'wrong', remember: true }));
    expect(error.kind).toBe('unauthorized');
    expect(await getCredentialsInfo()).toEqual({ mode: 'none' });
    expect(await fakeBrowser.storage.local.get(null)).not.toHaveProperty('rememberedClient');
  });

  it('renews once for ten concurrent callers', async () => {
    const server = tokenServer();
    await saveCredentials({ ...client, remember: false });
    const rejected = await getAccessToken();
    const held = tokenServer({ hold: true });
    const renewals = Array.from({ length: 10 }, () => renewAccessToken(rejected));
    await vi.waitFor(() => expect(held.fetch).toHaveBeenCalledOnce());
    held.release();
    const tokens = await Promise.all(renewals);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(rejected);
    expect(held.fetch).toHaveBeenCalledOnce();
    expect(server.fetch).toHaveBeenCalledOnce();
    expect(await getAccessToken()).toBe(tokens[0]);
  });

  it('does not mint again for a caller whose rejected token was already replaced', async () => {
    const server = tokenServer();
    await saveCredentials({ ...client, remember: false });
    const rejected = await getAccessToken();
    const renewed = await renewAccessToken(rejected);
    expect(await renewAccessToken(rejected)).toBe(renewed);
    expect(server.fetch).toHaveBeenCalledTimes(2);
  });

  it('does not renew a token it minted moments ago that was refused too, but does once it is older', async () => {
    const server = tokenServer();
    await saveCredentials({ ...client, remember: false });
    const renewed = (await renewAccessToken(await getAccessToken()))!;
    expect(server.fetch).toHaveBeenCalledTimes(2);
    vi.setSystemTime(START + RENEWAL_GRACE_MS - 1);
    expect(await renewAccessToken(renewed)).toBeUndefined();
    expect(server.fetch).toHaveBeenCalledTimes(2);
    vi.setSystemTime(START + RENEWAL_GRACE_MS);
    expect(await renewAccessToken(renewed)).not.toBe(renewed);
    expect(server.fetch).toHaveBeenCalledTimes(3);
  });

  it('throws the ApiError of a failed renewal', async () => {
    tokenServer();
    await saveCredentials({ ...client, remember: false });
    const rejected = await getAccessToken();
    tokenServer({ status: 503 });
    expect((await failure(renewAccessToken(rejected))).kind).toBe('unavailable');
  });

  it('does not store a token minted for credentials cleared meanwhile', async () => {
    tokenServer();
    await saveCredentials({ ...client, remember: false });
    const rejected = await getAccessToken();
    const held = tokenServer({ hold: true });
    const renewal = renewAccessToken(rejected);
    await vi.waitFor(() => expect(held.fetch).toHaveBeenCalledOnce());
    await clearCredentials();
    held.release();
    await renewal;
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});
  });
});

describe('credentials are bound to the API origin they were entered for', () => {
  const token = jwt({ sub: 'jane@example.com', exp: Math.floor(START / 1000) + 600 });
  const elsewhere = 'https://api.attacker.example/v1-beta';

  it.each([
    ['another host', elsewhere],
    ['another port', 'https://api.test:8443/v1-beta'],
    ['http on loopback', 'http://127.0.0.1:8787/v1-beta'],
  ])('a base URL moved to %s finds no credentials: nothing is sent there, and the options are told why', async (_name, moved) => {
    const server = tokenServer();
    await saveCredentials({ ...client, remember: true });
    // Moved as anything that can write `local` could, to an origin the browser would let us call.
    grantOrigins(`${new URL(moved).origin}/*`);
    await settingsItem.setValue({ ...SETTINGS, baseUrl: moved });
    await fakeBrowser.storage.session.remove('accessToken');
    expect((await failure(getAccessToken())).kind).toBe('not_configured');
    expect(await renewAccessToken('x')).toBeUndefined();
    expect((await failure(createClientForSettings({ ...SETTINGS, baseUrl: moved }).then((api) => api.getHostConnection(HOST)))).kind).toBe(
      'not_configured',
    );
    // The one POST is the mint at save; the token server throws on (and counts) any other URL.
    expect(server.fetch).toHaveBeenCalledOnce();
    expect(await getCredentialsInfo()).toEqual({ mode: 'none', enteredFor: 'https://api.test' });
    // Back at the address they were entered for, they are used again.
    await settingsItem.setValue(SETTINGS);
    expect(await getAccessToken()).toMatch(/\./);
  });

  it('a pasted token is not sent to a base URL moved elsewhere, even one the browser lets us call', async () => {
    await saveCredentials({ mode: 'token', token });
    grantOrigins('https://api.attacker.example/*');
    await settingsItem.setValue({ ...SETTINGS, baseUrl: elsewhere });
    const fetch = vi.fn(async () => new Response('{}'));
    vi.stubGlobal('fetch', fetch);
    const api = await createClientForSettings({ ...SETTINGS, baseUrl: elsewhere });
    expect((await failure(api.getHostConnection(HOST))).kind).toBe('not_configured');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('new credentials are refused for an origin the browser has not granted, and nothing is stored or sent', async () => {
    const server = tokenServer();
    await settingsItem.setValue({ ...SETTINGS, baseUrl: elsewhere });
    for (const auth of [{ ...client, remember: true }, { mode: 'token', token }] as const) {
      const error = await failure(saveCredentials(auth));
      expect(error.kind).toBe('not_configured');
      expect(error.message).toContain('https://api.attacker.example');
    }
    expect(server.fetch).not.toHaveBeenCalled();
    expect(await getCredentialsInfo()).toEqual({ mode: 'none' });
    expect(await fakeBrowser.storage.local.get(null)).not.toHaveProperty('rememberedClient');
  });

  it('no call goes out to an origin whose permission was taken back', async () => {
    const server = tokenServer();
    await saveCredentials({ ...client, remember: false });
    await fakeBrowser.storage.session.remove('accessToken');
    revokeOrigins('https://api.test/*');
    expect((await failure(getAccessToken())).kind).toBe('not_configured');
    expect(server.fetch).toHaveBeenCalledOnce();
  });
});

describe('createClientForSettings', () => {
  it('needs a requester organization', async () => {
    expect((await failure(createClientForSettings(DEFAULT_SETTINGS))).kind).toBe('not_configured');
  });

  it('renews the minted token once on a 401 and retries', async () => {
    tokenServer();
    await saveCredentials({ ...client, remember: false });
    const tokens: string[] = [];
    const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).endsWith('/oauth2/token')) {
        return new Response(JSON.stringify({ access_token: jwt({ n: 'renewed' }), expires_in: 3600 }), { status: 200 });
      }
      tokens.push((init?.headers as Record<string, string>).Authorization!);
      return tokens.length === 1 ? new Response('{"detail":[{"msg":"expired"}]}', { status: 401 }) : new Response('{"detail":[]}', { status: 404 });
    });
    vi.stubGlobal('fetch', fetch);
    const api = await createClientForSettings(SETTINGS);
    expect((await failure(api.getHostConnection(HOST))).kind).toBe('not_connected');
    expect(tokens).toHaveLength(2);
    expect(tokens[1]).toBe(`Bearer ${jwt({ n: 'renewed' })}`);
  });
});

describe('accountKey', () => {
  it('differs by base URL, requester and target, and treats an empty target as the requester', () => {
    const other = '0a8e4b7c-3d2f-4e6a-8c1b-5f9d2e7a4c02';
    const keys = [
      accountKey(SETTINGS),
      accountKey({ ...SETTINGS, baseUrl: 'https://api.test/v1' }),
      accountKey({ ...SETTINGS, requesterOrgId: other }),
      accountKey({ ...SETTINGS, targetOrgId: other }),
    ];
    expect(new Set(keys).size).toBe(4);
    expect(accountKey({ ...SETTINGS, targetOrgId: REQUESTER })).toBe(accountKey(SETTINGS));
  });
});
