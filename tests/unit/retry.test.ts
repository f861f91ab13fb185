import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_RETRY_AFTER_MS,
  backoffDelay,
  clampRetryAfter,
  isRetryableStatus,
  parseHttpDate,
  parseRetryAfter,
} from '@/utils/retry';

const NOW = Date.UTC(2026, 10, 29, 3, 0, 0);

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter('2', NOW)).toBe(2000);
    expect(parseRetryAfter(' 120 ', NOW)).toBe(120_000);
  });

  it('reads an IMF-fixdate relative to now', () => {
    expect(parseRetryAfter('Sun, 29 Nov 2026 03:00:05 GMT', NOW)).toBe(5000);
  });

  it('reads the obsolete RFC 850 and asctime forms', () => {
    expect(parseRetryAfter('Sunday, 29-Nov-26 03:00:07 GMT', NOW)).toBe(7000);
    expect(parseRetryAfter('Sun Nov 29 03:00:09 2026', NOW)).toBe(9000);
    expect(parseRetryAfter('Tue Dec  1 03:00:00 2026', NOW)).toBe(2 * 86_400_000);
  });

  it('treats a date in the past as "retry now"', () => {
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', NOW)).toBe(0);
  });

  it.each([null, '', ' ', '-1', '1.5', '5s', 'soon', '0x10', '1e3', 'Sun, 31 Feb 2026 03:00:00 GMT', 'Sun, 29 Nov 2026 25:00:00 GMT', '2026-11-29T03:00:05Z'])(
    'rejects %j',
    (value) => {
      expect(parseRetryAfter(value, NOW)).toBeUndefined();
    },
  );

  it('never throws and gives a non-negative number or undefined for any string', () => {
    fc.assert(
      fc.property(fc.option(fc.string(), { nil: null }), fc.integer({ min: 0, max: 4_102_444_800_000 }), (value, now) => {
        const result = parseRetryAfter(value, now);
        expect(result === undefined || (Number.isFinite(result) && result >= 0)).toBe(true);
      }),
    );
  });

  it('rejects anything that is neither digits nor an HTTP-date', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/^\s*\d+\s*$/.test(s) && parseHttpDate(s.trim(), NOW) === undefined),
        (value) => {
          expect(parseRetryAfter(value, NOW)).toBeUndefined();
        },
      ),
    );
  });

  it('reads every IMF-fixdate that Date can print', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_799 }), (seconds) => {
        const at = seconds * 1000;
        expect(parseHttpDate(new Date(at).toUTCString(), NOW)).toBe(at);
      }),
    );
  });

  it('gives a finite wait for an absurd number of seconds', () => {
    expect(parseRetryAfter('9'.repeat(400), NOW)).toBe(MAX_RETRY_AFTER_MS);
  });
});

describe('clampRetryAfter', () => {
  it('keeps waits within [0, max]', () => {
    expect(clampRetryAfter(-5)).toBe(0);
    expect(clampRetryAfter(1500)).toBe(1500);
    expect(clampRetryAfter(10 * MAX_RETRY_AFTER_MS)).toBe(MAX_RETRY_AFTER_MS);
    expect(clampRetryAfter(Number.POSITIVE_INFINITY, 1000)).toBe(1000);
    expect(clampRetryAfter(Number.NaN, 1000)).toBe(1000);
  });
});

describe('backoffDelay', () => {
  it('stays within [0, min(cap, base * 2^attempt)] for any attempt and random value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 60_000 }),
        (attempt, r, base, cap) => {
          const delay = backoffDelay(attempt, () => r, base, cap);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(Math.min(cap, base * 2 ** attempt));
        },
      ),
    );
  });

  it('grows exponentially up to the cap (full jitter scales the ceiling)', () => {
    const top = () => 0.999999;
    expect(backoffDelay(0, top)).toBeCloseTo(300, 0);
    expect(backoffDelay(1, top)).toBeCloseTo(600, 0);
    expect(backoffDelay(2, top)).toBeCloseTo(1200, 0);
    expect(backoffDelay(10, top)).toBeCloseTo(5000, 0);
    expect(backoffDelay(3, () => 0.5)).toBe(1200);
    expect(backoffDelay(3, () => 0)).toBe(0);
  });

  it('survives a broken random source', () => {
    expect(backoffDelay(1, () => Number.NaN)).toBe(0);
    expect(backoffDelay(1, () => 7)).toBe(600);
    expect(backoffDelay(Number.POSITIVE_INFINITY, () => 0.5)).toBe(2500);
  });
});

describe('isRetryableStatus', () => {
  it('retries only 408, 429 and the transient 5xx', () => {
    const retryable = [408, 429, 500, 502, 503, 504];
    for (let status = 100; status < 600; status++) expect(isRetryableStatus(status)).toBe(retryable.includes(status));
  });
});
