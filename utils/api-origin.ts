/**
 * Which API addresses credentials may be sent to. Shared by the options page (what it accepts)
 * and the background (what it calls), so the two cannot disagree.
 */

/** `localhost`, `*.localhost`, `127.0.0.0/8` and `[::1]`: names that never leave this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host === '[::1]') return true;
  // The URL parser has already turned every IPv4 spelling (2130706433, 0x7f.1...) into dotted form.
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Whether an API base URL may carry credentials: `https:`, or `http:` on a loopback host (a
 * local API in development). Nothing else: a token sent in clear text is a token given away.
 */
export function isAllowedApiUrl(url: URL): boolean {
  if (url.username || url.password) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

/** The origin credentials entered for this base URL are bound to; undefined for a URL that is not allowed. */
export function apiOriginOf(baseUrl: string): string | undefined {
  try {
    const url = new URL(baseUrl);
    return isAllowedApiUrl(url) ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** The host permission that covers an API origin (`https://api.example.com/*`). */
export function apiPermissionPattern(origin: string): string {
  return `${origin}/*`;
}
