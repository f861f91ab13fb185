/**
 * The one message protocol between the extension's contexts. Every message is checked against
 * these schemas on arrival, in both directions; types come from the schemas.
 *
 * Content scripts send IDs only, never URLs or credentials, and hear back only what a badge
 * shows. No answer carries a credential.
 */
import { hostConnectionSchema, orgIdSchema } from './api-schemas';
import { apiErrorInfoSchema, errorKindSchema } from './api-error';
import { SERVICE_STATE_KINDS } from './error-kinds';
import { z } from './zod';

/** How many IDs one lookup may carry; a page with more sends several. */
export const MAX_IDS_PER_LOOKUP = 500;

/**
 * How many IDs one frame may report as shown. The registry of shown IDs lives in the 10 MB of
 * `storage.session` beside the credentials, so a page must not be able to fill it.
 */
export const MAX_REPORTED_IDS = 2_000;

/**
 * The port a content script keeps open to the background while its frame shows IDs: nothing goes
 * through it, but its disconnection tells the background the frame is gone (see FrameLifetimes).
 */
export const FRAME_PORT_NAME = 'mca-frame';

export const lookupResultSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.enum(['connected', 'disconnected', 'archived']),
    connection: hostConnectionSchema,
    fetchedAt: z.number(),
    /** Served from cache past its lifetime because the API could not be reached. */
    stale: z.boolean(),
  }),
  z.object({ status: z.literal('not_connected'), fetchedAt: z.number(), stale: z.boolean() }),
  /** An error that concerns this ID alone (forbidden, invalid response, ...). */
  z.object({ status: z.literal('error'), error: apiErrorInfoSchema }),
  /** The service cannot answer now (see the service state); nothing is known of the ID. */
  z.object({ status: z.literal('unknown') }),
]);
export type LookupResult = z.infer<typeof lookupResultSchema>;
export type LookupStatus = LookupResult['status'];

export const serviceStateSchema = z.object({
  kind: z.enum(SERVICE_STATE_KINDS),
  /** What put the service in this state: the kind, the HTTP status and the API's code and words. */
  error: apiErrorInfoSchema.optional(),
  /** When the extension calls the API again by itself (end of a rate limit, next probe), epoch ms. */
  retryAt: z.number().optional(),
  authMode: z.enum(['none', 'token', 'client']),
  /** Expiry of the pasted token (read from its JWT without trusting it), epoch ms. */
  tokenExpiresAt: z.number().optional(),
});
export type ServiceState = z.infer<typeof serviceStateSchema>;

/**
 * What a content script hears of an ID: its status and, for a connection, the host's name; an
 * error's kind, not its text. Parsing a LookupResult with it drops the rest (zod strips unknown
 * keys), so every answer and push to a page's frame goes through it.
 */
export const badgeResultSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.enum(['connected', 'disconnected', 'archived']),
    connection: z.object({ host_name: hostConnectionSchema.shape.host_name }),
  }),
  z.object({ status: z.literal('not_connected') }),
  z.object({ status: z.literal('error'), error: z.object({ kind: errorKindSchema }) }),
  z.object({ status: z.literal('unknown') }),
]);

/** What a content script hears of the service: its kind alone, no credential mode or token expiry. */
export const contentStateSchema = serviceStateSchema.pick({ kind: true });

/** What a content script needs to know about the page it runs in; decided by the background from the sender's URL. */
export const pageConfigSchema = z.object({
  enabled: z.boolean(),
  /** CSS selectors whose elements hold MyCreditApp IDs: there an unknown ID shows "not connected". */
  idFieldSelectors: z.array(z.string().max(500)).max(50),
  /** Attributes whose values hold IDs. */
  idAttributes: z.array(z.string().max(100)).max(20),
  badgeLinks: z.boolean(),
  hoverDelayMs: z.number().int().min(0).max(5000),
});
export type PageConfig = z.infer<typeof pageConfigSchema>;

const ids = z.array(orgIdSchema).max(MAX_IDS_PER_LOOKUP);

export const authInputSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('token'), token: z.string().min(1).max(8192) }),
  z.object({
    mode: z.literal('client'),
    clientId: z.string().min(1).max(128),
    clientSecret: z.string().min(1).max(64),
    remember: z.boolean(),
  }),
]);
export type AuthInput = z.infer<typeof authInputSchema>;

/** What the options page may know of stored credentials: never the secret itself. */
export const credentialsInfoSchema = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('none'),
    /** Credentials are stored, but for this other API origin: they are not used until entered again. */
    enteredFor: z.string().max(300).optional(),
  }),
  z.object({
    mode: z.literal('token'),
    subject: z.string().max(300).optional(),
    expiresAt: z.number().optional(),
  }),
  z.object({ mode: z.literal('client'), clientId: z.string().max(128), remembered: z.boolean() }),
]);
export type CredentialsInfo = z.infer<typeof credentialsInfoSchema>;

export const tabIdEntrySchema = z.object({ id: orgIdSchema, frameId: z.number().int(), result: lookupResultSchema });

/** The card page's height in CSS pixels, as it reports it. */
const cardHeightSchema = z.number().int().min(0).max(5000);

/**
 * Requests to the background. `from` says which senders may send each, and no more than send
 * it: `content` = our content scripts, `card` = the card page in its frame, `extension` = our
 * own top-level pages (popup, options). `fieldsFrom` narrows a field further: a request that
 * carries it from another sender is refused.
 */
export const backgroundRequests = {
  lookup: {
    from: ['content'],
    request: z.object({ type: z.literal('lookup'), ids, priority: z.enum(['visible', 'idle']) }),
    response: z.object({ state: contentStateSchema, results: z.record(z.string(), badgeResultSchema) }),
  },
  lookupOne: {
    from: ['card', 'extension'],
    /** `refresh` skips the cache and the list, a sure API call: only our own top-level pages may ask for it. */
    fieldsFrom: { refresh: ['extension'] },
    request: z.object({ type: z.literal('lookupOne'), id: orgIdSchema, refresh: z.boolean().optional() }),
    response: z.object({ state: serviceStateSchema, result: lookupResultSchema }),
  },
  getState: {
    from: ['extension'],
    request: z.object({ type: z.literal('getState') }),
    response: serviceStateSchema,
  },
  getPageConfig: {
    from: ['content'],
    request: z.object({ type: z.literal('getPageConfig') }),
    response: pageConfigSchema,
  },
  /**
   * The card page's word (close me, fit my height) to the content script that shows it, passed on
   * to the card's own tab: the card cannot send it there itself, since Firefox gives an extension
   * page framed by a web page no `tabs` API.
   */
  cardClose: {
    from: ['card'],
    request: z.object({ type: z.literal('cardClose'), id: orgIdSchema }),
    response: z.object({ ok: z.literal(true) }),
  },
  cardResize: {
    from: ['card'],
    request: z.object({ type: z.literal('cardResize'), id: orgIdSchema, height: cardHeightSchema }),
    response: z.object({ ok: z.literal(true) }),
  },
  openOptions: {
    from: ['card', 'extension'],
    request: z.object({ type: z.literal('openOptions') }),
    response: z.object({ ok: z.literal(true) }),
  },
  saveCredentials: {
    from: ['extension'],
    request: z.object({ type: z.literal('saveCredentials'), auth: authInputSchema }),
    response: z.object({ ok: z.boolean(), error: apiErrorInfoSchema.optional(), info: credentialsInfoSchema }),
  },
  clearCredentials: {
    from: ['extension'],
    request: z.object({ type: z.literal('clearCredentials') }),
    response: z.object({ ok: z.literal(true) }),
  },
  getCredentialsInfo: {
    from: ['extension'],
    request: z.object({ type: z.literal('getCredentialsInfo') }),
    response: credentialsInfoSchema,
  },
  testConnection: {
    from: ['extension'],
    request: z.object({ type: z.literal('testConnection') }),
    response: z.object({
      ok: z.boolean(),
      error: apiErrorInfoSchema.optional(),
      /** How many connections the account sees, when the test succeeded. */
      totalConnections: z.number().int().optional(),
    }),
  },
  clearCache: {
    from: ['extension'],
    request: z.object({ type: z.literal('clearCache') }),
    response: z.object({ ok: z.literal(true) }),
  },
  getTabIds: {
    from: ['extension'],
    request: z.object({ type: z.literal('getTabIds'), tabId: z.number().int() }),
    response: z.object({ entries: z.array(tabIdEntrySchema) }),
  },
  revealId: {
    from: ['extension'],
    request: z.object({ type: z.literal('revealId'), tabId: z.number().int(), frameId: z.number().int(), id: orgIdSchema }),
    response: z.object({ ok: z.boolean() }),
  },
  /**
   * The content script reports the IDs its frame shows, so pushes and the popup follow it: the
   * whole list (`ids`, replacing what the frame reported before), or only what changed since its
   * last report (`added`, `removed`), so a change on a long page costs what changed, not the page.
   */
  reportIds: {
    from: ['content'],
    request: z
      .object({
        type: z.literal('reportIds'),
        ids: z.array(orgIdSchema).max(MAX_REPORTED_IDS).default([]),
        added: z.array(orgIdSchema).max(MAX_REPORTED_IDS).optional(),
        removed: z.array(orgIdSchema).max(MAX_REPORTED_IDS).optional(),
      })
      .refine((report) => report.ids.length === 0 || (report.added === undefined && report.removed === undefined), {
        message: 'a report is either the whole list or a change',
      }),
    response: z.object({ ok: z.literal(true) }),
  },
} as const;

export type BackgroundRequestType = keyof typeof backgroundRequests;
export type BackgroundRequest<T extends BackgroundRequestType = BackgroundRequestType> = z.input<
  (typeof backgroundRequests)[T]['request']
>;
export type BackgroundResponse<T extends BackgroundRequestType> = z.infer<(typeof backgroundRequests)[T]['response']>;
export type SenderKind = 'content' | 'card' | 'extension';

/** The senders a request field is reserved for, where the protocol reserves one. */
export function fieldSenders(type: BackgroundRequestType, field: string): readonly SenderKind[] | undefined {
  const spec = backgroundRequests[type];
  if (!('fieldsFrom' in spec)) return undefined;
  const reserved: Partial<Record<string, readonly SenderKind[]>> = spec.fieldsFrom;
  return reserved[field];
}

export const backgroundRequestSchema = z.discriminatedUnion('type', [
  backgroundRequests.lookup.request,
  backgroundRequests.lookupOne.request,
  backgroundRequests.getState.request,
  backgroundRequests.getPageConfig.request,
  backgroundRequests.cardClose.request,
  backgroundRequests.cardResize.request,
  backgroundRequests.openOptions.request,
  backgroundRequests.saveCredentials.request,
  backgroundRequests.clearCredentials.request,
  backgroundRequests.getCredentialsInfo.request,
  backgroundRequests.testConnection.request,
  backgroundRequests.clearCache.request,
  backgroundRequests.getTabIds.request,
  backgroundRequests.revealId.request,
  backgroundRequests.reportIds.request,
]);

/** Messages the background pushes to content scripts (`tabs.sendMessage`). */
export const contentMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('entriesChanged'), results: z.record(z.string(), badgeResultSchema) }),
  z.object({ type: z.literal('stateChanged'), state: contentStateSchema }),
  z.object({ type: z.literal('configChanged'), config: pageConfigSchema }),
  z.object({ type: z.literal('revealId'), id: orgIdSchema }),
  z.object({ type: z.literal('toggleBadges') }),
  /** From the card frame, through the background: close the card showing this ID. */
  z.object({ type: z.literal('cardClose'), id: orgIdSchema }),
  /** From the card frame, through the background: its content's height, so the frame around it fits. */
  z.object({ type: z.literal('cardResize'), id: orgIdSchema, height: cardHeightSchema }),
]);
export type ContentMessage = z.infer<typeof contentMessageSchema>;

/** Every answer is wrapped so a refusal or failure is told apart from a result. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: string };
