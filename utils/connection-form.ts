import { apiOriginOf } from './api-origin';
import { readJwt } from './jwt';
import type { CredentialsInfo, AuthInput } from './protocol';
import type { PolicyField } from './policy';
import { baseUrlSchema, settingsSchema, type Settings } from './settings';

/** What the connection part of the options page holds, exactly as typed. */
export interface ConnectionFormValues {
  authMode: 'token' | 'client';
  token: string;
  clientId: string;
  clientSecret: string;
  remember: boolean;
  baseUrl: string;
  requesterOrgId: string;
  targetOrgId: string;
}
export type ConnectionField = keyof ConnectionFormValues;

export interface ValidConnectionForm {
  settings: Pick<Settings, 'baseUrl' | 'requesterOrgId' | 'targetOrgId'>;
  /** New credentials; absent when the stored ones stay as they are. */
  auth?: AuthInput;
}

export type ConnectionFormResult =
  | { ok: true; value: ValidConnectionForm }
  | { ok: false; errors: Partial<Record<ConnectionField, string>> };

const MAX_CLIENT_ID = 128;
const MAX_CLIENT_SECRET = 64;

/** Pasted tokens often come with their header prefix. */
function bareToken(token: string): string {
  return token.trim().replace(/^bearer\s+/i, '');
}

/**
 * Checks the credential fields. `sameOrigin`: the API address keeps its origin, so stored
 * credentials may stay; a new origin needs them entered again (the background would not use them).
 */
function validateAuth(
  values: ConnectionFormValues,
  stored: CredentialsInfo,
  sameOrigin: boolean,
  now: number,
  errors: Partial<Record<ConnectionField, string>>,
): AuthInput | undefined {
  // The error of an empty field, given whether the stored credentials would do in its place.
  const missing = (storedFits: boolean): string | undefined => {
    if (!storedFits) return 'optionsErrorRequired';
    return sameOrigin ? undefined : 'optionsErrorCredentialsNewOrigin';
  };
  if (values.authMode === 'token') {
    const token = bareToken(values.token);
    if (!token) {
      const error = missing(stored.mode === 'token');
      if (error) errors.token = error;
      return undefined;
    }
    const claims = token.length > 8192 ? undefined : readJwt(token);
    if (!claims) {
      errors.token = 'optionsErrorTokenFormat';
      return undefined;
    }
    // Said here, at the field, rather than after a round trip that would refuse it anyway.
    if (claims.exp !== undefined && claims.exp <= now) {
      errors.token = 'optionsErrorTokenExpired';
      return undefined;
    }
    return { mode: 'token', token };
  }
  const clientId = values.clientId.trim();
  const clientSecret = values.clientSecret.trim();
  if (!clientId) errors.clientId = 'optionsErrorRequired';
  else if (clientId.length > MAX_CLIENT_ID) errors.clientId = 'optionsErrorTooLong';
  const unchanged =
    stored.mode === 'client' && stored.clientId === clientId && stored.remembered === values.remember;
  if (!clientSecret) {
    const error = missing(unchanged);
    if (error) errors.clientSecret = error;
    return undefined;
  }
  if (clientSecret.length > MAX_CLIENT_SECRET) {
    errors.clientSecret = 'optionsErrorTooLong';
    return undefined;
  }
  return clientId ? { mode: 'client', clientId, clientSecret, remember: values.remember } : undefined;
}

/**
 * Checks every field before anything is written, so a save is all or nothing. Errors are locale
 * keys. Locked fields are the policy's: their values come from `current` and are not checked.
 */
export function validateConnectionForm(
  values: ConnectionFormValues,
  context: { stored: CredentialsInfo; locked: readonly PolicyField[]; current: Settings; now?: number },
): ConnectionFormResult {
  const errors: Partial<Record<ConnectionField, string>> = {};
  const locked = new Set<string>(context.locked);
  const settings: ValidConnectionForm['settings'] = {
    baseUrl: context.current.baseUrl,
    requesterOrgId: context.current.requesterOrgId,
    targetOrgId: context.current.targetOrgId,
  };

  if (!locked.has('baseUrl')) {
    const parsed = baseUrlSchema.safeParse(values.baseUrl);
    if (parsed.success) settings.baseUrl = parsed.data;
    else errors.baseUrl = 'settingsErrorBaseUrl';
  }
  for (const field of ['requesterOrgId', 'targetOrgId'] as const) {
    if (locked.has(field)) continue;
    const raw = values[field].trim();
    if (!raw) {
      if (field === 'requesterOrgId') errors[field] = 'optionsErrorRequired';
      settings[field] = undefined;
      continue;
    }
    const parsed = settingsSchema.shape[field].safeParse(raw);
    if (parsed.success) settings[field] = parsed.data;
    else errors[field] = 'settingsErrorUuid';
  }
  const sameOrigin = apiOriginOf(settings.baseUrl) === apiOriginOf(context.current.baseUrl);
  const auth = validateAuth(values, context.stored, sameOrigin, context.now ?? Date.now(), errors);
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: { settings, auth } };
}

/** The permission pattern for an API base URL outside the built-in API origin, or undefined when none is needed. */
export function extraApiOrigin(baseUrl: string, builtinOrigin: string): string | undefined {
  const origin = new URL(baseUrl).origin;
  return origin === builtinOrigin ? undefined : `${origin}/*`;
}
