import { browser } from 'wxt/browser';
import { watchEffectiveSettings, loadEffectiveSettings } from './effective-settings';

export const CUSTOM_SITES_SCRIPT_ID = 'custom-sites';
const BADGES_SCRIPT = 'content-scripts/badges.js';

/** The host permission a site pattern needs: permissions are granted per origin, whatever the path. */
export function permissionOrigin(pattern: string): string {
  const match = /^([^:]+:\/\/[^/]+)\//.exec(pattern.trim());
  return match ? `${match[1]}/*` : pattern;
}

async function grantedPatterns(patterns: string[]): Promise<string[]> {
  const checks = await Promise.all(
    patterns.map(async (pattern) => {
      try {
        return (await browser.permissions.contains({ origins: [permissionOrigin(pattern)] })) ? pattern : undefined;
      } catch {
        return undefined;
      }
    }),
  );
  return checks.filter((p): p is string => p !== undefined);
}

/**
 * Registers the badge script on the custom sites the user has granted, and only those; with
 * none left the registration is removed. Safe to call again at any time.
 */
export async function syncCustomSiteScripts(patterns: string[]): Promise<void> {
  const matches = await grantedPatterns(patterns);
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [CUSTOM_SITES_SCRIPT_ID] });
  if (matches.length === 0) {
    if (existing.length > 0) await browser.scripting.unregisterContentScripts({ ids: [CUSTOM_SITES_SCRIPT_ID] });
    return;
  }
  const script = {
    id: CUSTOM_SITES_SCRIPT_ID,
    js: [BADGES_SCRIPT],
    matches,
    allFrames: true,
    runAt: 'document_idle' as const,
  };
  if (existing.length > 0) await browser.scripting.updateContentScripts([script]);
  else await browser.scripting.registerContentScripts([script]);
}

/**
 * Keeps the registration in step with settings, policy and granted permissions. Registers its
 * listeners synchronously (call it from the background's `main`); syncs run one after another so
 * two quick changes cannot both try to register.
 */
export function watchCustomSites(): void {
  let queue = Promise.resolve();
  const sync = () => {
    queue = queue
      .then(async () => syncCustomSiteScripts((await loadEffectiveSettings()).customSites))
      .catch((error: unknown) => console.warn('Custom site registration failed', error));
  };
  watchEffectiveSettings(sync);
  browser.permissions.onAdded.addListener(sync);
  browser.permissions.onRemoved.addListener(sync);
  browser.runtime.onStartup.addListener(sync);
  browser.runtime.onInstalled.addListener(sync);
}
