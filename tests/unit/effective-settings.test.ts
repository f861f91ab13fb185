import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { loadEffectiveSettings, watchEffectiveSettings } from '@/utils/effective-settings';
import { DEFAULT_SETTINGS } from '@/utils/settings';
import { settingsItem } from '@/utils/storage';
import { updateSettings } from '@/utils/update-settings';

const REQUESTER = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const POLICY_REQUESTER = '00000000-0000-4000-8000-000000000009';

describe('effective settings', () => {
  beforeEach(() => fakeBrowser.reset());

  it('are the user settings when there is no policy', async () => {
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, requesterOrgId: REQUESTER });
    expect((await loadEffectiveSettings()).requesterOrgId).toBe(REQUESTER);
  });

  it('take locked policy values over the user settings', async () => {
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, requesterOrgId: REQUESTER, hoverDelayMs: 100 });
    await fakeBrowser.storage.managed.set({ requesterOrgId: POLICY_REQUESTER });
    const settings = await loadEffectiveSettings();
    expect(settings.requesterOrgId).toBe(POLICY_REQUESTER);
    expect(settings.hoverDelayMs).toBe(100);
  });

  it('fall back to the user settings when managed storage cannot be read', async () => {
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, requesterOrgId: REQUESTER });
    vi.spyOn(fakeBrowser.storage.managed, 'get').mockRejectedValue(new Error('Managed storage manifest not found'));
    expect((await loadEffectiveSettings()).requesterOrgId).toBe(REQUESTER);
  });

  it('are reported again when the policy changes', async () => {
    const seen: (string | undefined)[] = [];
    const unwatch = watchEffectiveSettings((settings) => seen.push(settings.requesterOrgId));
    await fakeBrowser.storage.managed.set({ requesterOrgId: POLICY_REQUESTER });
    await vi.waitFor(() => expect(seen).toContain(POLICY_REQUESTER));
    unwatch();
  });
});

describe('updateSettings', () => {
  beforeEach(() => fakeBrowser.reset());

  it('writes the user settings only, never the policy values', async () => {
    await fakeBrowser.storage.managed.set({ requesterOrgId: POLICY_REQUESTER });
    await updateSettings({ hoverDelayMs: 50 });
    expect(await settingsItem.getValue()).toEqual({ ...DEFAULT_SETTINGS, hoverDelayMs: 50 });
  });

  it('writes nothing when the result would be invalid', async () => {
    await updateSettings({ hoverDelayMs: 50 });
    await expect(updateSettings({ hoverDelayMs: -1 })).rejects.toThrow();
    expect((await settingsItem.getValue()).hoverDelayMs).toBe(50);
  });

  it('go on without a policy that is slow to load, and apply it once it arrives', async () => {
    vi.useFakeTimers();
    try {
      await settingsItem.setValue({ ...DEFAULT_SETTINGS, requesterOrgId: REQUESTER });
      let deliver!: (value: Record<string, unknown>) => void;
      vi.spyOn(fakeBrowser.storage.managed, 'get').mockReturnValueOnce(new Promise((resolve) => (deliver = resolve)) as never);
      const seen: (string | undefined)[] = [];
      const unwatch = watchEffectiveSettings((settings) => seen.push(settings.requesterOrgId));
      const first = loadEffectiveSettings();
      await vi.advanceTimersByTimeAsync(1000);
      expect((await first).requesterOrgId).toBe(REQUESTER);
      deliver({ requesterOrgId: POLICY_REQUESTER });
      await vi.waitFor(() => expect(seen).toContain(POLICY_REQUESTER));
      unwatch();
    } finally {
      vi.useRealTimers();
    }
  });
});
