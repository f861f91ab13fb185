/**
 * The retry policy of API calls: which answers are worth another try, how long to wait, and how
 * to read a server's own `Retry-After`. Pure, so every rule is tested without a network.
 */

/** Longest `Retry-After` taken at its word; a larger one (or a date years away) is cut to this. */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Statuses a repeated GET may cure: the server was busy, overloaded or briefly down. */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAY = '(?:mon|tue|wed|thu|fri|sat|sun)';
const LONG_WEEKDAY = '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)';
const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
// RFC 9110 section 5.6.7: recipients must accept all three forms of HTTP-date.
const IMF_FIXDATE = new RegExp(`^${WEEKDAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`, 'i');
const RFC850_DATE = new RegExp(`^${LONG_WEEKDAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`, 'i');
const ASCTIME_DATE = new RegExp(`^${WEEKDAY} ${MONTH} ( \\d|\\d{2}) ${TIME} (\\d{4})$`, 'i');

function utc(year: number, month: string, day: number, h: string, mi: string, s: string): number | undefined {
  const monthIndex = MONTHS.indexOf(month.toLowerCase());
  const [hours, minutes, seconds] = [Number(h), Number(mi), Number(s)];
  if (hours > 23 || minutes > 59 || seconds > 60) return undefined;
  const ms = Date.UTC(year, monthIndex, day, hours, minutes, seconds);
  // Date.UTC rolls 31 Feb over into March; a real date keeps its day.
  return new Date(ms).getUTCDate() === day ? ms : undefined;
}

/** Epoch ms of an HTTP-date in any of its three forms, or undefined; `now` places two-digit years. */
export function parseHttpDate(value: string, now: number): number | undefined {
  let m = IMF_FIXDATE.exec(value);
  if (m) return utc(Number(m[3]), m[2]!, Number(m[1]), m[4]!, m[5]!, m[6]!);
  m = RFC850_DATE.exec(value);
  if (m) {
    // RFC 9110: a two-digit year more than 50 years in the future means the past century.
    const yy = Number(m[3]);
    const thisYear = new Date(now).getUTCFullYear();
    let year = Math.floor(thisYear / 100) * 100 + yy;
    if (year > thisYear + 50) year -= 100;
    return utc(year, m[2]!, Number(m[1]), m[4]!, m[5]!, m[6]!);
  }
  m = ASCTIME_DATE.exec(value);
  if (m) return utc(Number(m[6]), m[1]!, Number(m[2]!.trim()), m[3]!, m[4]!, m[5]!);
  return undefined;
}

/**
 * Milliseconds a `Retry-After` header asks us to wait (RFC 9110 section 10.2.3): delay-seconds or
 * an HTTP-date. A date already past means "now" (0). Garbage, negative numbers, fractions: undefined.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) {
    const ms = Number(trimmed) * 1000;
    return Number.isFinite(ms) ? ms : MAX_RETRY_AFTER_MS;
  }
  if (!Number.isFinite(now)) return undefined;
  const at = parseHttpDate(trimmed, now);
  if (at === undefined) return undefined;
  return Math.max(0, at - now);
}

/** A server's wait, kept within [0, maxMs], so a typo or a hostile header cannot park us for days. */
export function clampRetryAfter(ms: number, maxMs = MAX_RETRY_AFTER_MS): number {
  if (Number.isNaN(ms)) return maxMs;
  return Math.min(Math.max(ms, 0), maxMs);
}

/**
 * Capped exponential backoff with full jitter (AWS "Exponential Backoff And Jitter"): a random
 * wait in [0, min(cap, base * 2^attempt)]. `attempt` counts the retries already made (0 before the
 * first retry); `random` returns [0, 1) like Math.random.
 */
export function backoffDelay(attempt: number, random: () => number, baseMs = 300, capMs = 5000): number {
  const exponent = Number.isFinite(attempt) ? Math.max(0, Math.floor(attempt)) : Number.POSITIVE_INFINITY;
  const ceiling = Math.min(capMs, baseMs * 2 ** exponent);
  const r = random();
  const fraction = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.max(0, Math.min(capMs, fraction * ceiling));
}
