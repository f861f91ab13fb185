/** The browser's language, which Intl formats dates in. */
export function uiLocale(): string {
  return globalThis.navigator?.language || 'en';
}

/** An absolute date and time, e.g. "29 Nov 2026, 14:05". */
export function formatDateTime(epochMs: number, locale = uiLocale()): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(epochMs);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600_000],
  ['month', 30 * 24 * 3600_000],
  ['week', 7 * 24 * 3600_000],
  ['day', 24 * 3600_000],
  ['hour', 3600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** A time relative to now in the largest fitting unit, e.g. "in 5 minutes", "3 days ago". */
export function formatRelative(epochMs: number, now = Date.now(), locale = uiLocale()): string {
  const diff = epochMs - now;
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(diff) >= size) return format.format(Math.trunc(diff / size), unit);
  }
  return format.format(0, 'second');
}

/** A time of day to the second, e.g. "14:05:10": when the extension tries again. */
export function formatTime(epochMs: number, locale = uiLocale()): string {
  return new Intl.DateTimeFormat(locale, { timeStyle: 'medium' }).format(epochMs);
}
