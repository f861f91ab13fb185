import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startMockApi, type MockApi } from '../../mock-api/server';
import { DEMO_ORG_IDS } from '../../mock-api/seed';
import { MAX_REPORTED_IDS } from '@/utils/protocol';
import { DEFAULT_SETTINGS } from '@/utils/settings';
import { grantOrigins } from '../support/fake-permissions';
import { saveMockSettings } from './lookup-stack';
import { attack, fault } from './tally';
import { senders, startWorker } from './worker-harness';

let api: MockApi;
const ACME = DEMO_ORG_IDS.acme;

beforeAll(async () => {
  api = await startMockApi({ port: 0 });
});
afterAll(async () => {
  await api?.close();
});
beforeEach(() => {
  fakeBrowser.reset();
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

const CORRUPT_SETTINGS: [string, unknown][] = [
  ['a string', 'not settings'],
  ['a number', 42],
  ['an array', [1, 2, 3]],
  ['wrong field types', { baseUrl: 42, requesterOrgId: ['x'], cacheTtlSeconds: 'soon', disabledHosts: 'all' }],
  ['a javascript: base URL', { baseUrl: 'javascript:alert(1)' }],
  ['a base URL with credentials', { baseUrl: 'https://user:pass@api.mycreditapp.ai/v1-beta' }],
  ['an out-of-range lifetime', { cacheTtlSeconds: -1, hoverDelayMs: 1e12 }],
  ['too many custom sites', { customSites: Array.from({ length: 5000 }, (_, i) => `https://s${i}.example/*`) }],
];

describe('corrupted or old settings never crash anything', { timeout: 60_000 }, () => {
  it.each(CORRUPT_SETTINGS)('settings stored as %s: defaults with a message, and the background answers', async (_name, value) => {
    await attack(async () => {
      await fakeBrowser.storage.local.set({ settings: value, settings$: { v: 2 } });
      const worker = await startWorker();
      const { loadSettings } = await import('@/utils/storage');
      const loaded = await loadSettings();
      expect(loaded.settings).toEqual(DEFAULT_SETTINGS);
      expect(loaded.reset).toMatch(/defaults are in use/);
      const state = await worker.send({ type: 'getState' }, senders.popup);
      expect(state).toMatchObject({ ok: true, value: { kind: 'not_configured' } });
      const config = await worker.send({ type: 'getPageConfig' }, senders.content());
      expect(config).toMatchObject({ ok: true, value: { enabled: true } });
    });
  });

  it('settings carrying __proto__ and constructor keys pollute nothing', async () => {
    await attack(async () => {
      const hostile = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "badgeLinks": false}');
      await fakeBrowser.storage.local.set({ settings: hostile, settings$: { v: 2 } });
      const worker = await startWorker();
      const { loadSettings } = await import('@/utils/storage');
      expect((await loadSettings()).settings).toEqual({ ...DEFAULT_SETTINGS, badgeLinks: false });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(await worker.send({ type: 'getPageConfig' }, senders.content())).toMatchObject({ ok: true, value: { badgeLinks: false } });
    });
  });

  it('pre-release (version 1) settings are migrated, keeping every value that is still valid', async () => {
    await attack(async () => {
      grantOrigins(`${api.origin}/*`);
      await fakeBrowser.storage.local.set({ settings: { apiUrl: `${api.url}/`, orgId: api.requesterOrgId.toUpperCase(), ttlMinutes: 2 } });
      const worker = await startWorker();
      const { loadSettings } = await import('@/utils/storage');
      expect((await loadSettings()).settings).toMatchObject({ baseUrl: api.url, requesterOrgId: api.requesterOrgId, cacheTtlSeconds: 120 });
      expect(await worker.send({ type: 'saveCredentials', auth: { mode: 'client', ...api.devClient, remember: false } }, senders.options)).toMatchObject({
        ok: true,
        value: { ok: true },
      });
      expect(await worker.send({ type: 'lookupOne', id: ACME }, senders.popup)).toMatchObject({ ok: true, value: { result: { status: 'connected' } } });
    });
  });

  it('version 1 settings that are garbage migrate to defaults instead of failing the migration', async () => {
    await attack(async () => {
      await fakeBrowser.storage.local.set({ settings: { apiUrl: 'ftp://x', orgId: 'nope', ttlMinutes: 'NaN' } });
      await startWorker();
      const { loadSettings } = await import('@/utils/storage');
      expect((await loadSettings()).settings).toEqual(DEFAULT_SETTINGS);
    });
  });

  it('corrupted session state (cache, breaker, service state, tab registry, credentials) is dropped, not trusted', async () => {
    await attack(async () => {
      await saveMockSettings(api);
      await fakeBrowser.storage.session.set({
        lookupCache: { account: 'x', entries: [[ACME, { status: 'connected', connection: { host_name: '<img src=x onerror=alert(1)>' }, fetchedAt: 'now' }]] },
        breakers: { [new URL(api.url).origin]: { phase: 'open', failures: -1, openUntil: 'never' } },
        serviceState: { kind: 'hacked' },
        tabIds: { 7: { 0: { ids: 'all' } } },
        credentials: { mode: 'client', clientId: '', clientSecret: 5 },
      });
      const worker = await startWorker();
      expect(await worker.send({ type: 'getState' }, senders.popup)).toMatchObject({ ok: true, value: { kind: 'not_configured' } });
      expect(await worker.send({ type: 'saveCredentials', auth: { mode: 'client', ...api.devClient, remember: false } }, senders.options)).toMatchObject({
        ok: true,
        value: { ok: true },
      });
      const answer = await worker.send({ type: 'lookupOne', id: ACME }, senders.popup);
      expect(answer).toMatchObject({ ok: true, value: { result: { status: 'connected', connection: { host_name: 'Acme Corp' } } } });
    });
  });
});

describe('a full storage quota is handled', { timeout: 60_000 }, () => {
  it('session writes failing with QUOTA_BYTES: lookups are still answered, and stored again once there is room', async () => {
    await saveMockSettings(api);
    const worker = await startWorker();
    await worker.send({ type: 'saveCredentials', auth: { mode: 'client', ...api.devClient, remember: false } }, senders.options);
    const realSet = fakeBrowser.storage.session.set;
    const quota = vi
      .spyOn(fakeBrowser.storage.session, 'set')
      .mockRejectedValue(new Error('Resource::kQuotaBytes quota exceeded: QUOTA_BYTES'));
    fault();
    const ids = api.connections.slice(40, 46).map((c) => c.host_organization_id);
    const during = await worker.send({ type: 'lookup', ids, priority: 'visible' }, senders.content());
    expect(during).toMatchObject({ ok: true });
    for (const id of ids) expect((during as { value: { results: Record<string, { status: string }> } }).value.results[id]?.status).toMatch(/connected|disconnected|archived/);
    expect(quota).toHaveBeenCalled();

    quota.mockImplementation(realSet);
    const more = api.connections.slice(46, 48).map((c) => c.host_organization_id);
    expect(await worker.send({ type: 'lookup', ids: more, priority: 'visible' }, senders.content())).toMatchObject({ ok: true });
    const stored = (await fakeBrowser.storage.session.get('lookupCache')).lookupCache as { entries: [string, unknown][] };
    const storedIds = stored.entries.map(([id]) => id);
    for (const id of [...ids, ...more]) expect(storedIds).toContain(id);
  });

  it('session reads failing (storage unavailable) leave the background answering', async () => {
    await saveMockSettings(api);
    const worker = await startWorker();
    vi.spyOn(fakeBrowser.storage.session, 'get').mockRejectedValue(new Error('storage is unavailable'));
    fault();
    const answer = await worker.send({ type: 'lookupOne', id: ACME }, senders.popup);
    expect(answer).toBeDefined();
    expect(JSON.stringify(answer)).not.toContain('storage is unavailable');
  });

  it('local writes failing with QUOTA_BYTES: saving credentials says so and keeps the session usable', async () => {
    await saveMockSettings(api);
    const worker = await startWorker();
    vi.spyOn(fakeBrowser.storage.local, 'set').mockRejectedValue(new Error('QUOTA_BYTES quota exceeded'));
    fault();
    const saved = await worker.send({ type: 'saveCredentials', auth: { mode: 'client', ...api.devClient, remember: true } }, senders.options);
    expect(saved).toBeDefined();
    expect(JSON.stringify(saved)).not.toContain(api.devClient.clientSecret);
    expect(await worker.send({ type: 'getState' }, senders.popup)).toMatchObject({ ok: true });
  });
});

describe('a page cannot fill the session storage quota', { timeout: 120_000 }, () => {
  it('frames reporting all the UUIDs they may: what the background keeps of them stays far below the 10 MB quota', async () => {
    await saveMockSettings(api);
    const worker = await startWorker();
    await worker.send({ type: 'saveCredentials', auth: { mode: 'client', ...api.devClient, remember: false } }, senders.options);
    // A hostile CRM page puts 20 000 UUIDs in the text of each of many same-origin frames (the
    // content script runs in all frames and reports what it finds). Once `storage.session` is
    // full, every later write fails: the token, the cache, the breaker, sign-in itself.
    await attack(async () => {
      const flood = (frame: number, count: number) =>
        Array.from({ length: count }, (_, i) => `00000000-0000-4000-8000-${String(frame * 20_000 + i).padStart(12, '0')}`);
      const oversize = await worker.send({ type: 'reportIds', ids: flood(99, 20_000) }, senders.content(7, 'https://acme.lightning.force.com/lightning/page', 0));
      expect(oversize).toMatchObject({ ok: false });
      for (let frame = 0; frame < 15; frame++) {
        const tab = 7 + (frame % 3);
        const answer = await worker.send(
          { type: 'reportIds', ids: flood(frame, MAX_REPORTED_IDS) },
          senders.content(tab, 'https://acme.lightning.force.com/lightning/page', frame),
        );
        expect(answer).toMatchObject({ ok: true });
      }
      const looked = await worker.send({ type: 'lookupOne', id: ACME }, senders.popup);
      expect(looked).toMatchObject({ ok: true, value: { result: { status: 'connected' } } });
      const session = await fakeBrowser.storage.session.get(null);
      const bytes = Object.entries(session).reduce((sum, [key, value]) => sum + key.length + JSON.stringify(value).length, 0);
      // Chrome counts the JSON of keys and values against QUOTA_BYTES (10 MB; 1 MB before Chrome 112).
      expect(bytes).toBeLessThan(1024 * 1024);
    });
  });

  /** What storage.session holds, as Chrome counts it against its quota. */
  async function sessionBytes(): Promise<number> {
    // The registry's writes are coalesced behind the answer: let the last one land.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const session = await fakeBrowser.storage.session.get(null);
    return Object.entries(session).reduce((sum, [key, value]) => sum + key.length + JSON.stringify(value).length, 0);
  }

  it('frames with megabyte addresses and a churn of thousands of frames: the session stays small, other tabs keep their place', async () => {
    await saveMockSettings(api);
    const worker = await startWorker();
    await worker.send({ type: 'saveCredentials', auth: { mode: 'client', ...api.devClient, remember: false } }, senders.options);
    const pushed: { tabId: number; frameId?: number; message: { type: string } }[] = [];
    vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockImplementation((async (tabId: number, message: { type: string }, options?: { frameId?: number }) => {
      pushed.push({ tabId, frameId: options?.frameId, message });
    }) as never);
    // A frame of another tab, heard before the flood.
    await worker.send({ type: 'reportIds', ids: [ACME] }, senders.content(3, 'https://app.hubspot.com/contacts/1', 0));
    // The flood keeps within its tab's message rate: the clock moves a second per hundred messages.
    vi.useFakeTimers({ toFake: ['Date'] });
    const fragment = 'f'.repeat(1024 * 1024);
    let sent = 0;
    const send = async (message: unknown, frame: number) => {
      if (++sent % 100 === 0) vi.setSystemTime(Date.now() + 1000);
      return worker.send(message, senders.content(7, `https://acme.lightning.force.com/lightning/r/${frame}/view?q=${frame}#${fragment}`, frame));
    };
    await attack(async () => {
      for (let frame = 0; frame < 100; frame++) expect(await send({ type: 'reportIds', ids: [ACME] }, frame)).toMatchObject({ ok: true });
      expect(await sessionBytes()).toBeLessThan(256 * 1024);
    });
    await attack(async () => {
      for (let frame = 100; frame < 3100; frame++) expect(await send({ type: 'getPageConfig' }, frame)).toMatchObject({ ok: true });
      expect(await sessionBytes()).toBeLessThan(256 * 1024);
    });
    vi.useRealTimers();
    await attack(async () => {
      // Everything else still fits: a sign-in stores its token, a lookup its answer.
      expect(await worker.send({ type: 'saveCredentials', auth: { mode: 'client', ...api.devClient, remember: false } }, senders.options)).toMatchObject({
        ok: true,
        value: { ok: true },
      });
      expect(await worker.send({ type: 'lookupOne', id: api.unknownOrgIds[5]! }, senders.popup)).toMatchObject({ value: { result: { status: 'not_connected' } } });
      // The other tab's frame is still known: a change of settings reaches it.
      const { settingsItem } = await import('@/utils/storage');
      await settingsItem.setValue({ ...(await settingsItem.getValue()), badgeLinks: false });
      await vi.waitFor(() => expect(pushed).toContainEqual({ tabId: 3, frameId: 0, message: expect.objectContaining({ type: 'configChanged' }) }));
      expect(JSON.stringify(pushed.filter((p) => p.tabId === 7))).not.toContain('fff');
    });
  });
});
