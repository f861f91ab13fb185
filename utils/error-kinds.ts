/**
 * Every way a call can fail, as the UI names it. Closed: a new failure maps onto one of these.
 * In a file of its own, free of zod, so the content script's small protocol can share it.
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
