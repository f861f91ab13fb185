import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startMockApi, type MockApi } from '../../mock-api/server';
import { DEMO_ORG_IDS } from '../../mock-api/seed';
import { grantOrigins } from '../support/fake-permissions';
import { saveMockSettings } from './lookup-stack';
import { attack } from './tally';
import { senders, startWorker, type Worker } from './worker-harness';

/** The user's API, and a second one that stands for a stranger's host: it logs all it receives. */
let api: MockApi;
let stranger: MockApi;
let worker: Worker;
const ACME = DEMO_ORG_IDS.acme;

beforeAll(async () => {
  [api, stranger] = await Promise.all([startMockApi({ port: 0 }), startMockApi({ port: 0 })]);
});
afterAll(async () => {
  await Promise.all([api?.close(), stranger?.close()]);
});
beforeEach(async () => {
  fakeBrowser.reset();
  stranger.clearRequests();
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  await saveMockSettings(api);
  worker = await startWorker();
});

type Credentials = 'token' | 'client';

async function signIn(credentials: Credentials): Promise<void> {
  const auth =
    credentials === 'token' ? { mode: 'token', token: api.mintToken({ expiresInSeconds: 3600 }) } : { mode: 'client', ...api.devClient, remember: true };
  expect(await worker.send({ type: 'saveCredentials', auth }, senders.options)).toMatchObject({ ok: true, value: { ok: true } });
  expect(await worker.send({ type: 'lookup', ids: [ACME], priority: 'visible' }, senders.content())).toMatchObject({
    ok: true,
    value: { results: { [ACME]: { status: 'connected' } } },
  });
}

/**
 * What `storage.local` lets a content script do on Firefox (no access levels there) and on
 * Chrome before 140: rewrite the settings, here the API base URL.
 */
async function moveBaseUrl(baseUrl: string): Promise<void> {
  const { settings } = await fakeBrowser.storage.local.get('settings');
  await fakeBrowser.storage.local.set({ settings: { ...(settings as object), baseUrl } });
}

/**
 * Everything that could make the background call the API: pages, the card, the popup, the
 * options page, the recovery alarm, and a worker started afresh (which restores a remembered
 * client from `local`), then all of it again.
 */
async function useEverything(): Promise<void> {
  await askEverything();
  await fakeBrowser.storage.session.remove(['accessToken', 'lookupCache']);
  worker = await startWorker();
  await askEverything();
}

async function askEverything(): Promise<void> {
  const unknown = api.unknownOrgIds.slice(0, 25);
  await worker.send({ type: 'lookup', ids: unknown, priority: 'visible' }, senders.content());
  await worker.send({ type: 'lookupOne', id: ACME }, senders.card);
  await worker.send({ type: 'lookupOne', id: api.unknownOrgIds[40]!, refresh: true }, senders.popup);
  await worker.send({ type: 'testConnection' }, senders.options);
  await fakeBrowser.alarms.onAlarm.trigger({ name: 'lookup-recovery', scheduledTime: Date.now() });
}

describe('credentials go only to the API origin they were entered for', { timeout: 60_000 }, () => {
  it.each([
    ['token', 'that the browser never granted'],
    ['client', 'that the browser never granted'],
    ['token', 'granted to the extension (say, by an earlier custom address)'],
    ['client', 'granted to the extension (say, by an earlier custom address)'],
  ] as [Credentials, string][])('%s: a base URL rewritten in storage to a host %s gets no request at all', async (credentials, grant) => {
    await signIn(credentials);
    if (grant.startsWith('granted')) grantOrigins(`${stranger.origin}/*`);
    await moveBaseUrl(stranger.url);
    await useEverything();
    await attack(async () => {
      expect(stranger.requests).toEqual([]);
      const info = await worker.send({ type: 'getCredentialsInfo' }, senders.options);
      expect(info).toEqual({ ok: true, value: { mode: 'none', enteredFor: api.origin } });
      expect(await worker.send({ type: 'getState' }, senders.popup)).toMatchObject({ ok: true, value: { kind: 'not_configured' } });
    });
    // Put back, the credentials serve their own API again.
    await moveBaseUrl(api.url);
    await attack(async () => {
      await vi.waitFor(async () =>
        expect(await worker.send({ type: 'lookupOne', id: ACME }, senders.popup)).toMatchObject({ value: { result: { status: 'connected' } } }),
      );
      expect(stranger.requests).toEqual([]);
    });
  });

  it('a remembered client forged in storage, bound to a stranger\'s host, is not sent there', async () => {
    await signIn('client');
    // A content script on Firefox can write `local`: a client of its own, "bound" to its host, and the base URL.
    await fakeBrowser.storage.local.set({ rememberedClient: { clientId: 'attacker', clientSecret: 'attacker-secret', origin: stranger.origin } });
    await moveBaseUrl(stranger.url);
    await fakeBrowser.storage.session.clear();
    await useEverything();
    await attack(() => expect(stranger.requests).toEqual([]));
  });

  it.each([
    ['plain http off this computer', 'http://api.attacker.example/v1-beta'],
    ['a CRM host we hold access to for the badges (anyone can own one)', 'https://attacker.my.salesforce.com/v1-beta'],
    ['another Pipedrive company', 'https://attacker.pipedrive.com/v1-beta'],
  ])('a base URL rewritten to %s is never fetched', async (_name, baseUrl) => {
    await signIn('client');
    const fetched: string[] = [];
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      fetched.push(String(input instanceof Request ? input.url : input));
      return realFetch(input, init);
    });
    grantOrigins(`${new URL(baseUrl).origin}/*`);
    await moveBaseUrl(baseUrl);
    await useEverything();
    await attack(() => expect(fetched.filter((url) => new URL(url).origin === new URL(baseUrl).origin)).toEqual([]));
  });

  it('new credentials are refused for an origin the browser has not granted, before anything is sent', async () => {
    await moveBaseUrl(stranger.url);
    await attack(async () => {
      const answer = await worker.send({ type: 'saveCredentials', auth: { mode: 'client', ...api.devClient, remember: false } }, senders.options);
      expect(answer).toMatchObject({ ok: true, value: { ok: false, error: { kind: 'not_configured' } } });
      expect(stranger.requests).toEqual([]);
    });
  });
});
