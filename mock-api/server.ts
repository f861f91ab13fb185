import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { z } from '../utils/zod';
import { handleApi, mintToken, notFoundRoute, type ApiState, type ListPagingMode, type MockResponse } from './api-routes';
import { FaultList, MALFORMED_JSON, badItemsBody, faultSchema, faultStatusResponse, schemaBreakBody, type Fault } from './faults';
import {
  DEV_CLIENT_ID,
  DEV_CLIENT_SECRET,
  DEV_REQUESTER_ORG_ID,
  seedConnections,
  seedUnknownOrgIds,
  type HostConnectionJson,
} from './seed';

export type { Fault } from './faults';
export type { HostConnectionJson } from './seed';
export type { ListPagingMode } from './api-routes';

export interface MockApiOptions {
  port?: number;
  host?: string;
  seed?: number;
  connections?: number;
  basePath?: string;
  tls?: { key: string; cert: string };
  listPaging?: ListPagingMode;
  tokenTtlSeconds?: number;
}

export interface RequestLogEntry {
  method: string;
  /** The whole path as it came in, base path included. */
  path: string;
  /** Every query key with all its values, in order. */
  query: Record<string, string[]>;
  /** null while the answer is pending, and for good when a fault dropped the connection unanswered. */
  status: number | null;
  /** Lower-case names; never the Authorization header. */
  headers: Record<string, string>;
  /** Whether an Authorization header came (its value is never kept). */
  hasAuthorization: boolean;
  /** The fault that shaped the answer, if one did (latency included). */
  fault?: Fault['kind'];
  /** Epoch milliseconds when the request arrived. */
  time: number;
}

export interface MockApi {
  origin: string;
  url: string;
  port: number;
  requesterOrgId: string;
  devClient: { clientId: string; clientSecret: string };
  /** The very array the server answers from: change an entry and the next answer shows it. */
  connections: HostConnectionJson[];
  unknownOrgIds: string[];
  mintToken(opts?: { expiresInSeconds?: number; requesterOrgId?: string }): string;
  injectFault(fault: Fault): void;
  clearFaults(): void;
  requests: RequestLogEntry[];
  clearRequests(): void;
  setListPaging(mode: ListPagingMode): void;
  close(): Promise<void>;
}

const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, PATCH, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type, Requester-Organization-ID, Target-Organization-ID',
  // Without this a page cannot read Retry-After on a cross-origin 429.
  'Access-Control-Expose-Headers': 'Retry-After, WWW-Authenticate',
  'Access-Control-Max-Age': '600',
};

// Lets a page on a public origin reach this loopback server in browsers that still ask for it.
const PREFLIGHT_HEADERS = { 'Access-Control-Allow-Private-Network': 'true' };

const CONTROL_PREFIX = '/__mock/';
const MAX_BODY_BYTES = 64 * 1024;

const tokenRequestSchema = z.object({
  expiresInSeconds: z.number().int().optional(),
  requesterOrgId: z.string().optional(),
});
const listPagingSchema = z.object({ mode: z.enum(['supported', 'ignored', 'rejected']) });

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function queryRecord(params: URLSearchParams): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, value] of params) (out[key] ??= []).push(value);
  return out;
}

function loggedHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === 'authorization' || value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function send(res: ServerResponse, status: number, body: string | undefined, headers: Record<string, string> = {}): void {
  if (res.writableEnded || res.destroyed) return;
  const allHeaders: Record<string, string | number> = { ...CORS_HEADERS, 'Cache-Control': 'no-store', ...headers };
  if (body !== undefined) {
    allHeaders['Content-Type'] = 'application/json; charset=utf-8';
    allHeaders['Content-Length'] = Buffer.byteLength(body);
  }
  res.writeHead(status, allHeaders);
  res.end(body);
}

function sendJson(res: ServerResponse, response: MockResponse): void {
  send(res, response.status, JSON.stringify(response.body), response.headers);
}

/** Headers promise the whole body, half of it arrives, then the connection dies. */
function sendHalfAndDrop(res: ServerResponse, response: MockResponse): void {
  const body = Buffer.from(JSON.stringify(response.body));
  res.writeHead(response.status, {
    ...CORS_HEADERS,
    ...response.headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': body.length,
  });
  res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
}

export async function startMockApi(options: MockApiOptions = {}): Promise<MockApi> {
  const basePath = (options.basePath ?? '/v1-beta').replace(/\/+$/, '');
  const seed = options.seed ?? 1;
  const connections = seedConnections(seed, options.connections ?? 300, DEV_REQUESTER_ORG_ID);
  const unknownOrgIds = seedUnknownOrgIds(seed, 50, [
    DEV_REQUESTER_ORG_ID,
    ...connections.map((c) => c.host_organization_id),
  ]);
  const state: ApiState = {
    secret: randomBytes(32),
    connections,
    requesterOrgId: DEV_REQUESTER_ORG_ID,
    devClient: { clientId: DEV_CLIENT_ID, clientSecret: DEV_CLIENT_SECRET },
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    listPaging: options.listPaging ?? 'supported',
  };
  const faults = new FaultList();
  const requests: RequestLogEntry[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function handleControl(req: IncomingMessage, res: ServerResponse, route: string): Promise<void> {
    const key = `${req.method} ${route}`;
    const readJson = async (): Promise<unknown> => {
      const text = await readBody(req);
      return text.trim() === '' ? {} : JSON.parse(text);
    };
    const badRequest = (error: unknown) =>
      send(res, 400, JSON.stringify({ detail: [{ loc: ['body'], msg: String(error), type: 'mock_control', code: 'bad_request' }] }));
    try {
      switch (key) {
        case 'POST faults': {
          const parsed = faultSchema.safeParse(await readJson());
          if (!parsed.success) return badRequest(z.prettifyError(parsed.error));
          faults.add(parsed.data);
          return send(res, 204, undefined);
        }
        case 'GET faults':
          return send(res, 200, JSON.stringify(faults.list()));
        case 'DELETE faults':
          faults.clear();
          return send(res, 204, undefined);
        case 'GET requests':
          return send(res, 200, JSON.stringify(requests));
        case 'DELETE requests':
          requests.length = 0;
          return send(res, 204, undefined);
        case 'POST token': {
          const parsed = tokenRequestSchema.safeParse(await readJson());
          if (!parsed.success) return badRequest(z.prettifyError(parsed.error));
          return send(res, 200, JSON.stringify({ access_token: mintToken(state, parsed.data) }));
        }
        case 'POST list-paging': {
          const parsed = listPagingSchema.safeParse(await readJson());
          if (!parsed.success) return badRequest(z.prettifyError(parsed.error));
          state.listPaging = parsed.data.mode;
          return send(res, 204, undefined);
        }
        case 'GET connections':
          return send(res, 200, JSON.stringify(connections));
        case 'GET info':
          return send(
            res,
            200,
            JSON.stringify({ url: api.url, requesterOrgId: api.requesterOrgId, devClient: api.devClient, unknownOrgIds, listPaging: state.listPaging }),
          );
        default:
          return send(res, 404, JSON.stringify({ detail: [{ loc: [], msg: `No control route ${key}`, type: 'not_found', code: 'not_found' }] }));
      }
    } catch (error) {
      badRequest(error);
    }
  }

  async function handleApiRequest(req: IncomingMessage, res: ServerResponse, url: URL, entry: RequestLogEntry): Promise<void> {
    const method = req.method ?? 'GET';
    const path = url.pathname.slice(basePath.length) || '/';
    const body = method === 'POST' || method === 'PATCH' ? await readBody(req) : '';
    const plan = faults.take(method, path);
    for (const delay of plan.delays) {
      entry.fault = 'latency';
      await sleep(delay);
    }
    const fault = plan.fault;
    if (fault) entry.fault = fault.kind;
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status' || fault?.kind === 'retry-after') return sendJson(res, faultStatusResponse(fault));
    if (fault?.kind === 'malformed-json') return send(res, 200, MALFORMED_JSON);
    const normal = handleApi(state, { method, path, query: url.searchParams, headers: req.headers, body });
    if (fault?.kind === 'schema-break') return send(res, 200, JSON.stringify(schemaBreakBody(normal)));
    if (fault?.kind === 'bad-items') return send(res, normal.status, JSON.stringify(badItemsBody(normal, fault)), normal.headers);
    if (fault?.kind === 'drop-mid-body') {
      // 'finish' never fires on a cut answer, yet its status line did go out.
      entry.status = normal.status;
      return sendHalfAndDrop(res, normal);
    }
    sendJson(res, normal);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://mock.invalid');
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      if (method === 'OPTIONS') return send(res, 204, undefined, PREFLIGHT_HEADERS);
      return handleControl(req, res, url.pathname.slice(CONTROL_PREFIX.length));
    }

    const entry: RequestLogEntry = {
      method,
      path: url.pathname,
      query: queryRecord(url.searchParams),
      status: null,
      headers: loggedHeaders(req),
      hasAuthorization: req.headers.authorization !== undefined,
      time: Date.now(),
    };
    requests.push(entry);
    res.on('finish', () => {
      entry.status = res.statusCode;
    });

    if (method === 'OPTIONS') return send(res, 204, undefined, PREFLIGHT_HEADERS);
    if (url.pathname === basePath || url.pathname.startsWith(`${basePath}/`)) {
      return handleApiRequest(req, res, url, entry);
    }
    sendJson(res, notFoundRoute());
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      console.error('[mock-api] request failed', error);
      sendJson(res, { status: 500, body: { detail: [{ loc: [], msg: 'Mock API crashed', type: 'server', code: 'internal_server_error' }] } });
    });
  };
  const server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener) : createHttpServer(listener);

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  const api: MockApi = {
    origin,
    url: origin + basePath,
    port,
    requesterOrgId: DEV_REQUESTER_ORG_ID,
    devClient: state.devClient,
    connections,
    unknownOrgIds,
    mintToken: (opts) => mintToken(state, opts),
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    requests,
    clearRequests: () => {
      requests.length = 0;
    },
    setListPaging: (mode) => {
      state.listPaging = mode;
    },
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
  return api;
}
