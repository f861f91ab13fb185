import type { IncomingHttpHeaders } from 'node:http';
import { parseApiDateTime } from '../utils/api-schemas';
import { isUuid } from '../utils/uuid';
import { signToken, verifyToken, type TokenClaims } from './jwt';
import type { HostConnectionJson } from './seed';

export type ListPagingMode = 'supported' | 'ignored' | 'rejected';

export interface ErrorItem {
  loc: (string | number)[];
  msg: string;
  type: string;
  code: string;
}

/** What a route answers; the server turns it into bytes (or breaks it, when a fault says so). */
export interface MockResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface ApiState {
  secret: Buffer;
  connections: readonly HostConnectionJson[];
  requesterOrgId: string;
  devClient: { clientId: string; clientSecret: string };
  tokenTtlSeconds: number;
  listPaging: ListPagingMode;
}

export interface ApiRequest {
  method: string;
  /** Path below the base path, e.g. `/host-connections/…`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export function errorResponse(status: number, items: ErrorItem[], headers?: Record<string, string>): MockResponse {
  return { status, body: { detail: items }, headers };
}

function item(loc: (string | number)[], msg: string, type: string, code = type): ErrorItem {
  return { loc, msg, type, code };
}

export function mintToken(state: ApiState, opts: { expiresInSeconds?: number; requesterOrgId?: string } = {}): string {
  const iat = Math.floor(Date.now() / 1000);
  const claims: TokenClaims = {
    sub: state.devClient.clientId,
    org_id: opts.requesterOrgId ?? state.requesterOrgId,
    iat,
    exp: iat + (opts.expiresInSeconds ?? state.tokenTtlSeconds),
  };
  return signToken(claims, state.secret);
}

function lengthError(loc: (string | number)[], value: unknown, max: number): ErrorItem | undefined {
  if (value === undefined) return item(loc, 'Field required', 'missing');
  if (typeof value !== 'string') return item(loc, 'Input should be a valid string', 'string_type');
  if (value.length < 1) return item(loc, 'String should have at least 1 character', 'string_too_short');
  if (value.length > max) return item(loc, `String should have at most ${max} characters`, 'string_too_long');
  return undefined;
}

function handleToken(state: ApiState, req: ApiRequest): MockResponse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body);
  } catch {
    return errorResponse(422, [item(['body'], 'JSON decode error', 'json_invalid')]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return errorResponse(422, [item(['body'], 'Input should be a valid dictionary or object', 'model_attributes_type')]);
  }
  const fields = parsed as Record<string, unknown>;
  const errors = [
    lengthError(['body', 'client_id'], fields.client_id, 128),
    lengthError(['body', 'client_secret'], fields.client_secret, 64),
  ].filter((e): e is ErrorItem => e !== undefined);
  if (errors.length > 0) return errorResponse(422, errors);
  if (fields.client_id !== state.devClient.clientId || fields.client_secret !== state.devClient.clientSecret) {
    return errorResponse(401, [item(['body'], 'Invalid client credentials', 'oauth', 'oauth_invalid_client_credentials')]);
  }
  return { status: 200, body: { access_token: mintToken(state), expires_in: state.tokenTtlSeconds } };
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

function unauthorized(msg: string, code: string): MockResponse {
  return errorResponse(401, [item(['header', 'Authorization'], msg, 'auth', code)], { 'WWW-Authenticate': 'Bearer' });
}

function authenticate(state: ApiState, headers: IncomingHttpHeaders): TokenClaims | MockResponse {
  const header = headers.authorization;
  if (!header) return unauthorized('Not authenticated', 'token_missing');
  const token = BEARER.exec(header)?.[1];
  if (!token) return unauthorized('Authorization header must be "Bearer <token>"', 'token_invalid');
  const result = verifyToken(token, state.secret, Math.floor(Date.now() / 1000));
  if (result.ok) return result.claims;
  if (result.reason === 'expired') return unauthorized('Token has expired', 'token_expired');
  if (result.reason === 'bad_signature') return unauthorized('Token signature is invalid', 'token_invalid_signature');
  return unauthorized('Token is malformed', 'token_invalid');
}

const REQUESTER_HEADER = 'Requester-Organization-ID';
const TARGET_HEADER = 'Target-Organization-ID';

function uuidHeader(headers: IncomingHttpHeaders, name: string, errors: ErrorItem[]): string | undefined {
  const value = headers[name.toLowerCase()];
  if (value === undefined) {
    errors.push(item(['header', name], 'Field required', 'missing'));
    return undefined;
  }
  if (typeof value !== 'string' || !isUuid(value)) {
    errors.push(item(['header', name], 'Input should be a valid UUID', 'uuid_parsing', 'invalid_uuid'));
    return undefined;
  }
  return value.toLowerCase();
}

/** 403 when the headers name another organization than the token's or than "Self". */
function checkOrganizations(claims: TokenClaims, requester: string, target: string): MockResponse | undefined {
  if (requester !== claims.org_id.toLowerCase()) {
    return errorResponse(403, [
      item(['header', REQUESTER_HEADER], 'Requester organization does not match the token', 'permission', 'requester_organization_mismatch'),
    ]);
  }
  if (target !== requester) {
    return errorResponse(403, [
      item(['header', TARGET_HEADER], 'This endpoint only allows the requester organization as target', 'permission', 'target_organization_forbidden'),
    ]);
  }
  return undefined;
}

const STATUSES = ['connected', 'disconnected'];
const SEARCH_FIELDS = ['host_name', 'host_email', 'owner_email'] as const;
const ORDER_FIELDS = ['host_name', 'host_email', 'owner_email', 'created_at', 'updated_at', 'archived_at', 'active_action_updated_at'] as const;
const DATE_FIELDS = new Set<string>(['created_at', 'updated_at', 'archived_at', 'active_action_updated_at']);
const TRUE_VALUES = new Set(['true', '1', 'yes', 'on', 't', 'y']);
const FALSE_VALUES = new Set(['false', '0', 'no', 'off', 'f', 'n']);

interface ListQuery {
  statuses: string[];
  searchFields: readonly (typeof SEARCH_FIELDS)[number][];
  searchText?: string;
  orderBy?: (typeof ORDER_FIELDS)[number];
  desc: boolean;
  archived?: boolean;
  limit?: number;
  offset: number;
}

function oneOf<T extends string>(value: string, allowed: readonly T[]): value is T {
  return (allowed as readonly string[]).includes(value);
}

function enumError(loc: (string | number)[], allowed: readonly string[]): ErrorItem {
  return item(loc, `Input should be ${allowed.map((a) => `'${a}'`).join(', ')}`, 'enum');
}

function intParam(query: URLSearchParams, name: string, min: number, max: number, errors: ErrorItem[]): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (!/^-?\d+$/.test(raw.trim())) {
    errors.push(item(['query', name], 'Input should be a valid integer', 'int_parsing'));
    return undefined;
  }
  const n = Number(raw);
  if (n < min) errors.push(item(['query', name], `Input should be greater than or equal to ${min}`, 'greater_than_equal'));
  else if (n > max) errors.push(item(['query', name], `Input should be less than or equal to ${max}`, 'less_than_equal'));
  else return n;
  return undefined;
}

function parseListQuery(query: URLSearchParams, paging: ListPagingMode, errors: ErrorItem[]): ListQuery {
  const statuses = query.getAll('statuses');
  if (statuses.length === 0) errors.push(item(['query', 'statuses'], 'Field required', 'missing'));
  statuses.forEach((s, i) => {
    if (!STATUSES.includes(s)) errors.push(enumError(['query', 'statuses', i], STATUSES));
  });

  const result: ListQuery = { statuses, searchFields: SEARCH_FIELDS, desc: false, offset: 0 };
  const searchField = query.get('search_field');
  if (searchField !== null) {
    if (oneOf(searchField, SEARCH_FIELDS)) result.searchFields = [searchField];
    else errors.push(enumError(['query', 'search_field'], SEARCH_FIELDS));
  }
  const searchText = query.get('search_text');
  if (searchText !== null) {
    const error = lengthError(['query', 'search_text'], searchText, 255);
    if (error) errors.push(error);
    else result.searchText = searchText.toLowerCase();
  }
  const orderBy = query.get('order_by');
  if (orderBy !== null) {
    if (oneOf(orderBy, ORDER_FIELDS)) result.orderBy = orderBy;
    else errors.push(enumError(['query', 'order_by'], ORDER_FIELDS));
  }
  const orderDir = query.get('order_dir');
  if (orderDir !== null) {
    if (orderDir === 'asc' || orderDir === 'desc') result.desc = orderDir === 'desc';
    else errors.push(enumError(['query', 'order_dir'], ['asc', 'desc']));
  }
  const archived = query.get('archived');
  if (archived !== null) {
    const lower = archived.toLowerCase();
    if (TRUE_VALUES.has(lower)) result.archived = true;
    else if (FALSE_VALUES.has(lower)) result.archived = false;
    else errors.push(item(['query', 'archived'], 'Input should be a valid boolean', 'bool_parsing'));
  }

  if (paging === 'rejected') {
    for (const name of ['limit', 'offset']) {
      if (query.has(name)) errors.push(item(['query', name], 'Extra inputs are not permitted', 'extra_forbidden'));
    }
  } else if (paging === 'supported') {
    result.limit = intParam(query, 'limit', 1, 100, errors);
    result.offset = intParam(query, 'offset', 0, Number.MAX_SAFE_INTEGER, errors) ?? 0;
  }
  return result;
}

function sortKey(c: HostConnectionJson, field: (typeof ORDER_FIELDS)[number]): string | number | null {
  const value = c[field];
  if (value === null || value === undefined) return null;
  return DATE_FIELDS.has(field) ? (parseApiDateTime(value) ?? null) : value.toLowerCase();
}

function listConnections(all: readonly HostConnectionJson[], q: ListQuery): { items: HostConnectionJson[]; total_items: number } {
  const matches = all.filter(
    (c) =>
      q.statuses.includes(c.status) &&
      (q.archived === undefined || c.archived === q.archived) &&
      (q.searchText === undefined || q.searchFields.some((f) => c[f].toLowerCase().includes(q.searchText as string))),
  );
  const orderBy = q.orderBy;
  if (orderBy) {
    const dir = q.desc ? -1 : 1;
    matches.sort((a, b) => {
      const ka = sortKey(a, orderBy);
      const kb = sortKey(b, orderBy);
      // Missing values last in both directions; ties by id so pages never overlap.
      if (ka !== kb) {
        if (ka === null) return 1;
        if (kb === null) return -1;
        return ka < kb ? -dir : dir;
      }
      return a.host_organization_id < b.host_organization_id ? -1 : 1;
    });
  }
  const end = q.limit === undefined ? undefined : q.offset + q.limit;
  return { items: matches.slice(q.offset, end), total_items: matches.length };
}

function methodNotAllowed(allow: string): MockResponse {
  return errorResponse(405, [item([], 'Method Not Allowed', 'method_not_allowed')], { Allow: allow });
}

export function notFoundRoute(): MockResponse {
  return errorResponse(404, [item([], 'Not Found', 'not_found')]);
}

const ONE_CONNECTION = /^\/host-connections\/([^/]+)$/;

function handleHostConnections(state: ApiState, req: ApiRequest, rawId: string | undefined): MockResponse {
  if (req.method !== 'GET') return methodNotAllowed('GET');
  const auth = authenticate(state, req.headers);
  if ('status' in auth) return auth;

  const errors: ErrorItem[] = [];
  const requester = uuidHeader(req.headers, REQUESTER_HEADER, errors);
  const target = uuidHeader(req.headers, TARGET_HEADER, errors);
  let hostId: string | undefined;
  let query: ListQuery | undefined;
  if (rawId !== undefined) {
    let decoded = rawId;
    try {
      decoded = decodeURIComponent(rawId);
    } catch {
      // A broken escape is just another non-UUID.
    }
    if (isUuid(decoded)) hostId = decoded.toLowerCase();
    else errors.push(item(['path', 'host_org_id'], 'Input should be a valid UUID', 'uuid_parsing', 'invalid_uuid'));
  } else {
    query = parseListQuery(req.query, state.listPaging, errors);
  }
  if (errors.length > 0 || requester === undefined || target === undefined) return errorResponse(422, errors);

  const forbidden = checkOrganizations(auth, requester, target);
  if (forbidden) return forbidden;

  const own = state.connections.filter((c) => c.guest_organization_id === requester);
  if (query) return { status: 200, body: listConnections(own, query) };
  const found = own.find((c) => c.host_organization_id === hostId);
  if (!found) {
    return errorResponse(404, [item(['path', 'host_org_id'], 'Host connection not found', 'not_found', 'host_connection_not_found')]);
  }
  return { status: 200, body: found };
}

/** The API below the base path. */
export function handleApi(state: ApiState, req: ApiRequest): MockResponse {
  if (req.path === '/oauth2/token') return req.method === 'POST' ? handleToken(state, req) : methodNotAllowed('POST');
  if (req.path === '/host-connections') return handleHostConnections(state, req, undefined);
  const one = ONE_CONNECTION.exec(req.path);
  if (one) return handleHostConnections(state, req, one[1]);
  return notFoundRoute();
}
