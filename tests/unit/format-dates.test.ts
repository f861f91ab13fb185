import { describe, expect, it } from 'vitest';
import { formatDateTime, formatRelative } from '@/utils/format-dates';

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);

describe('formatRelative', () => {
  it('uses the largest fitting unit, past and future', () => {
    expect(formatRelative(NOW - 3 * 60_000, NOW, 'en')).toBe('3 minutes ago');
    expect(formatRelative(NOW + 2 * 3600_000, NOW, 'en')).toBe('in 2 hours');
    expect(formatRelative(NOW - 24 * 3600_000, NOW, 'en')).toBe('yesterday');
    expect(formatRelative(NOW, NOW, 'en')).toBe('now');
  });

  it('speaks the given language', () => {
    expect(formatRelative(NOW - 3 * 60_000, NOW, 'de')).toBe('vor 3 Minuten');
  });
});

describe('formatDateTime', () => {
  it('formats per locale', () => {
    expect(formatDateTime(NOW, 'de')).toMatch(/29\.11\.2026/);
    expect(formatDateTime(NOW, 'en-US')).toMatch(/Nov 29, 2026/);
  });
});
