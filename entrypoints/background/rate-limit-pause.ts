import { clampRetryAfter, parseRetryAfter } from '@/utils/retry';

/** The pause after a 429 that named no time of its own. */
export const DEFAULT_PAUSE_MS = 30_000;

/**
 * One pause for every page after the API answered 429: until the time its `Retry-After` names,
 * or a short while when it names none. Without it, each tab's misses would go on asking and
 * each get its own 429. Lookups a person asked for (popup, options) are not held; the API
 * client's own retries honour `Retry-After` per call. A success ends the pause early.
 */
export class RateLimitPause {
  private until = 0;

  /** Takes note of an API answer. */
  observe(status: number, retryAfter: string | null, now: number): void {
    if (status >= 200 && status < 300) {
      this.until = 0;
      return;
    }
    if (status !== 429) return;
    const wait = clampRetryAfter(parseRetryAfter(retryAfter, now) ?? DEFAULT_PAUSE_MS);
    this.until = Math.max(this.until, now + wait);
  }

  /** Epoch ms the pause ends at, or undefined when pages may cause calls. */
  pausedUntil(now: number): number | undefined {
    return now < this.until ? this.until : undefined;
  }
}

/** The worker's one pause: every API answer passes through `apiFetch`, which reports it here. */
export const rateLimitPause = new RateLimitPause();
