/**
 * Chromium throttles an extension's requests to a URL (scheme, host, port and path; the query is
 * ignored) after it answered 5xx a few times, backing off up to 15 minutes, and a throttled request
 * fails exactly like a network error (ERR_TEMPORARILY_THROTTLED). Remembering which endpoints
 * answered 5xx lately tells that case from being offline, so the user is told the API is failing
 * rather than to check their network.
 */
export const FAILING_MEMORY_MS = 15 * 60 * 1000;

/** Endpoints remembered at most: the API has two paths, each ID making one. */
const MAX_ENDPOINTS = 500;

/** The throttle's key for a URL: everything but the query and fragment. */
export function endpointOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url;
  }
}

export class FailingEndpoints {
  private readonly lastServerError = new Map<string, number>();

  /** Records what an endpoint answered: a 5xx marks it, any other answer clears it. */
  answered(url: string, status: number, now: number): void {
    const endpoint = endpointOf(url);
    this.lastServerError.delete(endpoint);
    if (status < 500) return;
    this.lastServerError.set(endpoint, now);
    if (this.lastServerError.size > MAX_ENDPOINTS) {
      const oldest = this.lastServerError.keys().next().value;
      if (oldest !== undefined) this.lastServerError.delete(oldest);
    }
  }

  /** Whether a request to `url` that failed without an answer was most likely held back by the browser. */
  heldBack(url: string, now: number): boolean {
    const at = this.lastServerError.get(endpointOf(url));
    return at !== undefined && now - at < FAILING_MEMORY_MS;
  }
}
