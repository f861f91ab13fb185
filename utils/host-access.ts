import { browser } from 'wxt/browser';
import type { Settings } from './settings';
import { BUILTIN_SITES } from './sites';

export interface MissingAccess {
  /** Names of the built-in CRMs left on whose pages the browser does not let the extension read. */
  sites: string[];
  /** The API's host, when the browser does not let the extension reach it. */
  apiHost?: string;
  /** Every origin pattern to ask for, to give all of it back. */
  origins: string[];
}

async function granted(origin: string): Promise<boolean> {
  try {
    return await browser.permissions.contains({ origins: [origin] });
  } catch {
    return false;
  }
}

/**
 * The host access these settings need and the browser does not give. Firefox lets the user
 * withhold the manifest's host permissions, at install or any time later (Chrome's "site access"
 * too): the content script then never runs on a CRM, and the API may refuse a cross-origin call.
 * Custom sites are not included: the options page shows their access one by one.
 */
export async function missingHostAccess(settings: Settings): Promise<MissingAccess> {
  const origins: string[] = [];
  const sites: string[] = [];
  for (const site of BUILTIN_SITES) {
    if (settings.disabledBuiltinSites.includes(site.key)) continue;
    const missing = (await Promise.all(site.matches.map(async (m) => ((await granted(m)) ? undefined : m)))).filter((m): m is string => !!m);
    if (missing.length === 0) continue;
    sites.push(site.label);
    origins.push(...missing);
  }
  const api = new URL(settings.baseUrl);
  const apiOrigin = `${api.origin}/*`;
  const apiMissing = !(await granted(apiOrigin));
  if (apiMissing) origins.push(apiOrigin);
  return { sites, apiHost: apiMissing ? api.host : undefined, origins };
}
