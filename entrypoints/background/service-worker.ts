import { browser } from 'wxt/browser';
import { ApiError } from '@/utils/api-error';
import { classifySender, senderPageUrl, type SenderContext } from '@/utils/classify-sender';
import { loadEffectiveSettings, watchEffectiveSettings } from '@/utils/effective-settings';
import { isSiteCovered, isSiteEnabled, pageConfigFor } from '@/utils/page-config';
import { contentMessageSchema, type ContentMessage, type CredentialsInfo, type LookupResult, type ServiceState } from '@/utils/protocol';
import type { Settings } from '@/utils/settings';
import { credentialsItem, hardenStorageAccess } from '@/utils/storage';
import {
  accountKey,
  clearCredentials,
  createClientForSettings,
  getCredentialsInfo,
  restoreRememberedCredentials,
  saveCredentials,
} from './auth';
import { BreakerStore } from './breaker-store';
import { CacheStore } from './cache-store';
import { FrameLifetimes } from './frame-lifetimes';
import { LookupService, type LookupApi } from './lookup-service';
import { createMessageRouter, type Asker, type MessageSender, type RequestHandlers } from './message-router';
import { PageLimits } from './page-limits';
import { Recovery } from './recovery';
import { ServiceStateStore } from './service-state';
import { TabRegistry, type IdReport } from './tab-registry';

export interface ServiceWorkerOptions {
  /** Replaces the real API client (unit tests). */
  clientFor?: (settings: Settings) => LookupApi | Promise<LookupApi>;
}

/**
 * Sends a push to one frame; a frame that is gone (navigated, closed) is not an error. The
 * schema leaves of results and states only what a badge shows.
 */
async function push(tabId: number, frameId: number, message: ContentMessage): Promise<void> {
  try {
    await browser.tabs.sendMessage(tabId, contentMessageSchema.parse(message), { frameId });
  } catch {
    // No receiver: the page was left or reloaded; its script asks again when it starts.
  }
}

function senderContext(settings: Settings): SenderContext {
  return {
    extensionId: browser.runtime.id,
    extensionBases: [browser.runtime.getURL('/')],
    cardPath: '/card.html',
    isSiteCovered: (url) => isSiteCovered(url, settings),
  };
}

/**
 * Builds the background: stores, lookup service, message router, pushes to tabs and toolbar
 * icon. Every listener is added synchronously here, so an event that woke the worker finds it.
 */
export function startServiceWorker(options: ServiceWorkerOptions = {}) {
  const cache = new CacheStore();
  const tabs = new TabRegistry();
  // Pages cause no calls while a 429's pause holds: the circuit breaker's, which every call obeys.
  const limits = new PageLimits(undefined, () => service.pausedUntil());
  const frames = new FrameLifetimes();
  // The breaker's times drive the recovery and the "tries again at" of the toolbar.
  const breakers = new BreakerStore(undefined, () => {
    void state.show();
    recovery.arm().catch((error: unknown) => console.warn('Could not schedule the recovery probe', error));
  });

  async function pushEntries(results: Record<string, LookupResult>): Promise<void> {
    for (const frame of await tabs.framesShowing(Object.keys(results))) {
      const subset = Object.fromEntries(frame.ids.map((id) => [id, results[id]!]));
      await push(frame.tabId, frame.frameId, { type: 'entriesChanged', results: subset });
    }
  }

  async function pushState(current: ServiceState): Promise<void> {
    for (const frame of await tabs.frames()) await push(frame.tabId, frame.frameId, { type: 'stateChanged', state: current });
  }

  const state: ServiceStateStore = new ServiceStateStore({
    credentialsInfo: getCredentialsInfo,
    retryAt: (): Promise<number | undefined> => service.retryAt(),
    onChange: (current) => {
      void pushState(current);
      recovery.arm().catch((error: unknown) => console.warn('Could not schedule the recovery probe', error));
    },
  });

  const service: LookupService = new LookupService({
    loadSettings: loadEffectiveSettings,
    accountKey,
    clientFor: options.clientFor ?? createClientForSettings,
    cache,
    breakers,
    state,
    onEntriesChanged: (results) => void pushEntries(results),
    isGone: (asker) => frames.isGone(asker),
  });

  const recovery = new Recovery({ nextAttemptAt: () => service.nextAttemptAt(), recover: () => service.recover() });

  /**
   * What the service can do with these settings and credentials, before any call says otherwise.
   * On a restart (`keepKnown`) an outage or refusal the last worker saw stands.
   */
  async function resetState(settings: Settings, keepKnown = false): Promise<void> {
    const info: CredentialsInfo = await getCredentialsInfo().catch(() => ({ mode: 'none' }));
    if (!settings.requesterOrgId || info.mode === 'none') {
      const missing = !settings.requesterOrgId
        ? 'The requester organization ID is not set.'
        : info.mode === 'none' && info.enteredFor
          ? `The credentials were entered for ${info.enteredFor}, not for the API address set now.`
          : 'No access token or API client is set up.';
      await state.report('not_configured', { kind: 'not_configured', message: missing });
    } else if (!keepKnown || (await state.kind()) === 'not_configured') {
      await state.report('ready');
    }
  }

  /** What a content script's frame shows, for the popup and for pushes; other askers show nothing. */
  async function report(asker: Asker, ids: IdReport): Promise<void> {
    if (asker.tabId === undefined || asker.kind !== 'content') return;
    await tabs.report({ tabId: asker.tabId, frameId: asker.frameId ?? 0, url: senderPageUrl(asker) }, ids);
  }

  /** The frame a content script asks from, so its queued lookups go when it does; other askers are never dropped. */
  function askerKey(asker: Asker): string | undefined {
    if (asker.kind !== 'content' || asker.tabId === undefined) return undefined;
    const key = FrameLifetimes.key(asker.tabId, asker.frameId ?? 0);
    frames.heard(key);
    return key;
  }

  /** Passes the card's word to the content scripts of the tab it is shown in: the one showing its ID acts on it. */
  async function toCardTab(asker: Asker, message: ContentMessage): Promise<void> {
    if (asker.tabId === undefined) return;
    // The tab may have gone, or its page may have no content script any more: nothing to close.
    await browser.tabs.sendMessage(asker.tabId, contentMessageSchema.parse(message)).catch(() => undefined);
  }

  /** A content script on a site switched off is heard (for its configuration) but not served. */
  async function switchedOff(asker: Asker): Promise<boolean> {
    return asker.kind === 'content' && !isSiteEnabled(senderPageUrl(asker) ?? '', await loadEffectiveSettings());
  }

  const handlers: RequestHandlers = {
    async lookup(request, asker) {
      if (await switchedOff(asker)) {
        return { state: await state.current(), results: Object.fromEntries(request.ids.map((id) => [id, { status: 'unknown' as const }])) };
      }
      await report(asker, { added: request.ids });
      const results = await service.lookup(request.ids, request.priority, { admitCalls: limits.callsAdmitted(asker), asker: askerKey(asker) });
      return { state: await state.current(), results };
    },
    async lookupOne(request, asker) {
      if (await switchedOff(asker)) return { state: await state.current(), result: { status: 'unknown' } };
      await report(asker, { added: [request.id] });
      const results = await service.lookup([request.id], 'visible', {
        refresh: request.refresh,
        admitCalls: limits.callsAdmitted(asker),
        asker: askerKey(asker),
        byPerson: asker.kind === 'extension',
      });
      return { state: await state.current(), result: results[request.id] ?? { status: 'unknown' } };
    },
    getState: () => state.current(),
    async getPageConfig(_request, asker) {
      // Known to the registry from now on, so a later change of settings reaches this frame.
      await report(asker, { added: [] });
      return pageConfigFor(senderPageUrl(asker) ?? '', await loadEffectiveSettings());
    },
    async cardClose(request, asker) {
      await toCardTab(asker, request);
      return { ok: true };
    },
    async cardResize(request, asker) {
      await toCardTab(asker, request);
      return { ok: true };
    },
    async openOptions() {
      await browser.runtime.openOptionsPage();
      return { ok: true };
    },
    async saveCredentials(request) {
      try {
        const info = await saveCredentials(request.auth);
        // Saved again unchanged, they change nothing in storage, yet the user asks for a new try.
        await resetState(await loadEffectiveSettings());
        return { ok: true, info };
      } catch (error) {
        const info = await getCredentialsInfo();
        if (error instanceof ApiError) return { ok: false, error: error.toInfo(), info };
        throw error;
      }
    },
    async clearCredentials() {
      await clearCredentials();
      return { ok: true };
    },
    getCredentialsInfo: () => getCredentialsInfo(),
    async testConnection() {
      const outcome = await service.testConnection();
      return outcome.ok ? { ok: true, totalConnections: outcome.totalConnections } : { ok: false, error: outcome.error };
    },
    async clearCache() {
      await cache.clear();
      await cache.flush();
      return { ok: true };
    },
    async getTabIds(request) {
      const frames = await tabs.framesOfTab(request.tabId);
      const results = await service.peek([...new Set(frames.flatMap((frame) => frame.ids))]);
      const entries = frames.flatMap((frame) =>
        frame.ids.map((id) => ({ id, frameId: frame.frameId, result: results[id] ?? { status: 'unknown' as const } })),
      );
      return { entries };
    },
    async revealId(request) {
      try {
        await browser.tabs.sendMessage(request.tabId, contentMessageSchema.parse({ type: 'revealId', id: request.id }), {
          frameId: request.frameId,
        });
        return { ok: true };
      } catch {
        return { ok: false };
      }
    },
    async reportIds(request, asker) {
      await report(asker, (await switchedOff(asker)) ? { ids: [] } : request);
      return { ok: true };
    },
  };

  let lastAccount: string | undefined;

  // Started before the listeners are added; messages wait for it, so none sees the state half set up.
  const ready = (async () => {
    await hardenStorageAccess();
    await restoreRememberedCredentials();
    const settings = await loadEffectiveSettings();
    lastAccount = accountKey(settings);
    await cache.open(lastAccount);
    await resetState(settings, true);
    await state.show();
    // An outage the last worker saw is probed on the breaker's time, as if this worker had seen it.
    await recovery.arm();
  })().catch((error: unknown) => console.error('Background start failed', error));

  const route = createMessageRouter({
    senderContext: async () => senderContext(await loadEffectiveSettings()),
    handlers,
    admit: (asker) => limits.admitMessage(asker),
  });

  browser.runtime.onMessage.addListener((message: unknown, sender: MessageSender) => ready.then(() => route(message, sender)));
  // `externally_connectable` admits nobody; should a browser deliver anyway, nothing is answered.
  browser.runtime.onMessageExternal?.addListener((_message: unknown, sender: MessageSender) => {
    console.warn('Refused a message from outside the extension', { id: sender.id, url: sender.url });
    return Promise.resolve({ ok: false, error: 'Refused: outside the extension' });
  });

  browser.tabs.onRemoved.addListener((tabId) => {
    frames.tabClosed(tabId);
    void tabs.forgetTab(tabId);
    void limits.forgetTab(tabId);
  });
  browser.runtime.onConnect.addListener((port) =>
    frames.watch(port, async (sender) => {
      try {
        return classifySender(sender, senderContext(await loadEffectiveSettings())) === 'content';
      } catch {
        return false;
      }
    }),
  );
  // Chrome can drop an action badge set while the extension is still being installed or the
  // profile is still starting: set it again once those events arrive.
  const showAgain = () => void ready.then(() => state.show());
  browser.runtime.onInstalled.addListener(showAgain);
  browser.runtime.onStartup.addListener(showAgain);
  recovery.listen();

  watchEffectiveSettings((settings) => {
    void (async () => {
      const account = accountKey(settings);
      if (lastAccount !== undefined && account !== lastAccount) await cache.clear();
      lastAccount = account;
      await resetState(settings);
      for (const frame of await tabs.frames()) {
        if (frame.url) await push(frame.tabId, frame.frameId, { type: 'configChanged', config: pageConfigFor(frame.url, settings) });
      }
    })();
  });
  credentialsItem.watch(() => {
    void (async () => {
      await cache.clear();
      await resetState(await loadEffectiveSettings());
    })();
  });

  return { service, cache, breakers, state, tabs, frames, recovery, route, ready };
}
