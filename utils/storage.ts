/**
 * Every storage item of the extension. Credentials live in `session` (memory only, closed to
 * content scripts); `local` holds settings and, only when the user asks for it, a remembered API
 * client. Content scripts must not import this module: defining an item reads its area at once.
 */
import { storage } from '#imports';
import { browser } from 'wxt/browser';
import { DEFAULT_SETTINGS, settingsSchema, type Settings, type SettingsInput } from './settings';
import { z } from './zod';

/**
 * The settings shape of the pre-release builds (version 1), before the options page existed in
 * its released form: kept only so a developer's or tester's stored settings carry over.
 */
export interface PreReleaseSettingsV1 {
  apiUrl?: string;
  orgId?: string;
  ttlMinutes?: number;
}

/** Keeps every pre-release value that is valid today; a bad one falls back to its default alone. */
export function migrateSettingsV1ToV2(old: unknown): Settings {
  const v1 = (typeof old === 'object' && old !== null ? old : {}) as PreReleaseSettingsV1;
  const candidate: SettingsInput = {};
  const baseUrl = settingsSchema.shape.baseUrl.safeParse(v1.apiUrl);
  if (v1.apiUrl !== undefined && baseUrl.success) candidate.baseUrl = baseUrl.data;
  const requester = settingsSchema.shape.requesterOrgId.safeParse(v1.orgId);
  if (requester.success && requester.data) candidate.requesterOrgId = requester.data;
  if (typeof v1.ttlMinutes === 'number') {
    const ttl = settingsSchema.shape.cacheTtlSeconds.safeParse(Math.round(v1.ttlMinutes * 60));
    if (ttl.success) candidate.cacheTtlSeconds = ttl.data;
  }
  return settingsSchema.parse(candidate);
}

/** The user's own settings; read them through `loadSettings`, which validates. */
export const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 2,
  migrations: { 2: migrateSettingsV1ToV2 },
});

/** The stored settings, validated. A corrupt object gives the defaults and says so; never throws. */
export async function loadSettings(): Promise<{ settings: Settings; reset?: string }> {
  let raw: unknown;
  try {
    raw = await settingsItem.getValue();
  } catch (error) {
    return { settings: DEFAULT_SETTINGS, reset: `The settings could not be read (${errorName(error)}); defaults are in use.` };
  }
  const parsed = settingsSchema.safeParse(raw ?? {});
  if (parsed.success) return { settings: parsed.data };
  const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(root)'))].join(', ');
  return { settings: DEFAULT_SETTINGS, reset: `The stored settings were invalid (${fields}); defaults are in use.` };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown error';
}

/**
 * The API origin credentials were entered for (`https://api.mycreditapp.ai`). They are used
 * with that origin only: a base URL changed since, by the user or by anything that can write
 * `local`, finds no credentials until they are entered again.
 */
const boundOrigin = z.string().min(1).max(300);

export const storedCredentialsSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('token'), token: z.string().min(1).max(8192), origin: boundOrigin }),
  z.object({
    mode: z.literal('client'),
    clientId: z.string().min(1).max(128),
    clientSecret: z.string().min(1).max(64),
    origin: boundOrigin,
  }),
]);
export type StoredCredentials = z.infer<typeof storedCredentialsSchema>;

/** What the user entered for this browser session: a pasted token or an API client. */
export const credentialsItem = storage.defineItem<StoredCredentials>('session:credentials');

export const rememberedClientSchema = z.object({
  clientId: z.string().min(1).max(128),
  clientSecret: z.string().min(1).max(64),
  origin: boundOrigin,
});
export type RememberedClient = z.infer<typeof rememberedClientSchema>;

/** The API client, kept across browser restarts only when the user ticked "remember on this device". */
export const rememberedClientItem = storage.defineItem<RememberedClient>('local:rememberedClient');

export const accessTokenSchema = z.object({
  token: z.string().min(1),
  /** Epoch ms. */
  expiresAt: z.number(),
  /** Which API and client minted it: a token is only used for the same account. */
  account: z.string(),
});
export type StoredAccessToken = z.infer<typeof accessTokenSchema>;

/** The token minted from the API client. */
export const accessTokenItem = storage.defineItem<StoredAccessToken>('session:accessToken');

type AccessLevelArea = { setAccessLevel?: (options: { accessLevel: 'TRUSTED_CONTEXTS' }) => Promise<void> };

/**
 * Closes `session` and (Chrome 140+) `local` to content scripts. `session` is closed by default;
 * saying so again guards against a build that opened it. Firefox has no `setAccessLevel`.
 */
export async function hardenStorageAccess(): Promise<void> {
  const areas = [browser.storage.session, browser.storage.local] as unknown as (AccessLevelArea | undefined)[];
  await Promise.all(
    areas.map(async (area) => {
      if (typeof area?.setAccessLevel !== 'function') return;
      try {
        await area.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' });
      } catch {
        // Chrome before 140 rejects the call for `local`: that area then stays as it was.
      }
    }),
  );
}
