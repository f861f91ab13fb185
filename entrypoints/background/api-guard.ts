import { browser } from 'wxt/browser';
import { ApiError } from '@/utils/api-error';
import { apiPermissionPattern, isAllowedApiUrl } from '@/utils/api-origin';
import { patternIncludes } from '@/utils/page-config';
import { BUILTIN_MATCHES } from '@/utils/sites';

/**
 * Why credentials may not go to `origin`, or undefined when they may: it must be granted to us
 * (the manifest's API origin, or one the options page asked the browser for), and not be one of
 * the CRM hosts we hold access to for the badges, where anyone can own a subdomain.
 */
async function refusal(origin: string): Promise<ApiError | undefined> {
  const url = new URL(`${origin}/`);
  if (BUILTIN_MATCHES.some((pattern) => patternIncludes(pattern, url))) {
    return new ApiError({ kind: 'not_configured', message: `${origin} is a CRM site the badges run on, not an API address.` });
  }
  let granted = false;
  try {
    granted = await browser.permissions.contains({ origins: [apiPermissionPattern(origin)] });
  } catch {
    // No answer is no permission.
  }
  if (granted) return undefined;
  return new ApiError({
    kind: 'not_configured',
    message: `The extension has no access to ${origin}. Save the API address in the options to grant it.`,
  });
}

/**
 * The fetch every call to the API goes through: only to `origin` (the one the credentials were
 * entered for), only over https (http on loopback), only where `refusal` finds nothing, whatever
 * the settings in storage say. A refused call never reaches the network.
 */
export function apiFetch(origin: string): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.origin !== origin || !isAllowedApiUrl(url)) {
      throw new ApiError({ kind: 'not_configured', message: `A call to ${url.origin} was refused: the credentials are for ${origin}.` });
    }
    const refused = await refusal(origin);
    if (refused) throw refused;
    // Resolved per call, so a test's or a polyfill's fetch is the one used.
    return globalThis.fetch(input, init);
  };
}

/** Refuses new credentials for an origin they could never be sent to. */
export async function assertApiOrigin(origin: string): Promise<void> {
  const refused = await refusal(origin);
  if (refused) throw refused;
}
