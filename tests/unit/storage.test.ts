import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_SETTINGS } from '@/utils/settings';
import {
  accessTokenItem,
  credentialsItem,
  hardenStorageAccess,
  loadSettings,
  migrateSettingsV1ToV2,
  rememberedClientItem,
  settingsItem,
} from '@/utils/storage';

const ORG = '5d0c8f3e-2b7a-4e19-8c64-a1f0e9d7b312';

beforeEach(() => {
  fakeBrowser.reset();
});

describe('settings migration from the pre-release format', () => {
  it('carries the v1 values over and stamps version 2', async () => {
    await fakeBrowser.storage.local.set({
      settings: { apiUrl: 'https://staging.example.com/v1/', orgId: ORG.toUpperCase(), ttlMinutes: 10 },
      settings$: { v: 1 },
    });
    await settingsItem.migrate();

    const stored = await fakeBrowser.storage.local.get(['settings', 'settings$']);
    expect(stored.settings$).toEqual({ v: 2 });
    expect(stored.settings).toEqual({ ...DEFAULT_SETTINGS, baseUrl: 'https://staging.example.com/v1', requesterOrgId: ORG, cacheTtlSeconds: 600 });
    expect(await loadSettings()).toEqual({ settings: stored.settings });
  });

  it('drops each invalid v1 value alone, keeping the valid ones', () => {
    expect(migrateSettingsV1ToV2({ apiUrl: 'ftp://x', orgId: ORG, ttlMinutes: 100_000 })).toEqual({ ...DEFAULT_SETTINGS, requesterOrgId: ORG });
    expect(migrateSettingsV1ToV2({ apiUrl: 'http://localhost:8787/v1-beta', orgId: 'acme' })).toEqual({
      ...DEFAULT_SETTINGS,
      baseUrl: 'http://localhost:8787/v1-beta',
    });
  });

  it('turns a v1 value that is not an object into the defaults', () => {
    expect(migrateSettingsV1ToV2('garbage')).toEqual(DEFAULT_SETTINGS);
    expect(migrateSettingsV1ToV2(null)).toEqual(DEFAULT_SETTINGS);
  });
});

describe('loadSettings', () => {
  it('gives the defaults, without a reset message, when nothing is stored', async () => {
    expect(await loadSettings()).toEqual({ settings: DEFAULT_SETTINGS });
  });

  it('gives what was stored when it is valid', async () => {
    const settings = { ...DEFAULT_SETTINGS, requesterOrgId: ORG, hoverDelayMs: 800 };
    await settingsItem.setValue(settings);
    expect(await loadSettings()).toEqual({ settings });
  });

  it('falls back to the defaults with a message naming the bad fields when the object is corrupt', async () => {
    await fakeBrowser.storage.local.set({ settings: { ...DEFAULT_SETTINGS, hoverDelayMs: 'slow', customSites: 'all' }, settings$: { v: 2 } });
    const { settings, reset } = await loadSettings();
    expect(settings).toEqual(DEFAULT_SETTINGS);
    expect(reset).toMatch(/hoverDelayMs/);
    expect(reset).toMatch(/customSites/);
  });

  it('never throws when the storage area itself fails', async () => {
    vi.spyOn(fakeBrowser.storage.local, 'get').mockRejectedValue(new Error('quota'));
    const { settings, reset } = await loadSettings();
    expect(settings).toEqual(DEFAULT_SETTINGS);
    expect(reset).toBeDefined();
  });
});

describe('credential items', () => {
  it('keep credentials and minted tokens in session, and only the remembered client in local', async () => {
    await credentialsItem.setValue({ mode: 'client', clientId: 'id', clientSecret: 'secret', origin: 'https://api.mycreditapp.ai' });
    await accessTokenItem.setValue({ token: 't', expiresAt: 1, account: 'a' });
    await rememberedClientItem.setValue({ clientId: 'id', clientSecret: 'secret', origin: 'https://api.mycreditapp.ai' });
    expect(Object.keys(await fakeBrowser.storage.session.get(null)).sort()).toEqual(['accessToken', 'credentials']);
    expect(Object.keys(await fakeBrowser.storage.local.get(null))).toEqual(['rememberedClient']);
  });
});

describe('hardenStorageAccess', () => {
  type Area = { setAccessLevel?: unknown };
  const session = fakeBrowser.storage.session as Area;
  const local = fakeBrowser.storage.local as Area;

  afterEach(() => {
    delete session.setAccessLevel;
    delete local.setAccessLevel;
  });

  it('closes both areas to content scripts where the browser can', async () => {
    session.setAccessLevel = vi.fn().mockResolvedValue(undefined);
    local.setAccessLevel = vi.fn().mockResolvedValue(undefined);
    await hardenStorageAccess();
    expect(session.setAccessLevel).toHaveBeenCalledWith({ accessLevel: 'TRUSTED_CONTEXTS' });
    expect(local.setAccessLevel).toHaveBeenCalledWith({ accessLevel: 'TRUSTED_CONTEXTS' });
  });

  it('still closes session when local refuses (Chrome before 140)', async () => {
    session.setAccessLevel = vi.fn().mockResolvedValue(undefined);
    local.setAccessLevel = vi.fn().mockRejectedValue(new Error('Access level can only be set for session storage'));
    await expect(hardenStorageAccess()).resolves.toBeUndefined();
    expect(session.setAccessLevel).toHaveBeenCalledOnce();
  });

  it('does nothing where the API is missing (Firefox)', async () => {
    await expect(hardenStorageAccess()).resolves.toBeUndefined();
  });
});
