import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { LookupApi } from '@/entrypoints/background/lookup-service';
import type { ApiError, ApiErrorInfo } from '@/utils/api-error';
import type { HostConnection } from '@/utils/api-schemas';
import type { Envelope } from '@/utils/protocol';
import { settingsSchema } from '@/utils/settings';
import { framePorts, testEvent } from '../adversarial/worker-harness';
import { useEnglishMessages } from './support/english-messages';

// The first test of the file pays for importing the whole background.
vi.setConfig({ testTimeout: 30_000 });

const REQUESTER = '11111111-1111-4111-8111-111111111111';
const KNOWN = '0b9e7c52-4c1a-4d0e-9f3a-6f1c2d3e4a5b';
const UNKNOWN = '7d1f0a9e-2b3c-4d5e-8f6a-0b1c2d3e4f5a';
// A JWT-shaped token; its text must never appear in an answer.
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2VjcmV0LXNpZ25hdHVyZS12YWx1ZQ';

const EXT = 'chrome-extension://test-extension-id';
// The default API address's origin: credentials are bound to it.
const API_ORIGIN = 'https://api.mycreditapp.ai';
const popup = { id: 'test-extension-id', url: `${EXT}/popup.html`, origin: EXT };
const crmTab = { id: 'test-extension-id', url: 'https://acme.lightning.force.com/lightning/r/Account/1/view', tab: { id: 5 }, frameId: 0 };

function connection(id: string, status: 'connected' | 'disconnected' = 'connected'): HostConnection {
  return {
    host_organization_id: id,
    guest_organization_id: REQUESTER,
    host_name: 'Acme',
    host_email: 'host@example.com',
    owner_email: 'owner@example.com',
    status,
    archived: false,
    created_at: '2024-01-01T00:00:00.000Z',
    updated_at: '2024-01-01T00:00:00.000Z',
    archived_at: null,
    active_action_type: null,
    active_action_updated_at: null,
  };
}

// Modules are reset per test (a new worker): errors must come from the worker's own ApiError class.
let makeError: (info: ApiErrorInfo) => ApiError;

function fakeApi() {
  const calls: string[] = [];
  const connections = new Map([[KNOWN, connection(KNOWN)]]);
  let failWith: ApiError | undefined;
  const api: LookupApi = {
    async getHostConnection(id) {
      calls.push(`get ${id}`);
      if (failWith) throw failWith;
      const found = connections.get(id);
      if (!found) throw makeError({ kind: 'not_connected', message: '404', status: 404 });
      return found;
    },
    async listHostConnections(query) {
      calls.push(`list ${query.offset ?? '-'}`);
      if (failWith) throw failWith;
      return { items: [...connections.values()], rejected: [], total_items: connections.size };
    },
  };
  return { api, calls, connections, fail: (error?: ApiErrorInfo) => (failWith = error && makeError(error)) };
}

let sent: { tabId: number; message: unknown; frameId?: number }[];
/** The workers started by the test, whose recovery timers must not outlive it. */
let workers: { recovery: { stop(): void } }[] = [];

async function start(options: { configured?: boolean } = {}) {
  const { settingsItem, credentialsItem } = await import('@/utils/storage');
  if (options.configured !== false) {
    await settingsItem.setValue(settingsSchema.parse({ requesterOrgId: REQUESTER }));
    await credentialsItem.setValue({ mode: 'token', token: TOKEN, origin: API_ORIGIN });
  }
  const { ApiError: WorkerApiError } = await import('@/utils/api-error');
  makeError = (info) => new WorkerApiError(info);
  const fake = fakeApi();
  const clientFor = vi.fn(() => fake.api);
  const { startServiceWorker } = await import('@/entrypoints/background/service-worker');
  const worker = startServiceWorker({ clientFor });
  workers.push(worker);
  await worker.ready;
  return { ...fake, clientFor, worker };
}

async function send(message: unknown, sender: object): Promise<Envelope<unknown>> {
  const [answer] = (await fakeBrowser.runtime.onMessage.trigger(message, sender as never)) as unknown as Envelope<unknown>[];
  return answer!;
}

beforeEach(() => {
  fakeBrowser.reset();
  vi.resetModules();
  vi.spyOn(fakeBrowser.runtime.onMessageExternal, 'addListener').mockImplementation(() => undefined);
  framePorts().removeAllListeners();
  sent = [];
  vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockImplementation((async (tabId: number, message: unknown, options?: { frameId?: number }) => {
    sent.push({ tabId, message, frameId: options?.frameId });
  }) as never);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  for (const worker of workers) worker.recovery.stop();
  workers = [];
  vi.useRealTimers();
});

describe('senders', () => {
  const forged: [string, object | undefined][] = [
    ['no sender', undefined],
    ['another extension', { id: 'other-extension', url: 'chrome-extension://other-extension/popup.html' }],
    ['a web page', { id: 'test-extension-id', url: 'https://evil.example/', tab: { id: 3 }, frameId: 0 }],
    ['a foreign iframe in a CRM tab', { id: 'test-extension-id', url: 'https://ads.example.net/', tab: { id: 5 }, frameId: 7 }],
    ['a CRM page with no tab', { id: 'test-extension-id', url: crmTab.url }],
    ['a data: URL', { id: 'test-extension-id', url: 'data:text/html,x', tab: { id: 5 }, frameId: 2 }],
    ['our origin in a sub-frame, not the card', { id: 'test-extension-id', url: `${EXT}/options.html`, tab: { id: 5 }, frameId: 2 }],
  ];

  it.each(forged)('refuses %s with no side effect', async (_name, sender) => {
    const { settingsItem } = await import('@/utils/storage');
    const { calls, clientFor } = await start();
    await settingsItem.setValue(settingsSchema.parse({ requesterOrgId: REQUESTER, disabledBuiltinSites: ['pipedrive'] }));
    for (const message of [
      { type: 'lookup', ids: [KNOWN], priority: 'visible' },
      { type: 'reportIds', ids: [KNOWN] },
      { type: 'getCredentialsInfo' },
      { type: 'clearCredentials' },
    ]) {
      expect(await send(message, sender as object)).toMatchObject({ ok: false });
    }
    expect(calls).toEqual([]);
    expect(clientFor).not.toHaveBeenCalled();
    expect(await fakeBrowser.storage.session.get('tabIds')).toEqual({ tabIds: undefined });
    const { credentialsItem } = await import('@/utils/storage');
    expect(await credentialsItem.getValue()).toEqual({ mode: 'token', token: TOKEN, origin: API_ORIGIN });
    expect(console.warn).toHaveBeenCalled();
  });

  it('keeps what a frame shows from a whole report and then from what changed', async () => {
    await start();
    const ids = (answer: unknown) =>
      ((answer as { value: { entries: { id: string }[] } }).value.entries ?? []).map((entry) => entry.id).sort();
    await send({ type: 'reportIds', ids: [KNOWN, UNKNOWN] }, crmTab);
    expect(ids(await send({ type: 'getTabIds', tabId: 5 }, popup))).toEqual([KNOWN, UNKNOWN].sort());
    await send({ type: 'reportIds', removed: [UNKNOWN] }, crmTab);
    expect(ids(await send({ type: 'getTabIds', tabId: 5 }, popup))).toEqual([KNOWN]);
    await send({ type: 'reportIds', added: [UNKNOWN] }, crmTab);
    expect(ids(await send({ type: 'getTabIds', tabId: 5 }, popup))).toEqual([KNOWN, UNKNOWN].sort());
    expect(await send({ type: 'reportIds', ids: [KNOWN], added: [UNKNOWN] }, crmTab)).toMatchObject({ ok: false });
  });

  it('serves nothing on a switched-off CRM, yet tells its script when the site is switched on again', async () => {
    const { settingsItem } = await import('@/utils/storage');
    const { calls } = await start();
    await settingsItem.setValue(settingsSchema.parse({ requesterOrgId: REQUESTER, disabledBuiltinSites: ['pipedrive'] }));
    const pipedrive = { id: 'test-extension-id', url: 'https://acme.pipedrive.com/deals', tab: { id: 3 }, frameId: 0 };
    expect(await send({ type: 'getPageConfig' }, pipedrive)).toMatchObject({ ok: true, value: { enabled: false } });
    expect(await send({ type: 'lookup', ids: [KNOWN], priority: 'visible' }, pipedrive)).toMatchObject({
      ok: true,
      value: { results: { [KNOWN]: { status: 'unknown' } } },
    });
    await send({ type: 'reportIds', ids: [KNOWN] }, pipedrive);
    expect(calls).toEqual([]);
    expect(await send({ type: 'getTabIds', tabId: 3 }, popup)).toEqual({ ok: true, value: { entries: [] } });

    await settingsItem.setValue(settingsSchema.parse({ requesterOrgId: REQUESTER }));
    await vi.waitFor(() =>
      expect(sent).toContainEqual({ tabId: 3, frameId: 0, message: { type: 'configChanged', config: expect.objectContaining({ enabled: true }) } }),
    );
  });

  it('refuses extension-only requests from a content script', async () => {
    await start();
    for (const type of ['getCredentialsInfo', 'clearCredentials', 'testConnection', 'clearCache']) {
      expect(await send({ type }, crmTab)).toMatchObject({ ok: false, error: expect.stringContaining('may not') });
    }
    expect(await send({ type: 'getTabIds', tabId: 5 }, crmTab)).toMatchObject({ ok: false });
  });

  it('refuses getPageConfig from an extension page', async () => {
    await start();
    expect(await send({ type: 'getPageConfig' }, popup)).toMatchObject({ ok: false });
  });

  it('answers nobody outside the extension', async () => {
    const addListener = vi.mocked(fakeBrowser.runtime.onMessageExternal.addListener);
    await start();
    const listener = addListener.mock.calls[0]?.[0] as (message: unknown, sender: object) => Promise<unknown>;
    expect(await listener({ type: 'getState' }, { id: 'other' })).toMatchObject({ ok: false });
  });
});

describe('protocol', () => {
  const malformed: [string, unknown, object][] = [
    ['null', null, popup],
    ['a string', 'lookup', popup],
    ['an unknown type', { type: 'fetch', url: 'https://evil.example' }, crmTab],
    ['lookup without priority', { type: 'lookup', ids: [KNOWN] }, crmTab],
    ['lookup with a non-UUID', { type: 'lookup', ids: ['https://evil.example'], priority: 'visible' }, crmTab],
    ['lookup with too many IDs', { type: 'lookup', ids: Array(501).fill(KNOWN), priority: 'idle' }, crmTab],
    ['lookup with a bad priority', { type: 'lookup', ids: [KNOWN], priority: 'urgent' }, crmTab],
    ['lookupOne without an id', { type: 'lookupOne' }, crmTab],
    ['lookupOne with a number id', { type: 'lookupOne', id: 42 }, crmTab],
    ['reportIds with objects', { type: 'reportIds', ids: [{ id: KNOWN }] }, crmTab],
    ['reportIds over its limit', { type: 'reportIds', ids: Array(20_001).fill(KNOWN) }, crmTab],
    ['getTabIds with a string tab', { type: 'getTabIds', tabId: '5' }, popup],
    ['revealId without a frame', { type: 'revealId', tabId: 5, id: KNOWN }, popup],
    ['saveCredentials with an empty token', { type: 'saveCredentials', auth: { mode: 'token', token: '' } }, popup],
    ['saveCredentials with a long secret', { type: 'saveCredentials', auth: { mode: 'client', clientId: 'a', clientSecret: 'x'.repeat(65), remember: false } }, popup],
    ['saveCredentials of an unknown mode', { type: 'saveCredentials', auth: { mode: 'password', password: 'x' } }, popup],
  ];

  it.each(malformed)('refuses %s', async (_name, message, sender) => {
    const { calls } = await start();
    expect(await send(message, sender)).toMatchObject({ ok: false, error: expect.stringContaining('malformed') });
    expect(calls).toEqual([]);
  });

  it('answers a lookup with what a badge shows and the state\'s kind, and remembers the frame', async () => {
    const { calls } = await start();
    const answer = await send({ type: 'lookup', ids: [KNOWN.toUpperCase(), UNKNOWN], priority: 'visible' }, crmTab);
    // No e-mail addresses, dates or fetch times, no credential mode or token expiry: the card asks for those.
    expect(answer).toEqual({
      ok: true,
      value: { state: { kind: 'ready' }, results: { [KNOWN]: { status: 'connected', connection: { host_name: 'Acme' } }, [UNKNOWN]: { status: 'not_connected' } } },
    });
    expect(calls.sort()).toEqual([`get ${KNOWN}`, `get ${UNKNOWN}`]);
    const tabIds = await send({ type: 'getTabIds', tabId: 5 }, popup);
    expect(tabIds).toMatchObject({ ok: true, value: { entries: [{ id: KNOWN, frameId: 0, result: { status: 'connected' } }, { id: UNKNOWN }] } });
  });

  it('gives the page its configuration', async () => {
    await start();
    expect(await send({ type: 'getPageConfig' }, crmTab)).toMatchObject({ ok: true, value: { enabled: true, badgeLinks: true } });
  });

  it('never puts the token in an answer', async () => {
    await start();
    const answers = await Promise.all([
      send({ type: 'getCredentialsInfo' }, popup),
      send({ type: 'getState' }, popup),
      send({ type: 'lookupOne', id: KNOWN }, popup),
      send({ type: 'testConnection' }, popup),
    ]);
    expect(answers.every((a) => a.ok)).toBe(true);
    expect(JSON.stringify(answers)).not.toContain(TOKEN);
    expect(JSON.stringify(answers)).not.toContain(TOKEN.split('.')[2]);
  });

  it('relays revealId to the frame', async () => {
    await start();
    expect(await send({ type: 'revealId', tabId: 5, frameId: 3, id: KNOWN }, popup)).toEqual({ ok: true, value: { ok: true } });
    expect(sent).toEqual([{ tabId: 5, frameId: 3, message: { type: 'revealId', id: KNOWN } }]);
  });

  it("passes the card's close and height to its own tab, and takes neither from a content script or the popup", async () => {
    await start();
    const card = { id: 'test-extension-id', url: `${EXT}/card.html#${KNOWN}`, origin: EXT, tab: { id: 5, url: crmTab.url }, frameId: 4 };
    expect(await send({ type: 'cardClose', id: KNOWN }, card)).toEqual({ ok: true, value: { ok: true } });
    expect(await send({ type: 'cardResize', id: KNOWN, height: 260 }, card)).toEqual({ ok: true, value: { ok: true } });
    expect(sent).toEqual([
      { tabId: 5, frameId: undefined, message: { type: 'cardClose', id: KNOWN } },
      { tabId: 5, frameId: undefined, message: { type: 'cardResize', id: KNOWN, height: 260 } },
    ]);
    expect(await send({ type: 'cardClose', id: KNOWN }, crmTab)).toMatchObject({ ok: false });
    expect(await send({ type: 'cardResize', id: KNOWN, height: 260 }, popup)).toMatchObject({ ok: false });
    expect(sent).toHaveLength(2);
  });

  it('opens the options page for the popup, not for a content script', async () => {
    const open = vi.spyOn(fakeBrowser.runtime, 'openOptionsPage').mockResolvedValue(undefined);
    await start();
    expect(await send({ type: 'openOptions' }, crmTab)).toMatchObject({ ok: false });
    expect(open).not.toHaveBeenCalled();
    expect(await send({ type: 'openOptions' }, popup)).toEqual({ ok: true, value: { ok: true } });
    expect(open).toHaveBeenCalled();
  });
});

describe('state, toolbar and pushes', () => {
  it('shows "not configured" on the toolbar and answers lookups as unknown without calling', async () => {
    useEnglishMessages();
    const { calls } = await start({ configured: false });
    expect(await fakeBrowser.action.getBadgeText({})).toBe('!');
    expect(await fakeBrowser.action.getTitle({})).toBe(
      'MyCreditApp: MyCreditApp is not set up yet. Enter your organization ID and an access token or API client in the settings. Lookups start as soon as you save them.',
    );
    const answer = await send({ type: 'lookup', ids: [KNOWN], priority: 'visible' }, crmTab);
    expect(answer).toMatchObject({ ok: true, value: { state: { kind: 'not_configured' }, results: { [KNOWN]: { status: 'unknown' } } } });
    expect(calls).toEqual([]);
  });

  it('pushes a state change to the frames that showed IDs, and clears the badge when fixed', async () => {
    const { fail, worker } = await start();
    await send({ type: 'reportIds', ids: [KNOWN] }, crmTab);
    fail({ kind: 'unauthorized', message: '401', status: 401 });
    await send({ type: 'lookup', ids: [UNKNOWN], priority: 'visible' }, crmTab);
    await vi.waitFor(() => expect(sent.map((s) => (s.message as { type: string }).type)).toContain('stateChanged'));
    expect(sent[0]).toMatchObject({ tabId: 5, frameId: 0, message: { type: 'stateChanged', state: { kind: 'unauthorized' } } });
    expect(await fakeBrowser.action.getBadgeText({})).toBe('!');

    fail(undefined);
    const { credentialsItem } = await import('@/utils/storage');
    await credentialsItem.setValue({ mode: 'token', token: `${TOKEN}x`, origin: API_ORIGIN });
    await vi.waitFor(async () => expect(await worker.state.kind()).toBe('ready'));
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');
  });

  it('pushes a changed entry to the frames showing it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { connections } = await start();
    await send({ type: 'lookup', ids: [KNOWN], priority: 'visible' }, crmTab);
    connections.set(KNOWN, connection(KNOWN, 'disconnected'));
    vi.setSystemTime(Date.now() + 301_000);
    await send({ type: 'lookup', ids: [KNOWN], priority: 'visible' }, { ...crmTab, tab: { id: 9 } });
    await vi.waitFor(() => expect(sent.filter((s) => (s.message as { type: string }).type === 'entriesChanged')).toHaveLength(2));
    expect(sent.map((s) => s.tabId).sort()).toEqual([5, 9]);
    expect(sent[0]?.message).toMatchObject({ results: { [KNOWN]: { status: 'disconnected' } } });
  });

  it('probes the API by alarm after an outage and announces the recovery', async () => {
    const { fail, worker, calls } = await start();
    await send({ type: 'reportIds', ids: [KNOWN] }, crmTab);
    fail({ kind: 'network', message: 'unreachable' });
    expect(await send({ type: 'lookup', ids: [UNKNOWN], priority: 'visible' }, crmTab)).toMatchObject({
      value: { state: { kind: 'offline' }, results: { [UNKNOWN]: { status: 'unknown' } } },
    });
    await vi.waitFor(async () => expect(await fakeBrowser.alarms.get('lookup-recovery')).toBeDefined());

    // A stopped worker has lost its timer; the alarm wakes the next one once the breaker's wait is over.
    worker.recovery.stop();
    const at = await worker.service.nextAttemptAt();
    expect(at).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, at! - Date.now())));
    fail(undefined);
    await fakeBrowser.alarms.onAlarm.trigger({ name: 'lookup-recovery', scheduledTime: Date.now() });
    await vi.waitFor(async () => expect(await worker.state.kind()).toBe('ready'));
    // The probe asks for an ID of its own, new each time: no URL the browser may be holding back.
    expect(calls.at(-1)).toMatch(/^get [0-9a-f-]{36}$/);
    expect(calls.at(-1)).not.toContain(KNOWN);
    expect(calls.at(-1)).not.toContain(UNKNOWN);
    await vi.waitFor(() =>
      expect(sent.map((s) => s.message)).toContainEqual(expect.objectContaining({ type: 'stateChanged', state: expect.objectContaining({ kind: 'ready' }) })),
    );
    await vi.waitFor(async () => expect(await fakeBrowser.alarms.get('lookup-recovery')).toBeUndefined());
  });

  it('heals by itself while the worker lives, on the breaker\'s time, with the alarm as a backstop', async () => {
    const { fail, worker } = await start();
    await send({ type: 'reportIds', ids: [KNOWN] }, crmTab);
    fail({ kind: 'unavailable', message: '503', status: 503 });
    const before = Date.now();
    await send({ type: 'lookup', ids: [UNKNOWN], priority: 'visible' }, crmTab);
    expect(await worker.state.kind()).toBe('unavailable');
    // Chrome fires an alarm no sooner than 30 s: it only backs up the timer.
    await vi.waitFor(async () => expect((await fakeBrowser.alarms.get('lookup-recovery'))?.scheduledTime).toBeGreaterThanOrEqual(before + 30_000));
    fail(undefined);
    await vi.waitFor(async () => expect(await worker.state.kind()).toBe('ready'), { timeout: 5000 });
    expect(Date.now() - before).toBeLessThan(5000);
    await vi.waitFor(() =>
      expect(sent.map((s) => s.message)).toContainEqual(expect.objectContaining({ type: 'stateChanged', state: expect.objectContaining({ kind: 'ready' }) })),
    );
    await vi.waitFor(async () => expect(await fakeBrowser.alarms.get('lookup-recovery')).toBeUndefined());
  });

  it('drops the queued lookups of a frame whose port closed', async () => {
    const { calls, clientFor } = await start();
    const release: (() => void)[] = [];
    clientFor.mockImplementation(() => ({
      getHostConnection: async (id: string) => {
        calls.push(`get ${id}`);
        await new Promise<void>((resolve) => release.push(resolve));
        throw makeError({ kind: 'not_connected', message: '404', status: 404 });
      },
      listHostConnections: async () => {
        throw makeError({ kind: 'invalid_request', message: '422', status: 422 });
      },
    }));
    const port = { name: 'mca-frame', sender: crmTab, onDisconnect: testEvent(), disconnect: vi.fn() };
    await framePorts().trigger(port);
    const ids = Array.from({ length: 12 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const answer = send({ type: 'lookup', ids, priority: 'idle' }, crmTab);
    await vi.waitFor(() => expect(calls.filter((c) => c.startsWith('get'))).toHaveLength(4));
    await port.onDisconnect.trigger();
    release.splice(0).forEach((resolve) => resolve());
    expect(await answer).toMatchObject({ ok: true });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls.filter((c) => c.startsWith('get'))).toHaveLength(4);
    expect(port.disconnect).not.toHaveBeenCalled();
  });

  it('empties the cache when the organization changes and sends frames their new configuration', async () => {
    const { calls, worker } = await start();
    await send({ type: 'lookup', ids: [KNOWN], priority: 'visible' }, crmTab);
    const { settingsItem } = await import('@/utils/storage');
    await settingsItem.setValue(settingsSchema.parse({ requesterOrgId: '22222222-2222-4222-8222-222222222222', disabledBuiltinSites: ['salesforce'] }));
    await vi.waitFor(() => expect(sent.map((s) => s.message)).toContainEqual({ type: 'configChanged', config: expect.objectContaining({ enabled: false }) }));
    expect(worker.cache.peek(KNOWN)).toBeUndefined();
    await send({ type: 'lookupOne', id: KNOWN }, popup);
    expect(calls).toEqual([`get ${KNOWN}`, `get ${KNOWN}`]);
  });

  it('empties the cache when the credentials change', async () => {
    const { calls } = await start();
    await send({ type: 'lookupOne', id: KNOWN }, popup);
    const { credentialsItem } = await import('@/utils/storage');
    await credentialsItem.setValue({ mode: 'token', token: `${TOKEN}y`, origin: API_ORIGIN });
    await vi.waitFor(async () => {
      await send({ type: 'lookupOne', id: KNOWN }, popup);
      expect(calls).toHaveLength(2);
    });
  });

  it('forgets a closed tab', async () => {
    await start();
    await send({ type: 'reportIds', ids: [KNOWN] }, crmTab);
    await fakeBrowser.tabs.onRemoved.trigger(5, { windowId: 0, isWindowClosing: false });
    expect(await send({ type: 'getTabIds', tabId: 5 }, popup)).toEqual({ ok: true, value: { entries: [] } });
  });
});

describe('worker restart', () => {
  it('a restarted background answers from the stored cache without an API request', async () => {
    const first = await start();
    await send({ type: 'lookup', ids: [KNOWN, UNKNOWN], priority: 'visible' }, crmTab);
    expect(first.calls).toHaveLength(2);

    fakeBrowser.runtime.onMessage.removeAllListeners();
    vi.resetModules();
    const second = await start();
    const answer = await send({ type: 'lookup', ids: [KNOWN, UNKNOWN], priority: 'visible' }, crmTab);
    expect(answer).toMatchObject({ ok: true, value: { results: { [KNOWN]: { status: 'connected' }, [UNKNOWN]: { status: 'not_connected' } } } });
    expect(second.calls).toEqual([]);
    console.info('Requests after a worker restart for 2 cached IDs: 0');
  });
});
