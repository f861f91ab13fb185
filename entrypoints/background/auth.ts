/**
 * The background's credentials: a pasted access token, or an API client (id + secret) from which
 * tokens are minted and renewed. Nothing here ever returns the token or secret to another context;
 * `getCredentialsInfo` is what pages may see. Credentials are bound to the API origin they were
 * entered for and go nowhere else: every call is made through `apiFetch` for that origin.
 */
import { ApiError } from '@/utils/api-error';
import { createApiClient, requestToken, type ApiClient } from '@/utils/api-client';
import { apiOriginOf } from '@/utils/api-origin';
import { loadEffectiveSettings } from '@/utils/effective-settings';
import { readJwt, looksLikeJwt } from '@/utils/jwt';
import type { AuthInput, CredentialsInfo } from '@/utils/protocol';
import { effectiveTargetOrgId, type Settings } from '@/utils/settings';
import {
  accessTokenItem,
  accessTokenSchema,
  credentialsItem,
  rememberedClientItem,
  rememberedClientSchema,
  storedCredentialsSchema,
  type StoredAccessToken,
  type StoredCredentials,
} from '@/utils/storage';
import { apiFetch, assertApiOrigin } from './api-guard';

/** A minted token is renewed when it has less than this left, so no call goes out with a dying one. */
export const RENEW_BEFORE_EXPIRY_MS = 60_000;

/**
 * A token a renewal minted this recently that the API refuses too is not renewed again: a new one
 * would be refused as well (a revoked client, an API that rejects every token), so a refusal costs
 * one renewal and one retry, then the service is signed out.
 */
export const RENEWAL_GRACE_MS = 60_000;

/** The cache partition of an account: the same IDs mean different things to another API or org. */
export function accountKey(settings: Settings): string {
  return [settings.baseUrl, settings.requesterOrgId ?? '', effectiveTargetOrgId(settings) ?? ''].join('|');
}

/** Which API and client a minted token belongs to. */
function tokenAccount(baseUrl: string, clientId: string): string {
  return `${baseUrl}|${clientId}`;
}

/**
 * The credentials of this session, for whichever origin they were entered. When the session is
 * empty (browser restart, extension reload) and the user had the client remembered, it is
 * restored from there first.
 */
async function readCredentials(): Promise<StoredCredentials | undefined> {
  const stored = storedCredentialsSchema.safeParse(await credentialsItem.getValue());
  if (stored.success) return stored.data;
  const remembered = rememberedClientSchema.safeParse(await rememberedClientItem.getValue());
  if (!remembered.success) return undefined;
  const restored: StoredCredentials = { mode: 'client', ...remembered.data };
  await credentialsItem.setValue(restored);
  return restored;
}

/** The secrets held now, which no error text the API echoes may carry on. */
function secretsOf(credentials: StoredCredentials | undefined): string[] {
  if (!credentials) return [];
  return credentials.mode === 'client' ? [credentials.clientSecret] : [credentials.token];
}

/** The origin calls for these settings go to; undefined when the base URL may carry no credentials. */
function settingsOrigin(settings: Settings): string | undefined {
  return apiOriginOf(settings.baseUrl);
}

function enteredForAnother(origin: string): ApiError {
  return new ApiError({
    kind: 'not_configured',
    message: `The credentials were entered for ${origin}, not for the API address set now. Enter them again in the options.`,
  });
}

/** The credentials to call the settings' API with: only those entered for its origin. */
async function credentialsFor(settings: Settings): Promise<StoredCredentials> {
  const credentials = await readCredentials();
  if (!credentials) throw notConfigured();
  if (credentials.origin !== settingsOrigin(settings)) throw enteredForAnother(credentials.origin);
  return credentials;
}

/** Restores remembered credentials into the session; call once when the worker starts. */
export async function restoreRememberedCredentials(): Promise<void> {
  await readCredentials();
}

function expiredTokenError(expiresAt: number): ApiError {
  return new ApiError({
    kind: 'unauthorized',
    message: `The pasted access token expired at ${new Date(expiresAt).toISOString()}. Paste a new one in the options.`,
  });
}

function notConfigured(): ApiError {
  return new ApiError({ kind: 'not_configured', message: 'No access token or API client is set up.' });
}

// Bumped whenever the credentials change, so a mint that was under way cannot store a token of
// credentials the user has since replaced or cleared.
let generation = 0;
const minting = new Map<string, Promise<string>>();
// The last token each mint produced, known in memory before its storage write lands, so a renewal
// that read storage a moment too early still sees it and does not mint again.
const freshest = new Map<string, StoredAccessToken>();
// The last token a renewal (a mint after a refusal) produced for each account, and when.
const lastRenewal = new Map<string, { token: string; at: number }>();

function bumpGeneration(): void {
  generation += 1;
  freshest.clear();
  lastRenewal.clear();
}

/** Single flight: every caller for the same account while a mint runs shares its one POST. */
function mint(baseUrl: string, credentials: Extract<StoredCredentials, { mode: 'client' }>, renewal = false): Promise<string> {
  const { clientId, clientSecret, origin } = credentials;
  const account = tokenAccount(baseUrl, clientId);
  const running = minting.get(account);
  if (running) return running;
  const startedIn = generation;
  const flight = (async () => {
    const response = await requestToken(baseUrl, clientId, clientSecret, { fetch: apiFetch(origin) });
    const stored: StoredAccessToken = { token: response.access_token, expiresAt: Date.now() + response.expires_in * 1000, account };
    if (startedIn === generation) {
      freshest.set(account, stored);
      if (renewal) lastRenewal.set(account, { token: stored.token, at: Date.now() });
      await accessTokenItem.setValue(stored);
    }
    return stored.token;
  })().finally(() => minting.delete(account));
  minting.set(account, flight);
  return flight;
}

/** The newest token known for the account: the stored one, or one minted since it was read. */
async function latestToken(account: string): Promise<StoredAccessToken | undefined> {
  const parsed = accessTokenSchema.safeParse(await accessTokenItem.getValue());
  const stored = parsed.success && parsed.data.account === account ? parsed.data : undefined;
  const remembered = freshest.get(account);
  if (!stored) return remembered;
  return remembered && remembered.expiresAt > stored.expiresAt ? remembered : stored;
}

function usable(token: StoredAccessToken | undefined): token is StoredAccessToken {
  return token !== undefined && token.expiresAt - Date.now() > RENEW_BEFORE_EXPIRY_MS;
}

async function accessTokenFor(settings: Settings): Promise<string> {
  const credentials = await credentialsFor(settings);
  if (credentials.mode === 'token') {
    const exp = readJwt(credentials.token)?.exp;
    if (exp !== undefined && exp <= Date.now()) throw expiredTokenError(exp);
    return credentials.token;
  }
  const current = await latestToken(tokenAccount(settings.baseUrl, credentials.clientId));
  if (usable(current)) return current.token;
  return mint(settings.baseUrl, credentials);
}

async function renewFor(settings: Settings, rejected: string): Promise<string | undefined> {
  const credentials = await readCredentials();
  if (!credentials || credentials.mode === 'token' || credentials.origin !== settingsOrigin(settings)) return undefined;
  const account = tokenAccount(settings.baseUrl, credentials.clientId);
  const current = await latestToken(account);
  // From here on synchronous: a renewal under way, or one that finished while we read storage,
  // is joined rather than repeated.
  const running = minting.get(account);
  if (running) return running;
  const newest = freshest.get(account) ?? current;
  if (usable(newest) && newest.token !== rejected) return newest.token;
  const renewed = lastRenewal.get(account);
  if (renewed?.token === rejected && Date.now() - renewed.at < RENEWAL_GRACE_MS) return undefined;
  return mint(settings.baseUrl, credentials, true);
}

/** A token to call the API with: the pasted one, or a minted one renewed shortly before it expires. */
export async function getAccessToken(): Promise<string> {
  return accessTokenFor(await loadEffectiveSettings());
}

/**
 * A new token after the API rejected `rejected`; undefined when there is no way to get one (a
 * pasted token) or no point (the token the last renewal minted, moments ago, was refused too).
 * Concurrent callers share one token request. A failed mint is thrown as its ApiError.
 */
export async function renewAccessToken(rejected: string): Promise<string | undefined> {
  return renewFor(await loadEffectiveSettings(), rejected);
}

/** The origin of the API address set now, which new credentials are bound to, once the browser grants it. */
async function originForNewCredentials(settings: Settings): Promise<string> {
  const origin = settingsOrigin(settings);
  if (!origin) {
    throw new ApiError({
      kind: 'invalid_request',
      message: 'The API base URL must start with https:// (http:// only on this computer) before credentials can be saved.',
    });
  }
  await assertApiOrigin(origin);
  return origin;
}

/**
 * Stores new credentials, bound to the origin of the API address set now, replacing the old
 * ones. A token must look like a JWT and not be expired; an API client must mint a token first:
 * on failure nothing is stored and the ApiError is thrown.
 */
export async function saveCredentials(auth: AuthInput): Promise<CredentialsInfo> {
  const settings = await loadEffectiveSettings();
  if (auth.mode === 'token') {
    const token = auth.token.trim();
    if (!looksLikeJwt(token)) {
      throw new ApiError({ kind: 'invalid_request', message: 'The pasted text is not an access token (a JWT).' });
    }
    const exp = readJwt(token)?.exp;
    if (exp !== undefined && exp <= Date.now()) throw expiredTokenError(exp);
    const origin = await originForNewCredentials(settings);
    bumpGeneration();
    await Promise.all([
      credentialsItem.setValue({ mode: 'token', token, origin }),
      accessTokenItem.removeValue(),
      rememberedClientItem.removeValue(),
    ]);
    return getCredentialsInfo();
  }
  const origin = await originForNewCredentials(settings);
  const clientId = auth.clientId.trim();
  const response = await requestToken(settings.baseUrl, clientId, auth.clientSecret, {
    fetch: apiFetch(origin),
    redactAlso: secretsOf(await readCredentials()),
  });
  bumpGeneration();
  const client = { clientId, clientSecret: auth.clientSecret, origin };
  await Promise.all([
    credentialsItem.setValue({ mode: 'client', ...client }),
    accessTokenItem.setValue({
      token: response.access_token,
      expiresAt: Date.now() + response.expires_in * 1000,
      account: tokenAccount(settings.baseUrl, clientId),
    }),
    auth.remember ? rememberedClientItem.setValue(client) : rememberedClientItem.removeValue(),
  ]);
  return getCredentialsInfo();
}

export async function clearCredentials(): Promise<void> {
  bumpGeneration();
  await Promise.all([credentialsItem.removeValue(), accessTokenItem.removeValue(), rememberedClientItem.removeValue()]);
}

/**
 * What the options page may know: the mode, the token's subject and expiry, the client id. Never
 * a secret. Credentials entered for another API origin than the one set now count as none.
 */
export async function getCredentialsInfo(): Promise<CredentialsInfo> {
  const credentials = await readCredentials();
  if (!credentials) return { mode: 'none' };
  if (credentials.origin !== settingsOrigin(await loadEffectiveSettings())) return { mode: 'none', enteredFor: credentials.origin };
  if (credentials.mode === 'token') {
    const claims = readJwt(credentials.token);
    return {
      mode: 'token',
      ...(claims?.sub !== undefined ? { subject: claims.sub.slice(0, 300) } : {}),
      ...(claims?.exp !== undefined ? { expiresAt: claims.exp } : {}),
    };
  }
  const remembered = rememberedClientSchema.safeParse(await rememberedClientItem.getValue());
  return {
    mode: 'client',
    clientId: credentials.clientId,
    remembered: remembered.success && remembered.data.clientId === credentials.clientId,
  };
}

/** An API client for these settings, wired to this module's tokens. Without a requester: not_configured. */
export async function createClientForSettings(settings: Settings): Promise<ApiClient> {
  const requesterOrgId = settings.requesterOrgId;
  if (!requesterOrgId) {
    throw new ApiError({ kind: 'not_configured', message: 'The requester organization ID is not set.' });
  }
  const origin = settingsOrigin(settings);
  if (!origin) {
    throw new ApiError({ kind: 'not_configured', message: 'The API base URL must start with https:// (http:// only on this computer).' });
  }
  const credentials = await readCredentials();
  return createApiClient({
    redactAlso: secretsOf(credentials),
    baseUrl: settings.baseUrl,
    requesterOrgId,
    targetOrgId: effectiveTargetOrgId(settings) ?? requesterOrgId,
    getAccessToken: () => accessTokenFor(settings),
    renewAccessToken: (rejected) => renewFor(settings, rejected),
    fetch: apiFetch(origin),
  });
}
