import fc from 'fast-check';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startMockApi, type MockApi } from '../../mock-api/server';
import { DEMO_ORG_IDS } from '../../mock-api/seed';
import { backgroundRequests, MAX_IDS_PER_LOOKUP, type BackgroundRequestType } from '@/utils/protocol';
import { saveMockSettings } from './lookup-stack';
import { attack } from './tally';
import { EXTENSION_ID, EXTENSION_ORIGIN, externalMessages, senders, startWorker, storageSnapshot, type Sender, type Worker } from './worker-harness';

let api: MockApi;
let worker: Worker;
const ID = DEMO_ORG_IDS.acme;
const TYPES = Object.keys(backgroundRequests) as BackgroundRequestType[];

const VALID: Record<BackgroundRequestType, Record<string, unknown>> = {
  lookup: { type: 'lookup', ids: [ID], priority: 'visible' },
  lookupOne: { type: 'lookupOne', id: ID },
  getState: { type: 'getState' },
  getPageConfig: { type: 'getPageConfig' },
  openOptions: { type: 'openOptions' },
  cardClose: { type: 'cardClose', id: ID },
  cardResize: { type: 'cardResize', id: ID, height: 200 },
  saveCredentials: { type: 'saveCredentials', auth: { mode: 'client', clientId: 'attacker', clientSecret: 'attacker-secret', remember: true } },
  clearCredentials: { type: 'clearCredentials' },
  getCredentialsInfo: { type: 'getCredentialsInfo' },
  testConnection: { type: 'testConnection' },
  clearCache: { type: 'clearCache' },
  getTabIds: { type: 'getTabIds', tabId: 90 },
  revealId: { type: 'revealId', tabId: 7, frameId: 0, id: ID },
  reportIds: { type: 'reportIds', ids: [ID] },
};

/** Runs `act`, then checks that nothing was asked of the API and nothing stored changed. */
async function expectNoEffect(act: () => Promise<unknown>): Promise<void> {
  const requestsBefore = api.requests.length;
  const storageBefore = await storageSnapshot();
  await act();
  // Work a handler might have started in the background gets a chance to show itself.
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(api.requests.length).toBe(requestsBefore);
  expect(await storageSnapshot()).toBe(storageBefore);
}

async function expectRefused(message: unknown, sender: Sender | undefined): Promise<void> {
  await attack(() =>
    expectNoEffect(async () => {
      const answer = await worker.send(message, sender);
      expect(answer).toMatchObject({ ok: false });
      expect(JSON.stringify(answer)).not.toContain(api.devClient.clientSecret);
    }),
  );
}

beforeAll(async () => {
  api = await startMockApi({ port: 0 });
});
afterAll(async () => {
  await api?.close();
});
beforeEach(async () => {
  fakeBrowser.reset();
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  await saveMockSettings(api, { disabledHosts: ['off.lightning.force.com'], disabledBuiltinSites: ['hubspot'] });
  worker = await startWorker();
  const saved = await worker.send({ type: 'saveCredentials', auth: { mode: 'client', ...api.devClient, remember: false } }, senders.options);
  expect(saved).toMatchObject({ ok: true, value: { ok: true } });
  // A real lookup first, so the cache, breaker and token are all in play when the attacks come.
  expect(await worker.send(VALID.lookup, senders.content())).toMatchObject({ ok: true });
});

const FORGED_SENDERS: [string, Sender | undefined][] = [
  ['no sender at all', undefined],
  ['an empty sender', {}],
  ['another extension', { id: 'abcdefghijklmnopabcdefghijklmnop', url: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/bg.html', frameId: 0 }],
  ['another extension claiming our URL', { id: 'evil', url: `${EXTENSION_ORIGIN}/options.html`, origin: EXTENSION_ORIGIN, frameId: 0 }],
  ['a web page (no tab, as if externally connected)', { id: EXTENSION_ID, url: 'https://evil.example/', origin: 'https://evil.example' }],
  ['a content script on a site we do not serve', senders.content(7, 'https://evil.example/page')],
  ['a look-alike CRM host', senders.content(7, 'https://acme.lightning.force.com.evil.com/x')],
  ['a CRM URL with a foreign origin', { ...senders.content(), origin: 'https://evil.example' }],
  ['an iframe of another origin inside a CRM tab', senders.content(7, 'https://ads.evil.example/frame', 5)],
  ['a file: page', { id: EXTENSION_ID, url: 'file:///etc/passwd', tab: { id: 7 }, frameId: 0 }],
  ['a data: frame', { id: EXTENSION_ID, url: 'data:text/html,<b>x</b>', tab: { id: 7 }, frameId: 2 }],
  ['about:blank with no origin', { id: EXTENSION_ID, url: 'about:blank', tab: { id: 7 }, frameId: 2 }],
  ['about:blank inheriting a foreign origin', { id: EXTENSION_ID, url: 'about:blank', origin: 'https://evil.example', tab: { id: 7 }, frameId: 2 }],
  ['javascript: URL', { id: EXTENSION_ID, url: 'javascript:alert(1)', tab: { id: 7 }, frameId: 0 }],
  ['a look-alike extension origin', { id: EXTENSION_ID, url: `${EXTENSION_ORIGIN}.evil.com/options.html`, frameId: 0 }],
  ['our page path under another extension origin', { id: EXTENSION_ID, url: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/options.html', frameId: 0 }],
  ['our page path under another Firefox extension origin', { id: EXTENSION_ID, url: 'moz-extension://00000000-0000-4000-8000-000000000000/options.html', frameId: 0 }],
  ['our options page framed by a web page', { ...senders.options, frameId: 4 }],
  ['our page URL with a web origin', { ...senders.options, origin: 'https://evil.example' }],
  ['the card page outside any tab', { ...senders.card, tab: undefined }],
  ['the card page framed by a site we do not run on', { ...senders.card, tab: { id: 7, url: 'https://evil.example/' } }],
  ['an unparseable URL', { id: EXTENSION_ID, url: 'http://[::1', tab: { id: 7 }, frameId: 0 }],
];

// Every test starts a fresh background (modules imported anew), and the properties run hundreds of cases.
const SLOW = { timeout: 60_000 };

describe('forged senders are refused whatever they ask', SLOW, () => {
  it.each(FORGED_SENDERS)('%s', async (_name, sender) => {
    for (const type of TYPES) await expectRefused(VALID[type], sender);
  });

  it('a message from outside the extension (onMessageExternal) gets nothing', async () => {
    const external = externalMessages();
    expect(external.hasListeners()).toBe(true);
    await attack(() =>
      expectNoEffect(async () => {
        const [answer] = await external.trigger(VALID.getCredentialsInfo, { id: 'other-extension' });
        expect(answer).toMatchObject({ ok: false });
      }),
    );
  });
});

/** What entrypoints/badges.content/ and entrypoints/card/ really send: each may send that and nothing else. */
const CONTENT_SENDS: BackgroundRequestType[] = ['getPageConfig', 'lookup', 'reportIds'];
const CARD_SENDS: BackgroundRequestType[] = ['lookupOne', 'openOptions', 'cardClose', 'cardResize'];

describe('our own content scripts and card ask only for what they need', SLOW, () => {
  it.each(TYPES.filter((type) => !CONTENT_SENDS.includes(type)))('a content script asking for %s is refused', async (type) => {
    await expectRefused(VALID[type], senders.content());
    await expectRefused(VALID[type], senders.content(8, 'https://acme--c.visualforce.com/apex/page', 6));
  });

  it.each(TYPES.filter((type) => !CARD_SENDS.includes(type)))('the card asking for %s is refused', async (type) => {
    await expectRefused(VALID[type], senders.card);
  });

  it('the card may not skip the cache (refresh: a sure API call per message); our popup may', async () => {
    await expectRefused({ ...VALID.lookupOne, id: api.unknownOrgIds[30], refresh: true }, senders.card);
    await expectRefused({ ...VALID.lookupOne, id: api.unknownOrgIds[30], refresh: false }, senders.card);
    const before = api.requests.length;
    expect(await worker.send({ ...VALID.lookupOne, refresh: true }, senders.popup)).toMatchObject({ ok: true, value: { result: { status: 'connected' } } });
    expect(api.requests.length).toBeGreaterThan(before);
  });

  it('a content script hears what a badge shows: status and host name, no record, no error text, no credential state', async () => {
    const connection = api.connections.find((c) => c.host_organization_id === ID)!;
    api.injectFault({ kind: 'status', status: 403, match: { pathPrefix: `/host-connections/${api.unknownOrgIds[31]}` } });
    const answer = await attack(async () => {
      const reply = await worker.send({ type: 'lookup', ids: [ID, api.unknownOrgIds[31]!, api.unknownOrgIds[32]!], priority: 'visible' }, senders.content());
      expect(reply).toEqual({
        ok: true,
        value: {
          state: { kind: 'ready' },
          results: {
            [ID]: { status: connection.status === 'connected' ? 'connected' : connection.status, connection: { host_name: connection.host_name } },
            [api.unknownOrgIds[31]!]: { status: 'error', error: { kind: 'forbidden' } },
            [api.unknownOrgIds[32]!]: { status: 'not_connected' },
          },
        },
      });
      return reply;
    });
    await attack(() => {
      for (const hidden of [connection.owner_email, connection.host_email, connection.created_at, 'fetchedAt', 'authMode', 'tokenExpiresAt', 'HTTP 403']) {
        expect(JSON.stringify(answer)).not.toContain(hidden);
      }
    });
  });

  it('pushes to a content script carry what a badge shows, nothing more', async () => {
    const pushed: unknown[] = [];
    vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockImplementation((async (_tab: number, message: unknown) => {
      pushed.push(message);
    }) as never);
    await worker.send({ type: 'reportIds', ids: [ID] }, senders.content());
    // A pasted token that the API no longer takes: the state changes, and every frame hears of it.
    await worker.send({ type: 'saveCredentials', auth: { mode: 'token', token: api.mintToken({ expiresInSeconds: 600 }) } }, senders.options);
    api.injectFault({ kind: 'status', status: 401, match: { pathPrefix: '/host-connections' } });
    await worker.send({ type: 'lookup', ids: [api.unknownOrgIds[33]!], priority: 'visible' }, senders.content());
    await attack(async () => {
      await vi.waitFor(() => expect(pushed).toContainEqual({ type: 'stateChanged', state: { kind: 'unauthorized' } }));
      for (const message of pushed) expect(JSON.stringify(message)).not.toMatch(/authMode|tokenExpiresAt|HTTP 401/);
    });
  });

  it('a content script cannot point the background at a URL: extra fields are dropped, the API base stays', async () => {
    const smuggled = { url: 'https://evil.example/steal', baseUrl: 'https://evil.example', href: 'javascript:alert(1)' };
    for (const type of CONTENT_SENDS) {
      await attack(async () => {
        const before = api.requests.length;
        const answer = await worker.send({ ...VALID[type], ...smuggled }, senders.content());
        expect(answer).toMatchObject({ ok: true });
        expect(JSON.stringify(answer)).not.toContain('evil.example');
        for (const request of api.requests.slice(before)) expect(request.path.startsWith(new URL(api.url).pathname)).toBe(true);
      });
    }
    const settings = (await fakeBrowser.storage.local.get('settings')).settings as { baseUrl: string };
    expect(settings.baseUrl).toBe(api.url);
  });

  it('a content script learns the configuration of its own page only, never other sites\' rules or the API settings', async () => {
    const { settingsSchema } = await import('@/utils/settings');
    const settings = settingsSchema.parse({
      baseUrl: api.url,
      requesterOrgId: api.requesterOrgId,
      siteRules: [
        { pattern: 'https://acme.lightning.force.com/*', selector: '.acme-org-id' },
        { pattern: 'https://internal.example.com/*', selector: '.internal-secret-field', attribute: 'data-internal-secret' },
      ],
      customSites: ['https://internal.example.com/*'],
    });
    await fakeBrowser.storage.local.set({ settings });
    await attack(async () => {
      const answer = await worker.send({ type: 'getPageConfig' }, senders.content());
      expect(answer).toMatchObject({ ok: true, value: { enabled: true, idFieldSelectors: ['.acme-org-id'], idAttributes: [] } });
      const text = JSON.stringify(answer);
      for (const hidden of ['internal', api.url, api.requesterOrgId, 'baseUrl', 'requesterOrgId']) expect(text).not.toContain(hidden);
    });
    await attack(async () => {
      const lookup = await worker.send(VALID.lookup, senders.content());
      expect(lookup).toMatchObject({ ok: true });
      const text = JSON.stringify(lookup);
      for (const hidden of [api.url, api.requesterOrgId, api.devClient.clientId, api.devClient.clientSecret]) expect(text).not.toContain(hidden);
    });
  });

  it.each([
    ['a host switched off from the popup', 'https://off.lightning.force.com/lightning/page'],
    ['a built-in CRM switched off in the options', 'https://app.hubspot.com/contacts/1'],
  ])('on %s our content script learns only that it is off: no lookup, no ID kept, no credential op', async (_name, url) => {
    const sender = senders.content(7, url, 2);
    for (const type of TYPES.filter((type) => !CONTENT_SENDS.includes(type))) await expectRefused(VALID[type], sender);
    const before = api.requests.length;
    await attack(async () => {
      const lookup = await worker.send({ ...VALID.lookup, ids: [ID, api.unknownOrgIds[1]] }, sender);
      expect(lookup).toMatchObject({ ok: true, value: { results: { [ID]: { status: 'unknown' } } } });
    });
    await attack(async () => {
      expect(await worker.send({ type: 'reportIds', ids: [ID] }, sender)).toMatchObject({ ok: true });
      expect(await worker.send(VALID.getPageConfig, sender)).toMatchObject({ ok: true, value: { enabled: false } });
      expect(api.requests.length).toBe(before);
      // The frame is known (a later change of settings reaches it), but none of its IDs.
      const { TabRegistry } = await import('@/entrypoints/background/tab-registry');
      await vi.waitFor(async () => expect((await new TabRegistry().framesOfTab(7)).find((frame) => frame.frameId === 2)?.ids).toEqual([]));
    });
  });

  it('a content script cannot read another tab\'s IDs or reveal in another tab', async () => {
    await expectRefused({ type: 'getTabIds', tabId: 1 }, senders.content(7));
    await expectRefused({ type: 'revealId', tabId: 1, frameId: 0, id: ID }, senders.content(7));
  });
});

describe('malformed payloads of every message type are refused, none acted on', SLOW, () => {
  it.each(TYPES)('%s: oversize, wrong-typed and non-UUID variants', async (type) => {
    const valid = VALID[type];
    const variants: unknown[] = [
      { ...valid, type: type.toUpperCase() },
      { ...valid, type: ` ${type}` },
      { ...valid, type: [type] },
      Object.values(valid),
      JSON.stringify(valid),
      null,
      42,
      [valid],
    ];
    if ('ids' in valid) {
      const limit = type === 'lookup' ? MAX_IDS_PER_LOOKUP : 20_000;
      variants.push({ ...valid, ids: Array.from({ length: limit + 1 }, () => ID) });
      variants.push({ ...valid, ids: ['not-a-uuid'] }, { ...valid, ids: [`${ID}/../../oauth2/token`] }, { ...valid, ids: [{ toString: () => ID }] });
      variants.push({ ...valid, ids: [`https://evil.example/${ID}`] }, { ...valid, ids: ID });
    }
    if ('id' in valid) {
      variants.push({ ...valid, id: `${ID}?x=1` }, { ...valid, id: `../${ID}` }, { ...valid, id: ID.replace(/-/g, '') }, { ...valid, id: `${ID} ` });
    }
    if ('tabId' in valid) variants.push({ ...valid, tabId: '7' }, { ...valid, tabId: 1.5 }, { ...valid, tabId: Number.NaN });
    if ('priority' in valid) variants.push({ ...valid, priority: 'urgent' });
    if ('auth' in valid) {
      variants.push(
        { ...valid, auth: { mode: 'client', clientId: 'x', clientSecret: 'y'.repeat(65), remember: true } },
        { ...valid, auth: { mode: 'token', token: '' } },
        { ...valid, auth: { mode: 'token', token: 'x'.repeat(8193) } },
        { ...valid, auth: { mode: 'root' } },
      );
    }
    for (const variant of variants) await expectRefused(variant, senders.options);
    if (backgroundRequests[type].from.includes('content' as never)) {
      for (const variant of variants) await expectRefused(variant, senders.content());
    }
  });

  it('fast-check: arbitrary values never get through, never throw, never touch the API or storage', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything({ withObjectString: true, withNullPrototype: true, withBigInt: true }), async (garbage) => {
        fc.pre(!backgroundSafe(garbage));
        await expectRefused(garbage, senders.options);
      }),
      { numRuns: 150 },
    );
  });

  it('fast-check: valid messages with one field replaced by garbage are refused', async () => {
    const mutated = fc
      .tuple(fc.constantFrom(...TYPES), fc.anything({ withBigInt: true, withNullPrototype: true }), fc.nat())
      .map(([type, value, pick]) => {
        const message: Record<string, unknown> = { ...VALID[type] };
        const keys = Object.keys(message);
        message[keys[pick % keys.length]!] = value;
        return message;
      });
    await fc.assert(
      fc.asyncProperty(mutated, async (message) => {
        fc.pre(!backgroundSafe(message));
        await expectRefused(message, senders.options);
      }),
      { numRuns: 200 },
    );
  });

  it('fast-check: arbitrary senders with a valid lookup are refused unless they are ours', async () => {
    const sender = fc.record(
      {
        id: fc.oneof(fc.constant(EXTENSION_ID), fc.string()),
        url: fc.oneof(fc.webUrl(), fc.string(), fc.constant(`${EXTENSION_ORIGIN}/options.html`), fc.constant(`${EXTENSION_ORIGIN}/card.html`)),
        origin: fc.oneof(fc.webUrl(), fc.string(), fc.constant('null')),
        tab: fc.option(fc.record({ id: fc.integer() }), { nil: undefined }),
        frameId: fc.option(fc.integer({ min: -1, max: 10 }), { nil: undefined }),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(sender, async (forged) => {
        fc.pre(!isLegitimate(forged));
        await expectRefused(VALID.lookup, forged);
      }),
      { numRuns: 200 },
    );
  });
});

/** Whether a message would pass the protocol (then it is not garbage, and not this test's business). */
function backgroundSafe(message: unknown): boolean {
  return TYPES.some((type) => backgroundRequests[type].request.safeParse(message).success);
}

/** Senders the background rightly trusts: our own top-level pages, or our content script on an enabled CRM. */
function isLegitimate(sender: Sender): boolean {
  if (sender.id !== EXTENSION_ID) return false;
  let url: URL;
  try {
    url = new URL(sender.url ?? '');
  } catch {
    return false;
  }
  if (`${url.protocol}//${url.host}` === EXTENSION_ORIGIN) return true;
  return /(^|\.)(lightning\.force|my\.salesforce|visualforce|vf\.force|pipedrive|crm\d*\.dynamics)\.com$/.test(url.hostname) || url.hostname.startsWith('crm.zoho.') || ['app.hubspot.com', 'app-eu1.hubspot.com', 'app.attio.com'].includes(url.hostname);
}
