import { browser } from 'wxt/browser';
import type { Settings } from './settings';
import { applyPolicy, EMPTY_POLICY, parsePolicy, type Policy } from './policy';
import { loadSettings, settingsItem } from './storage';

/** The administrator's policy; empty where there is none or the browser has no managed storage (Firefox without policies.json). */
export async function readPolicy(): Promise<Policy> {
  try {
    return parsePolicy(await browser.storage.managed.get(null));
  } catch {
    return EMPTY_POLICY;
  }
}

/** The settings in force everywhere: the user's settings with locked policy values over them. */
export async function loadEffectiveSettings(): Promise<Settings> {
  const [{ settings }, policy] = await Promise.all([loadSettings(), readPolicy()]);
  return applyPolicy(settings, policy);
}

/** Calls back whenever the user's settings or the policy change; returns the unwatch function. */
export function watchEffectiveSettings(callback: (settings: Settings) => void): () => void {
  const reload = () => void loadEffectiveSettings().then(callback);
  const unwatchSettings = settingsItem.watch(reload);
  const onChanged = (_changes: unknown, area: string) => {
    if (area === 'managed') reload();
  };
  browser.storage.onChanged.addListener(onChanged);
  return () => {
    unwatchSettings();
    browser.storage.onChanged.removeListener(onChanged);
  };
}
