/**
 * The background's lookup stack as the worker assembles it (H2's client and credentials, H3's
 * service and session stores), freshly imported each time so module state starts empty, as in a
 * new worker, while the fake browser's storage is kept. Wired to a real mock API over loopback.
 */
import { vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { MockApi } from '../../mock-api/server';
import type { ApiClientConfig } from '@/utils/api-client';
import type { BreakerOptions } from '@/utils/circuit-breaker';
import type { LookupResult, ServiceState } from '@/utils/protocol';
import type { Settings } from '@/utils/settings';
import { grantOrigins } from '../support/fake-permissions';

export interface StackOptions {
  /** The service's clock (cache ages, breaker cool-down); real time by default. */
  now?: () => number;
  /** Overrides of the API client's timing; the production client is used when absent. */
  client?: Pick<ApiClientConfig, 'timeoutMs' | 'deadlineMs' | 'sleep'>;
  breaker?: BreakerOptions;
}

export interface LookupStack {
  lookup(ids: string[], priority?: 'visible' | 'idle', refresh?: boolean): Promise<Record<string, LookupResult>>;
  state(): Promise<ServiceState>;
  changed: Record<string, LookupResult>[];
  auth: typeof import('@/entrypoints/background/auth');
  storage: typeof import('@/utils/storage');
}

/**
 * Stores settings pointing at the mock API as the settings item writes them (value and version),
 * and grants its origin, as the options page asks the browser to for a custom API address.
 */
export async function saveMockSettings(api: MockApi, extra: Partial<Settings> = {}): Promise<void> {
  grantOrigins(`${api.origin}/*`);
  const { settingsSchema } = await import('@/utils/settings');
  const settings = settingsSchema.parse({ baseUrl: api.url, requesterOrgId: api.requesterOrgId, ...extra });
  await fakeBrowser.storage.local.set({ settings, settings$: { v: 2 } });
}

/** A new worker's lookup stack over the current fake storage. */
export async function startLookupStack(options: StackOptions = {}): Promise<LookupStack> {
  vi.resetModules();
  const auth = await import('@/entrypoints/background/auth');
  const storage = await import('@/utils/storage');
  const { createApiClient } = await import('@/utils/api-client');
  const { effectiveTargetOrgId } = await import('@/utils/settings');
  const { LookupService } = await import('@/entrypoints/background/lookup-service');
  const { CacheStore } = await import('@/entrypoints/background/cache-store');
  const { BreakerStore } = await import('@/entrypoints/background/breaker-store');
  const { ServiceStateStore } = await import('@/entrypoints/background/service-state');

  const changed: Record<string, LookupResult>[] = [];
  const state = new ServiceStateStore({ credentialsInfo: auth.getCredentialsInfo, onChange: () => undefined });
  const clientFor = async (settings: Settings) => {
    if (!options.client) return auth.createClientForSettings(settings);
    const requesterOrgId = settings.requesterOrgId ?? '';
    return createApiClient({
      baseUrl: settings.baseUrl,
      requesterOrgId,
      targetOrgId: effectiveTargetOrgId(settings) ?? requesterOrgId,
      getAccessToken: auth.getAccessToken,
      renewAccessToken: auth.renewAccessToken,
      ...options.client,
    });
  };
  const service = new LookupService({
    loadSettings: async () => (await storage.loadSettings()).settings,
    accountKey: auth.accountKey,
    clientFor,
    cache: new CacheStore(),
    breakers: new BreakerStore(options.breaker),
    state,
    onEntriesChanged: (results) => changed.push(results),
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    lookup: (ids, priority = 'visible', refresh = false) => service.lookup(ids, priority, { refresh }),
    state: () => state.current(),
    changed,
    auth,
    storage,
  };
}

/** Requests the mock API logged on one route (`/oauth2/token`, `/host-connections`...). */
export function requestsTo(api: MockApi, route: string) {
  const prefix = new URL(api.url).pathname + route;
  return api.requests.filter((r) => r.method !== 'OPTIONS' && r.path.startsWith(prefix));
}
