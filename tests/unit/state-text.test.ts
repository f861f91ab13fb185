import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { SERVICE_STATE_KINDS } from '@/utils/error-kinds';
import type { ServiceState } from '@/utils/protocol';
import { describeState, stateTitle } from '@/utils/state-text';
import { useEnglishMessages } from './support/english-messages';

const NOW = Date.UTC(2026, 0, 1, 9, 0, 0);

function state(kind: ServiceState['kind'], extra: Partial<ServiceState> = {}): ServiceState {
  return { kind, authMode: 'token', ...extra };
}

describe('the state in words', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    useEnglishMessages();
  });

  it('says for every state but ready what is wrong, what to do and when the extension tries again', () => {
    const problems = new Set<string>();
    for (const kind of SERVICE_STATE_KINDS) {
      const text = describeState(state(kind, { retryAt: NOW + 8000 }), NOW);
      if (kind === 'ready') {
        expect(text).toBeUndefined();
        continue;
      }
      expect(text!.problem.length, kind).toBeGreaterThan(15);
      expect(text!.action.length, kind).toBeGreaterThan(10);
      expect(text!.retry.length, kind).toBeGreaterThan(10);
      problems.add(text!.problem);
    }
    expect(problems.size).toBe(SERVICE_STATE_KINDS.length - 1);
  });

  it('names the setting a 403 points at, from its code', () => {
    const forbidden = (code?: string) =>
      describeState(state('forbidden', { error: { kind: 'forbidden', message: '403', status: 403, ...(code ? { code } : {}) } }), NOW)!;
    expect(forbidden('requester_organization_mismatch').action).toMatch(/Requester organization ID/);
    expect(forbidden('target_organization_forbidden').action).toMatch(/Target organization ID/);
    expect(forbidden('token_scope_insufficient').action).toMatch(/administrator/);
    expect(forbidden().problem).toMatch(/HTTP 403/);
    expect(forbidden('requester_organization_mismatch').inSettings).toBe(true);
  });

  it('tells a refused token, an expired one and a refused client apart', () => {
    expect(describeState(state('unauthorized'), NOW)!.problem).toMatch(/refused your access token/);
    expect(describeState(state('unauthorized', { tokenExpiresAt: NOW - 1 }), NOW)!.problem).toMatch(/has expired/);
    // Expired before any call found out: said all the same.
    expect(describeState(state('ready', { tokenExpiresAt: NOW - 1 }), NOW)!.problem).toMatch(/has expired/);
    expect(describeState(state('ready', { tokenExpiresAt: NOW + 1 }), NOW)).toBeUndefined();
    expect(describeState(state('unauthorized', { authMode: 'client' }), NOW)!.action).toMatch(/client ID and secret/);
  });

  it('gives the time of the next try when it is known, and says "in a moment" when not', () => {
    const at = describeState(state('unavailable', { retryAt: NOW + 8000 }), NOW)!;
    expect(at.retry).toMatch(/^The extension tries again at \d/);
    expect(at.inSettings).toBe(false);
    expect(describeState(state('unavailable'), NOW)!.retry).toBe('The extension tries again in a moment.');
    expect(describeState(state('rate_limited', { retryAt: NOW + 8000 }), NOW)!.retry).toMatch(/^Lookups resume at \d/);
    expect(describeState(state('unavailable', { error: { kind: 'timeout', message: 'slow' } }), NOW)!.problem).toMatch(/not answering in time/);
  });

  it('puts it all in the toolbar title, and the name alone when ready', () => {
    expect(stateTitle(state('ready'), NOW)).toBe('MyCreditApp Connection Badges');
    expect(stateTitle(state('offline'), NOW)).toBe(
      'MyCreditApp: MyCreditApp cannot be reached. Check your network connection; badges show saved results meanwhile. The extension tries again in a moment.',
    );
  });
});
