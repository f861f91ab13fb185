/**
 * The typed client of the MyCreditApp API: headers, deadlines, retries, one token renewal on 401,
 * and every failure mapped onto an ApiError kind. Only the background uses it.
 */
import {
  apiErrorBodySchema,
  hostConnectionPageEnvelopeSchema,
  hostConnectionSchema,
  issueDetails,
  listQuerySchema,
  readPage,
  tokenResponseSchema,
  type HostConnection,
  type HostConnectionPage,
  type ListQuery,
  type TokenResponse,
} from './api-schemas';
import { ApiError, type ApiErrorInfo } from './api-error';
import { FailingEndpoints } from './failing-endpoints';
import { backoffDelay, clampRetryAfter, isRetryableStatus, parseRetryAfter } from './retry';
import type { z } from './zod';

export interface ApiClientConfig {
  baseUrl: string;
  requesterOrgId: string;
  targetOrgId: string;
  /** Throws ApiError('not_configured' | 'unauthorized') when there is no usable token. */
  getAccessToken(): Promise<string>;
  /** Called on a 401: a fresh token to retry once with, or undefined when none can be had. */
  renewAccessToken?(rejected: string): Promise<string | undefined>;
  fetch?: typeof fetch;
  /** Per attempt. */
  timeoutMs?: number;
  /** Over all attempts and waits; under Chrome's 30 s limit for a pending event. */
  deadlineMs?: number;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  /** Shared by every client of the worker, as the browser's own throttle is. */
  failingEndpoints?: FailingEndpoints;
  /** Secrets besides the token (the client secret) that an error text the API echoes must not carry. */
  redactAlso?: readonly string[];
}

export interface RequestOptions {
  /** The caller's cancellation; its reason is thrown as is. */
  signal?: AbortSignal;
  /** Attempts at most, retries included (MAX_ATTEMPTS unless told): a probe of the API makes one. */
  attempts?: number;
}

export interface ApiClient {
  /** A 404 is ApiError kind 'not_connected'. */
  getHostConnection(hostOrgId: string, opts?: RequestOptions): Promise<HostConnection>;
  listHostConnections(query: ListQuery, opts?: RequestOptions): Promise<HostConnectionPage>;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_DEADLINE_MS = 25_000;
export const MAX_ATTEMPTS = 3;

const MAINTENANCE_CODE = 'service_under_maintenance';

const sharedFailingEndpoints = new FailingEndpoints();

/** Resolves after `ms`, or rejects with the signal's reason once it aborts. */
function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path}`;
}

/** Query string of the list call; `statuses` is sent once per value, the encoding the API accepts. */
export function listQueryString(query: ListQuery): string {
  const params = new URLSearchParams();
  for (const status of query.statuses) params.append('statuses', status);
  for (const key of ['search_field', 'search_text', 'order_by', 'order_dir', 'archived', 'limit', 'offset'] as const) {
    const value = query[key];
    if (value !== undefined) params.set(key, String(value));
  }
  return params.toString();
}

interface ErrorBodyInfo {
  messages: string[];
  codes: string[];
}

function readErrorBody(text: string): ErrorBodyInfo {
  try {
    const parsed = apiErrorBodySchema.safeParse(JSON.parse(text));
    if (!parsed.success) return { messages: [], codes: [] };
    return {
      messages: parsed.data.detail.map((item) => item.msg),
      codes: parsed.data.detail.flatMap((item) => (item.code ? [item.code] : [])),
    };
  } catch {
    return { messages: [], codes: [] };
  }
}

/** Removes every secret from text the API echoed back, so no message carries one. */
function redact(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => (secret ? out.split(secret).join('[redacted]') : out), text);
}

/** The ApiError of a non-2xx answer. `retryAt` comes from Retry-After when the server sent one. */
function errorForResponse(status: number, bodyText: string, retryAt: number | undefined, secrets: readonly string[] = []): ApiError {
  const body = readErrorBody(bodyText);
  const details = body.messages.slice(0, 20).map((msg) => redact(msg, secrets).slice(0, 500));
  const withDetails = details.length > 0 ? { details } : {};
  const code = body.codes[0]?.slice(0, 100);
  const info = (kind: ApiErrorInfo['kind'], message: string): ApiError =>
    new ApiError({ kind, message, status, ...withDetails, ...(code ? { code } : {}), ...(retryAt !== undefined ? { retryAt } : {}) });
  if (body.codes.includes(MAINTENANCE_CODE)) return info('unavailable', `The API is under maintenance (HTTP ${status}).`);
  if (status === 401) return info('unauthorized', 'The API rejected the credentials (HTTP 401).');
  if (status === 403) return info('forbidden', 'The API does not let this organization see that (HTTP 403).');
  if (status === 404) return info('not_connected', 'There is no connection with this organization (HTTP 404).');
  if (status === 408) return info('timeout', 'The API timed out waiting for the request (HTTP 408).');
  if (status === 429) return info('rate_limited', 'The API is rate limiting requests (HTTP 429).');
  if (status >= 500) return info('unavailable', `The API is unavailable (HTTP ${status}).`);
  if (status >= 400) return info('invalid_request', `The API refused the request (HTTP ${status}).`);
  return info('invalid_response', `The API answered with an unexpected HTTP status ${status}.`);
}

function parseBody<S extends z.ZodType>(schema: S, text: string, status: number): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError({ kind: 'invalid_response', message: 'The API answered with a body that is not JSON.', status });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const details = issueDetails(parsed.error);
    throw new ApiError({
      kind: 'invalid_response',
      message: `The API answered with a body that does not fit the expected shape (${details[0]}).`.slice(0, 2000),
      status,
      details,
    });
  }
  return parsed.data;
}

/** The ApiError of a fetch that threw; the caller's own cancellation is handed back untouched. */
function errorForThrown(error: unknown, callerSignal: AbortSignal | undefined): unknown {
  if (callerSignal?.aborted) return callerSignal.reason;
  if (error instanceof ApiError) return error;
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  if (name === 'TimeoutError') return new ApiError({ kind: 'timeout', message: 'The API did not answer in time.' });
  if (name === 'AbortError') return new ApiError({ kind: 'timeout', message: 'The request to the API was cut off.' });
  return new ApiError({ kind: 'network', message: 'The API could not be reached (network error or offline).' });
}

function isRetryableError(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.kind === 'network' || error.kind === 'timeout') return true;
  return error.status !== undefined && isRetryableStatus(error.status);
}

interface Attempt {
  status: number;
  text: string;
  retryAfterMs?: number;
}

export function createApiClient(config: ApiClientConfig): ApiClient {
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadlineMs = config.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const random = config.random ?? Math.random;
  const sleep = config.sleep ?? abortableSleep;
  const now = config.now ?? Date.now;
  const doFetch: typeof fetch = (input, init) => (config.fetch ?? globalThis.fetch)(input, init);
  const failing = config.failingEndpoints ?? sharedFailingEndpoints;

  async function attempt(url: string, token: string, signal: AbortSignal): Promise<Attempt> {
    const response = await doFetch(url, {
      method: 'GET',
      headers: {
        Authorization: `Bearer ${token}`,
        'Requester-Organization-ID': config.requesterOrgId,
        'Target-Organization-ID': config.targetOrgId,
        Accept: 'application/json',
      },
      credentials: 'omit',
      cache: 'no-store',
      signal,
    });
    failing.answered(url, response.status, now());
    const text = await response.text();
    const retryAfterMs = parseRetryAfter(response.headers.get('Retry-After'), now());
    return { status: response.status, text, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }

  async function get<S extends z.ZodType>(path: string, schema: S, opts: RequestOptions = {}): Promise<z.infer<S>> {
    const callerSignal = opts.signal;
    if (callerSignal?.aborted) throw callerSignal.reason;
    const url = joinUrl(config.baseUrl, path);
    const deadlineAt = now() + deadlineMs;
    const deadlineSignal = AbortSignal.timeout(deadlineMs);
    const outer = callerSignal ? AbortSignal.any([callerSignal, deadlineSignal]) : deadlineSignal;

    let token = await config.getAccessToken();
    let renewed = false;
    let failures = 0;
    for (;;) {
      let error: unknown;
      let retryAfterMs: number | undefined;
      let result: Attempt | undefined;
      try {
        const remaining = deadlineAt - now();
        if (remaining <= 0) throw new ApiError({ kind: 'timeout', message: 'The API did not answer in time.' });
        const signal = AbortSignal.any([outer, AbortSignal.timeout(Math.min(timeoutMs, remaining))]);
        result = await attempt(url, token, signal);
      } catch (thrown) {
        error = errorForThrown(thrown, callerSignal);
        if (error instanceof ApiError && error.kind === 'network' && failing.heldBack(url, now())) throw heldBackError();
      }
      if (result) {
        if (result.status >= 200 && result.status < 300) return parseBody(schema, result.text, result.status);
        // One renewal per call: the renewed token is tried once, a second 401 stands. A failed
        // renewal (say, the network) is thrown as it is.
        if (result.status === 401 && !renewed && config.renewAccessToken) {
          renewed = true;
          const fresh = await config.renewAccessToken(token);
          if (fresh !== undefined) {
            token = fresh;
            continue;
          }
        }
        retryAfterMs = result.retryAfterMs === undefined ? undefined : clampRetryAfter(result.retryAfterMs);
        const retryAt = retryAfterMs === undefined ? undefined : now() + retryAfterMs;
        error = errorForResponse(result.status, result.text, retryAt, [token, ...(config.redactAlso ?? [])]);
      }
      failures += 1;
      if (!isRetryableError(error) || failures >= (opts.attempts ?? MAX_ATTEMPTS)) throw error;
      const wait = retryAfterMs ?? backoffDelay(failures - 1, random);
      if (now() + wait >= deadlineAt) throw waitPastDeadline(error as ApiError, retryAfterMs, now());
      try {
        await sleep(wait, outer);
      } catch (thrown) {
        throw errorForThrown(thrown, callerSignal);
      }
    }
  }

  return {
    getHostConnection(hostOrgId, opts) {
      return get(`/host-connections/${encodeURIComponent(hostOrgId)}`, hostConnectionSchema, opts);
    },
    async listHostConnections(query, opts) {
      const checked = listQuerySchema.safeParse(query);
      if (!checked.success) {
        throw new ApiError({ kind: 'invalid_request', message: 'The list query is not valid.', details: issueDetails(checked.error) });
      }
      return readPage(await get(`/host-connections?${listQueryString(checked.data)}`, hostConnectionPageEnvelopeSchema, opts));
    },
  };
}

/** Not retried: the browser would hold the retry back too. */
function heldBackError(): ApiError {
  return new ApiError({
    kind: 'unavailable',
    message: 'The API kept failing (HTTP 5xx), so the browser holds back requests to it for a while.',
  });
}

/**
 * A server that asks for a wait longer than the time left is answered at once: rate limited, with
 * the time it named. Without a Retry-After, the last error stands.
 */
function waitPastDeadline(error: ApiError, retryAfterMs: number | undefined, nowMs: number): ApiError {
  if (retryAfterMs === undefined) return error;
  const kind = error.kind === 'unavailable' ? 'unavailable' : 'rate_limited';
  return new ApiError({
    ...error.toInfo(),
    kind,
    message: `${error.message} It asked to wait ${Math.ceil(retryAfterMs / 1000)} s, longer than the time left for this request.`,
    retryAt: nowMs + retryAfterMs,
  });
}

export interface TokenRequestOptions {
  fetch?: typeof fetch;
  /** Secrets besides the one sent (those held already) that an error text the API echoes must not carry. */
  redactAlso?: readonly string[];
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Mints an access token from an API client (`POST /oauth2/token`). Never retried: a POST is not
 * idempotent, and a rejected secret must not be tried again and again.
 */
export async function requestToken(
  baseUrl: string,
  clientId: string,
  clientSecret: string,
  opts: TokenRequestOptions = {},
): Promise<TokenResponse> {
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const doFetch = opts.fetch ?? globalThis.fetch;
  let status: number;
  let text: string;
  let retryAfterMs: number | undefined;
  try {
    const response = await doFetch(joinUrl(baseUrl, '/oauth2/token'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ client_id: clientId, client_secret: clientSecret }),
      credentials: 'omit',
      cache: 'no-store',
      signal,
    });
    status = response.status;
    text = await response.text();
    retryAfterMs = parseRetryAfter(response.headers.get('Retry-After'), Date.now());
  } catch (thrown) {
    throw errorForThrown(thrown, opts.signal);
  }
  if (status >= 200 && status < 300) return parseBody(tokenResponseSchema, text, status);
  const retryAt = retryAfterMs === undefined ? undefined : Date.now() + clampRetryAfter(retryAfterMs);
  const error = errorForResponse(status, text, retryAt, [clientSecret, ...(opts.redactAlso ?? [])]);
  if (error.kind === 'unauthorized' || (status === 400 && readErrorBody(text).codes.includes('oauth_invalid_client_credentials'))) {
    throw new ApiError({ ...error.toInfo(), kind: 'unauthorized', message: `The API rejected the client ID or secret (HTTP ${status}).` });
  }
  throw error;
}
