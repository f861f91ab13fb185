import { describe, expect, it } from 'vitest';
import { ERROR_KINDS, SERVICE_WIDE_KINDS } from '@/utils/error-kinds';
import { badgeStatusFor } from '@/utils/badge-status';
import type { BadgeResult } from '@/utils/content-protocol';

const connection = { host_name: 'Acme' };

describe('badgeStatusFor', () => {
  it('badges what the API knows, anywhere on the page', () => {
    for (const status of ['connected', 'disconnected', 'archived'] as const) {
      expect(badgeStatusFor({ status, connection }, false, 'ready')).toBe(status);
      expect(badgeStatusFor({ status, connection }, true, 'ready')).toBe(status);
    }
  });

  it('says nothing about unknown or pending IDs outside site-rule fields', () => {
    expect(badgeStatusFor(undefined, false, 'ready')).toBeUndefined();
    expect(badgeStatusFor({ status: 'not_connected' }, false, 'ready')).toBeUndefined();
    expect(badgeStatusFor({ status: 'unknown' }, false, 'unauthorized')).toBeUndefined();
  });

  it('shows pending and not-connected IDs inside site-rule fields', () => {
    expect(badgeStatusFor(undefined, true, 'ready')).toBe('loading');
    expect(badgeStatusFor({ status: 'not_connected' }, true, 'ready')).toBe('not-connected');
    expect(badgeStatusFor({ status: 'unknown' }, true, 'not_configured')).toBe('auth-required');
    expect(badgeStatusFor({ status: 'unknown' }, true, 'unavailable')).toBeUndefined();
  });

  it('shows no 403 an ID got once the service found that every ID gets it', () => {
    const forbidden: BadgeResult = { status: 'error', error: { kind: 'forbidden' } };
    expect(badgeStatusFor(forbidden, false, 'ready')).toBe('forbidden');
    expect(badgeStatusFor(forbidden, false, 'forbidden')).toBeUndefined();
    expect(badgeStatusFor(forbidden, true, 'forbidden')).toBeUndefined();
    expect(badgeStatusFor({ status: 'error', error: { kind: 'invalid_response' } }, false, 'forbidden')).toBe('error');
  });

  it('never turns a service-wide error into a badge outside fields', () => {
    for (const kind of ERROR_KINDS) {
      const result: BadgeResult = { status: 'error', error: { kind } };
      const status = badgeStatusFor(result, false, 'ready');
      if (SERVICE_WIDE_KINDS.has(kind) || kind === 'not_connected') expect(status, kind).toBeUndefined();
      else expect(status, kind).toBe(kind === 'forbidden' ? 'forbidden' : 'error');
    }
  });
});
