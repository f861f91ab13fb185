import { z } from '../utils/zod';
import { errorResponse, type MockResponse } from './api-routes';

export const faultSchema = z.object({
  match: z
    .object({
      method: z.string().optional(),
      pathPrefix: z.string().optional(),
      /** The whole path below the base path, e.g. `/host-connections` for the list alone. */
      path: z.string().optional(),
    })
    .optional(),
  times: z.number().int().positive().optional(),
  /** The fault disarms this long after it was injected: an outage that ends by itself. */
  forMs: z.number().int().positive().optional(),
  kind: z.enum(['latency', 'status', 'retry-after', 'drop', 'drop-mid-body', 'malformed-json', 'schema-break', 'bad-items']),
  delayMs: z.number().int().nonnegative().optional(),
  status: z.number().int().min(100).max(599).optional(),
  retryAfter: z.string().optional(),
  /** `status`: the error body's `code` and `msg` instead of the status's usual ones. */
  code: z.string().optional(),
  msg: z.string().optional(),
  /** `bad-items`: the field the broken connections lose (default `host_name`). */
  field: z.string().optional(),
  /** `bad-items`: the connections to break, by host organization ID; without it, the first `count`. */
  ids: z.array(z.string()).optional(),
  count: z.number().int().positive().optional(),
});
export type Fault = z.infer<typeof faultSchema>;

interface ArmedFault {
  fault: Fault;
  remaining: number;
  /** Epoch ms after which it no longer applies. */
  until: number;
}

/** What the faults armed for one request do to it: wait, then maybe answer differently. */
export interface FaultPlan {
  delays: number[];
  fault?: Fault;
}

/** Faults in the order they were injected; each one counts down its `times`, then disarms. */
export class FaultList {
  private armed: ArmedFault[] = [];

  add(fault: Fault, now = Date.now()): void {
    const remaining = fault.times ?? Infinity;
    if (remaining > 0) this.armed.push({ fault, remaining, until: fault.forMs === undefined ? Infinity : now + fault.forMs });
  }

  clear(): void {
    this.armed = [];
  }

  list(now = Date.now()): Fault[] {
    return this.armed.filter((a) => a.until > now).map((a) => a.fault);
  }

  /**
   * Latency faults add up and let the request go on to the next matching fault, so a slow 503 is
   * one latency plus one status fault.
   */
  take(method: string, path: string, now = Date.now()): FaultPlan {
    const plan: FaultPlan = { delays: [] };
    this.armed = this.armed.filter((a) => a.until > now);
    for (const armed of this.armed) {
      const { match } = armed.fault;
      if (match?.method && match.method.toUpperCase() !== method.toUpperCase()) continue;
      if (match?.pathPrefix && !path.startsWith(match.pathPrefix)) continue;
      if (match?.path !== undefined && path !== match.path) continue;
      armed.remaining -= 1;
      if (armed.fault.kind === 'latency') {
        plan.delays.push(armed.fault.delayMs ?? 1000);
        continue;
      }
      plan.fault = armed.fault;
      break;
    }
    this.armed = this.armed.filter((a) => a.remaining > 0);
    return plan;
  }
}

const STATUS_ERRORS: Record<number, { msg: string; type: string; code: string }> = {
  400: { msg: 'Bad request', type: 'request', code: 'bad_request' },
  401: { msg: 'Not authenticated', type: 'auth', code: 'token_invalid' },
  403: { msg: 'Not allowed to access this organization', type: 'permission', code: 'forbidden' },
  404: { msg: 'Not found', type: 'not_found', code: 'not_found' },
  408: { msg: 'Request timeout', type: 'timeout', code: 'request_timeout' },
  429: { msg: 'Too many requests', type: 'rate_limit', code: 'rate_limited' },
  500: { msg: 'Internal server error', type: 'server', code: 'internal_server_error' },
  502: { msg: 'Bad gateway', type: 'server', code: 'bad_gateway' },
  503: { msg: 'Service is under maintenance', type: 'maintenance', code: 'service_under_maintenance' },
  504: { msg: 'Gateway timeout', type: 'server', code: 'gateway_timeout' },
};

/** The answer a `status` or `retry-after` fault gives, with the API's error body. */
export function faultStatusResponse(fault: Fault): MockResponse {
  const status = fault.kind === 'retry-after' ? 429 : (fault.status ?? 500);
  const usual = STATUS_ERRORS[status] ?? { msg: `HTTP ${status}`, type: 'server', code: `http_${status}` };
  const known = { ...usual, ...(fault.code !== undefined ? { code: fault.code } : {}), ...(fault.msg !== undefined ? { msg: fault.msg } : {}) };
  const headers: Record<string, string> = {};
  if (fault.kind === 'retry-after') headers['Retry-After'] = fault.retryAfter ?? '1';
  if (status === 401) headers['WWW-Authenticate'] = 'Bearer';
  return errorResponse(status, [{ loc: [], ...known }], headers);
}

function breakConnection(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const { host_name: _dropped, ...rest } = value as Record<string, unknown>;
  return { ...rest, archived: 'yes' };
}

/**
 * A well-formed JSON object that does not fit the documented schema: connections lose
 * `host_name` and get a string `archived`, a list gets a string `total_items`, a token a numeric
 * `access_token`.
 */
export function schemaBreakBody(normal: MockResponse): unknown {
  const body = normal.body;
  if (normal.status >= 300 || typeof body !== 'object' || body === null) {
    return { host_organization_id: 'not-a-uuid', status: 'maybe' };
  }
  const record = body as Record<string, unknown>;
  if (Array.isArray(record.items)) {
    return { items: record.items.map(breakConnection), total_items: String(record.total_items) };
  }
  if ('access_token' in record) return { access_token: 42 };
  return breakConnection(record);
}

/**
 * The real answer with some connections broken, the rest left whole: `fault.ids` (or the first
 * `fault.count`, default 1) lose `fault.field` (default `host_name`). A single connection breaks
 * when it is one of `ids`, or always without them.
 */
export function badItemsBody(normal: MockResponse, fault: Fault): unknown {
  const body = normal.body;
  if (normal.status >= 300 || typeof body !== 'object' || body === null) return body;
  const field = fault.field ?? 'host_name';
  const chosen = (item: unknown, index: number) => {
    const id = (item as { host_organization_id?: unknown }).host_organization_id;
    return fault.ids ? typeof id === 'string' && fault.ids.includes(id) : index < (fault.count ?? 1);
  };
  const lose = (item: unknown) => {
    const { [field]: _dropped, ...rest } = item as Record<string, unknown>;
    return rest;
  };
  const record = body as Record<string, unknown>;
  if (Array.isArray(record.items)) return { ...record, items: record.items.map((item, i) => (chosen(item, i) ? lose(item) : item)) };
  return chosen(record, 0) ? lose(record) : record;
}

/** A 200 whose body is cut off mid-JSON. */
export const MALFORMED_JSON = '{"items": [{"host_organization_id": "6f1d2c3b-8a4e-4c1f-9b2a-1e5d7c9a0b01", "host_name": "Acme';
