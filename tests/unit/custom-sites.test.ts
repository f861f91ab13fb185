import { beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CUSTOM_SITES_SCRIPT_ID, permissionOrigin, syncCustomSiteScripts } from '@/utils/custom-sites';

describe('permissionOrigin', () => {
  it('asks for the whole origin, whatever the path', () => {
    expect(permissionOrigin('https://crm.example.com/accounts/*')).toBe('https://crm.example.com/*');
    expect(permissionOrigin('https://*.example.com:8443/*')).toBe('https://*.example.com:8443/*');
  });
});

describe('syncCustomSiteScripts', () => {
  let scripting: { registered: { id: string }[]; register: Mock; update: Mock; unregister: Mock };

  beforeEach(() => {
    fakeBrowser.reset();
    scripting = { registered: [], register: vi.fn(), update: vi.fn(), unregister: vi.fn() };
    vi.spyOn(fakeBrowser.permissions, 'contains').mockImplementation(async ({ origins }) =>
      Boolean(origins?.every((o) => o !== 'https://denied.example.com/*')),
    );
    vi.spyOn(fakeBrowser.scripting, 'getRegisteredContentScripts').mockImplementation(async () => scripting.registered as never);
    vi.spyOn(fakeBrowser.scripting, 'registerContentScripts').mockImplementation(scripting.register);
    vi.spyOn(fakeBrowser.scripting, 'updateContentScripts').mockImplementation(scripting.update);
    vi.spyOn(fakeBrowser.scripting, 'unregisterContentScripts').mockImplementation(scripting.unregister);
  });

  it('registers the badge script on granted sites only', async () => {
    await syncCustomSiteScripts(['https://crm.example.com/*', 'https://denied.example.com/*']);
    expect(scripting.register).toHaveBeenCalledWith([
      expect.objectContaining({
        id: CUSTOM_SITES_SCRIPT_ID,
        js: ['content-scripts/badges.js'],
        matches: ['https://crm.example.com/*'],
        allFrames: true,
      }),
    ]);
  });

  it('updates an existing registration instead of registering twice', async () => {
    scripting.registered = [{ id: CUSTOM_SITES_SCRIPT_ID }];
    await syncCustomSiteScripts(['https://crm.example.com/*']);
    expect(scripting.register).not.toHaveBeenCalled();
    expect(scripting.update).toHaveBeenCalledOnce();
  });

  it('removes the registration when no granted site is left', async () => {
    scripting.registered = [{ id: CUSTOM_SITES_SCRIPT_ID }];
    await syncCustomSiteScripts(['https://denied.example.com/*']);
    expect(scripting.unregister).toHaveBeenCalledWith({ ids: [CUSTOM_SITES_SCRIPT_ID] });
    expect(scripting.register).not.toHaveBeenCalled();
  });
});
