import { browser } from 'wxt/browser';
import type { Settings } from './settings';
import { applyPolicy, EMPTY_POLICY, parsePolicy, type Policy } from './policy';
import { loadSettings, settingsItem } from './storage';

/** How long a read waits for the policy before going on without it. */
const POLICY_WAIT_MS = 1000;

/** Watchers to tell when a policy that was too slow to wait for has arrived. */
const latePolicyListeners = new Set<(policy: Policy) => void>();

/**
 * The administrator's policy; empty where there is none or the browser has no managed storage
 * (Firefox without policies.json). On a fresh profile Chrome answers `storage.managed` only once
 * its policy service has loaded, seconds later: rather than hold up the worker's start (and
 * every message behind it), the read goes on without policy and the watchers re-apply it when
 * it arrives.
 */
export async function readPolicy(): Promise<Policy> {
  const read = browser.storage.managed.get(null).then(parsePolicy, () => EMPTY_POLICY);
  let stopWaiting = () => {};
  const waited = new Promise<undefined>((resolve) => {
    const timer = setTimeout(resolve, POLICY_WAIT_MS);
    stopWaiting = () => clearTimeout(timer);
  });
  const policy = await Promise.race([read, waited]);
  stopWaiting();
  if (policy) return policy;
  void read.then((late) => {
    if (late.locked.length > 0 || late.invalid.length > 0) for (const listener of latePolicyListeners) listener(late);
  });
  return EMPTY_POLICY;
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
  const onLatePolicy = (policy: Policy) => void loadSettings().then(({ settings }) => callback(applyPolicy(settings, policy)));
  latePolicyListeners.add(onLatePolicy);
  return () => {
    unwatchSettings();
    latePolicyListeners.delete(onLatePolicy);
    browser.storage.onChanged.removeListener(onChanged);
  };
}
