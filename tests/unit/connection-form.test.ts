import { describe, expect, it } from 'vitest';
import { extraApiOrigin, validateConnectionForm, type ConnectionFormValues } from '@/utils/connection-form';
import type { CredentialsInfo } from '@/utils/protocol';
import { DEFAULT_SETTINGS } from '@/utils/settings';

const REQUESTER = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbm5hIn0.c2lnbmF0dXJl';
const VALID: ConnectionFormValues = {
  authMode: 'token',
  token: JWT,
  clientId: '',
  clientSecret: '',
  remember: false,
  baseUrl: 'https://api.mycreditapp.ai/v1-beta/',
  requesterOrgId: ` ${REQUESTER.toUpperCase()} `,
  targetOrgId: '',
};
const NONE: CredentialsInfo = { mode: 'none' };
const context = (stored: CredentialsInfo = NONE, locked: ('baseUrl' | 'requesterOrgId')[] = [], baseUrl = 'https://api.mycreditapp.ai/v0') => ({
  stored,
  locked,
  current: { ...DEFAULT_SETTINGS, baseUrl, requesterOrgId: REQUESTER },
});

describe('validateConnectionForm', () => {
  it('normalises a valid form into settings and credentials', () => {
    expect(validateConnectionForm(VALID, context())).toEqual({
      ok: true,
      value: {
        settings: { baseUrl: 'https://api.mycreditapp.ai/v1-beta', requesterOrgId: REQUESTER, targetOrgId: undefined },
        auth: { mode: 'token', token: JWT },
      },
    });
  });

  it('reports every invalid field at once, as locale keys', () => {
    const result = validateConnectionForm(
      { ...VALID, token: 'not a token', baseUrl: 'ftp://x', requesterOrgId: '', targetOrgId: '1234' },
      context(),
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        token: 'optionsErrorTokenFormat',
        baseUrl: 'settingsErrorBaseUrl',
        requesterOrgId: 'optionsErrorRequired',
        targetOrgId: 'settingsErrorUuid',
      },
    });
  });

  it('refuses an expired token at the field', () => {
    const payload = btoa(JSON.stringify({ sub: 'anna', exp: 1_000 })).replace(/=+$/, '');
    const expired = `eyJhbGciOiJIUzI1NiJ9.${payload}.c2lnbmF0dXJl`;
    expect(validateConnectionForm({ ...VALID, token: expired }, { ...context(), now: 1_000_001 })).toEqual({
      ok: false,
      errors: { token: 'optionsErrorTokenExpired' },
    });
    expect(validateConnectionForm({ ...VALID, token: expired }, { ...context(), now: 999_999 }).ok).toBe(true);
  });

  it('accepts a token pasted with its "Bearer" prefix', () => {
    const result = validateConnectionForm({ ...VALID, token: `Bearer ${JWT}` }, context());
    expect(result.ok && result.value.auth).toEqual({ mode: 'token', token: JWT });
  });

  it('keeps a stored token when the field is left empty, and requires one otherwise', () => {
    const kept = validateConnectionForm({ ...VALID, token: '' }, context({ mode: 'token', subject: 'anna' }));
    expect(kept.ok && kept.value.auth).toBeUndefined();
    expect(validateConnectionForm({ ...VALID, token: '' }, context())).toEqual({
      ok: false,
      errors: { token: 'optionsErrorRequired' },
    });
  });

  it('asks for the client secret again unless the stored client stays as it was', () => {
    const client = { ...VALID, authMode: 'client' as const, clientId: 'crm-team', clientSecret: '' };
    const stored: CredentialsInfo = { mode: 'client', clientId: 'crm-team', remembered: false };
    expect(validateConnectionForm(client, context(stored)).ok).toBe(true);
    expect(validateConnectionForm({ ...client, remember: true }, context(stored))).toEqual({
      ok: false,
      errors: { clientSecret: 'optionsErrorRequired' },
    });
    expect(validateConnectionForm({ ...client, clientId: 'other' }, context(stored)).ok).toBe(false);
  });

  it('asks for stored credentials again when the API address moves to another origin', () => {
    const token: CredentialsInfo = { mode: 'token', subject: 'anna' };
    const client: CredentialsInfo = { mode: 'client', clientId: 'crm-team', remembered: false };
    const clientForm = { ...VALID, authMode: 'client' as const, clientId: 'crm-team', clientSecret: '' };
    for (const moved of ['https://api.attacker.example/v1-beta', 'https://api.mycreditapp.ai:8443/v1-beta', 'http://localhost:8787/v1-beta']) {
      expect(validateConnectionForm({ ...VALID, token: '', baseUrl: moved }, context(token))).toEqual({
        ok: false,
        errors: { token: 'optionsErrorCredentialsNewOrigin' },
      });
      expect(validateConnectionForm({ ...clientForm, baseUrl: moved }, context(client))).toEqual({
        ok: false,
        errors: { clientSecret: 'optionsErrorCredentialsNewOrigin' },
      });
      // Entered again, they are taken for the new address.
      expect(validateConnectionForm({ ...VALID, baseUrl: moved }, context(token)).ok).toBe(true);
    }
    // Another path on the same origin keeps them.
    expect(validateConnectionForm({ ...VALID, token: '', baseUrl: 'https://api.mycreditapp.ai/v2' }, context(token)).ok).toBe(true);
  });

  it('takes http only for this computer', () => {
    for (const local of ['http://localhost:8787/v1-beta', 'http://127.0.0.1:8787/v1-beta', 'http://127.8.9.1/api', 'http://[::1]:8787/api', 'http://api.localhost/v1']) {
      expect(validateConnectionForm({ ...VALID, baseUrl: local }, context()).ok, local).toBe(true);
    }
    for (const remote of ['http://api.mycreditapp.ai/v1-beta', 'http://10.0.0.5/api', 'http://128.0.0.1/api', 'http://localhost.attacker.example/api', 'http://[::2]/api']) {
      expect(validateConnectionForm({ ...VALID, baseUrl: remote }, context()), remote).toEqual({ ok: false, errors: { baseUrl: 'settingsErrorBaseUrl' } });
    }
  });

  it('checks client limits', () => {
    const result = validateConnectionForm(
      { ...VALID, authMode: 'client', clientId: 'x'.repeat(129), clientSecret: 's'.repeat(65) },
      context(),
    );
    expect(result).toEqual({ ok: false, errors: { clientId: 'optionsErrorTooLong', clientSecret: 'optionsErrorTooLong' } });
  });

  it('takes locked fields from the policy, not from the form', () => {
    const result = validateConnectionForm(
      { ...VALID, baseUrl: 'garbage', requesterOrgId: '' },
      context(NONE, ['baseUrl', 'requesterOrgId']),
    );
    expect(result.ok && result.value.settings).toEqual({
      baseUrl: 'https://api.mycreditapp.ai/v0',
      requesterOrgId: REQUESTER,
      targetOrgId: undefined,
    });
  });
});

describe('extraApiOrigin', () => {
  it('needs no permission for the built-in API origin', () => {
    expect(extraApiOrigin('https://api.mycreditapp.ai/v1', 'https://api.mycreditapp.ai')).toBeUndefined();
  });

  it('asks for the origin of any other base URL', () => {
    expect(extraApiOrigin('http://localhost:8787/v1-beta', 'https://api.mycreditapp.ai')).toBe('http://localhost:8787/*');
  });
});
