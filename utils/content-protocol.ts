/**
 * The content script's side of the message protocol (utils/protocol.ts), in zod's mini build:
 * the full build alone would weigh more than the content script's whole size budget, which every
 * CRM tab and frame pays. Each schema checks what the content script reads; fields it does not
 * read pass through unread. tests/unit/content-protocol.test.ts keeps it in step with the full
 * protocol.
 */
import * as z from 'zod/mini';
import { browser } from 'wxt/browser';
import { ERROR_KINDS, SERVICE_STATE_KINDS } from './error-kinds';
import { UUID_PATTERN } from './uuid';

// Content scripts run under a CSP without `unsafe-eval` on many pages.
z.config({ jitless: true });

/** Mirrors MAX_IDS_PER_LOOKUP in utils/protocol.ts. */
export const CONTENT_MAX_IDS_PER_LOOKUP = 500;

/** Mirrors MAX_REPORTED_IDS in utils/protocol.ts. */
export const CONTENT_MAX_REPORTED_IDS = 2_000;

/** Mirrors FRAME_PORT_NAME in utils/protocol.ts. */
export const CONTENT_FRAME_PORT = 'mca-frame';

/**
 * The schemas, built on first use rather than when the script loads: building them is about a
 * third of the script's own start-up work, and that first task (compiling the script included)
 * runs on every CRM tab and frame before the page may respond again.
 */
function buildSchemas() {
  // Checked, not transformed: the content script lower-cases IDs itself before any use.
  const orgId = z.string().check(z.regex(UUID_PATTERN));
  // A union takes the first branch that fits, and every branch tried before it builds its issues:
  // the commonest answer by far, no connection, comes first (a lookup answer holds up to 500).
  const badgeResult = z.union([
    z.looseObject({ status: z.literal('not_connected') }),
    z.looseObject({
      status: z.enum(['connected', 'disconnected', 'archived']),
      connection: z.looseObject({ host_name: z.string().check(z.minLength(1), z.maxLength(300)) }),
    }),
    z.looseObject({ status: z.literal('error'), error: z.looseObject({ kind: z.enum(ERROR_KINDS) }) }),
    z.looseObject({ status: z.literal('unknown') }),
  ]);
  const serviceState = z.looseObject({ kind: z.enum(SERVICE_STATE_KINDS) });
  const pageConfig = z.object({
    enabled: z.boolean(),
    idFieldSelectors: z.array(z.string().check(z.maxLength(500))).check(z.maxLength(50)),
    idAttributes: z.array(z.string().check(z.maxLength(100))).check(z.maxLength(20)),
    badgeLinks: z.boolean(),
    hoverDelayMs: z.number().check(z.minimum(0), z.maximum(5000)),
  });
  const results = z.record(z.string(), badgeResult);
  return {
    badgeResult,
    serviceState,
    pageConfig,
    responses: {
      getPageConfig: pageConfig,
      lookup: z.object({ state: serviceState, results }),
      reportIds: z.object({ ok: z.literal(true) }),
    },
    /** Messages the content script takes: the background's pushes and the card frame's commands. */
    push: z.union([
      z.object({ type: z.literal('entriesChanged'), results }),
      z.object({ type: z.literal('stateChanged'), state: serviceState }),
      z.object({ type: z.literal('configChanged'), config: pageConfig }),
      z.object({ type: z.literal('revealId'), id: orgId }),
      z.object({ type: z.literal('toggleBadges') }),
      z.object({ type: z.literal('cardClose'), id: orgId }),
      z.object({ type: z.literal('cardResize'), id: orgId, height: z.number().check(z.minimum(0), z.maximum(5000)) }),
    ]),
    envelope: z.union([
      z.object({ ok: z.literal(true), value: z.unknown() }),
      z.object({ ok: z.literal(false), error: z.string().check(z.maxLength(2000)) }),
    ]),
  };
}

type Schemas = ReturnType<typeof buildSchemas>;
let built: Schemas | undefined;

export function contentSchemas(): Schemas {
  return (built ??= buildSchemas());
}

/** What a badge needs of a LookupResult. */
export type BadgeResult = z.infer<Schemas['badgeResult']>;
export type ContentServiceState = z.infer<Schemas['serviceState']>;
export type ContentPageConfig = z.infer<Schemas['pageConfig']>;
export type ContentPush = z.infer<Schemas['push']>;

/** The requests the content script sends; the background checks them on arrival against utils/protocol.ts. */
type Requests = {
  getPageConfig: { type: 'getPageConfig' };
  lookup: { type: 'lookup'; ids: string[]; priority: 'visible' | 'idle' };
  /** The whole list of IDs the frame shows, or what changed since the last report. */
  reportIds: { type: 'reportIds'; ids: string[] } | { type: 'reportIds'; added: string[]; removed: string[] };
};

export type ContentRequestType = keyof Requests;
type Response<T extends ContentRequestType> = z.infer<Schemas['responses'][T]>;

/** `sendToBackground` for the content script: the answer is checked before use. */
export async function sendFromContent<T extends ContentRequestType>(request: Requests[T] & { type: T }): Promise<Response<T>> {
  const raw: unknown = await browser.runtime.sendMessage(request);
  const schemas = contentSchemas();
  const envelope = schemas.envelope.safeParse(raw);
  if (!envelope.success) throw new Error(`Malformed answer to ${request.type}`);
  if (!envelope.data.ok) throw new Error(envelope.data.error);
  const value = schemas.responses[request.type].safeParse(envelope.data.value);
  if (!value.success) throw new Error(`Answer to ${request.type} does not fit the protocol`);
  return value.data as Response<T>;
}
