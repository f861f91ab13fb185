/**
 * The words the extension's contexts share for what went wrong: every way a call can fail, and
 * the states of the service those failures put it in. Closed: a new failure maps onto one of
 * these. In a file of its own, free of zod, so the content script's small protocol can share it.
 */
export const ERROR_KINDS = [
  'not_configured',
  'unauthorized',
  'forbidden',
  'not_connected',
  'invalid_request',
  'rate_limited',
  'unavailable',
  'timeout',
  'network',
  'invalid_response',
] as const;
export type ErrorKindName = (typeof ERROR_KINDS)[number];

/**
 * Errors that concern every ID at once: a state of the service, never a badge. A 403 is one only
 * when it is seen to hit every ID (the lookup service decides, and the state is then `forbidden`).
 */
export const SERVICE_WIDE_KINDS: ReadonlySet<ErrorKindName> = new Set([
  'not_configured',
  'unauthorized',
  'unavailable',
  'network',
  'timeout',
  'rate_limited',
]);

/**
 * What the lookup service can do now. `ready`: calls go out. The rest name why not, from the
 * user's side: nothing set up, credentials refused, every lookup forbidden, asked to slow down,
 * the API failing, the API out of reach.
 */
export const SERVICE_STATE_KINDS = ['ready', 'not_configured', 'unauthorized', 'forbidden', 'rate_limited', 'unavailable', 'offline'] as const;
export type ServiceStateKind = (typeof SERVICE_STATE_KINDS)[number];
