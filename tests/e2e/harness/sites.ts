import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { generate } from 'selfsigned';
import type { DemoData } from '../../../demo-sites/shared/demo-data';
import { startMockApi, type MockApi } from '../../../mock-api/server';
import { proxy } from './proxy';
import { STRANGER_HOST, strangerHost } from './stranger-host';

export type { DemoData, MockApi };

export const API_HOST = 'api.mycreditapp.ai';
export const DEFAULT_DEMO_DIST = path.resolve(import.meta.dirname, '../../../demo-sites/dist');

/**
 * Which built demo page answers which host (and path prefix). Every page is a single-page app:
 * any path under its prefix gets its `index.html`, so pushState views survive a reload.
 */
export const SITE_ROUTES = [
  { host: 'app.hubspot.com', prefix: '/large-list', page: 'large-list' },
  { host: 'app.hubspot.com', prefix: '/', page: 'hubspot' },
  // Lightning Web Components: synthetic shadow (most of Lightning Experience) in one org, native
  // shadow in another, at the same list-view path.
  { host: 'acme.lightning.force.com', prefix: '/lightning/o/Account/list', page: 'lwc-synthetic' },
  { host: 'globex.lightning.force.com', prefix: '/lightning/o/Account/list', page: 'lwc-native' },
  { host: 'acme.lightning.force.com', prefix: '/', page: 'salesforce' },
  { host: 'acme--c.visualforce.com', prefix: '/', page: 'visualforce' },
  { host: 'acme.crm.dynamics.com', prefix: '/', page: 'dynamics' },
  // Dynamics 365's grid as it is built: Fluent UI's DetailsList, in a regional org.
  { host: 'contoso.crm4.dynamics.com', prefix: '/', page: 'dynamics-fluent' },
  // AG Grid, the grid many CRM tables are built with, in a CRM the extension knows.
  { host: 'app.attio.com', prefix: '/', page: 'attio-grid' },
  { host: 'admin.internal.test', prefix: '/', page: 'internal-admin' },
] as const;

export const SITE_HOSTS = [...new Set(SITE_ROUTES.map((r) => r.host))];

export interface Sites {
  /** The loopback port every host is mapped to. */
  port: number;
  api: MockApi;
  /** A stranger's host (STRANGER_HOST): everything it received. */
  stranger: ReturnType<typeof strangerHost>;
  data: DemoData;
  /** `https://<host>` (the browser reaches it through --host-resolver-rules). */
  origin(host: string): string;
  /** `MAP host 127.0.0.1:port, ...` for Chromium's --host-resolver-rules. */
  hostResolverRules: string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Deterministic UUIDs from a label, so every run shows the same page. */
export function fakeUuid(label: string): string {
  const hex = createHash('sha256').update(label).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The IDs the demo pages show, taken from the mock API's seed so the badges have something to say. */
export function demoDataFrom(api: MockApi, sizes = { perStatus: 40, notConnected: 40, records: 200 }): DemoData {
  const orgs = (filter: (c: MockApi['connections'][number]) => boolean) =>
    api.connections
      .filter(filter)
      .slice(0, sizes.perStatus)
      .map((c) => ({ id: c.host_organization_id, name: c.host_name }));
  return {
    connected: orgs((c) => c.status === 'connected' && !c.archived),
    disconnected: orgs((c) => c.status === 'disconnected' && !c.archived),
    archived: orgs((c) => c.archived),
    notConnected: api.unknownOrgIds.slice(0, sizes.notConnected),
    recordGuids: Array.from({ length: sizes.records }, (_, i) => fakeUuid(`record-${i}`)),
  };
}

function routeFor(host: string, pathname: string) {
  return SITE_ROUTES.find((r) => r.host === host && (pathname === r.prefix || pathname.startsWith(r.prefix)));
}

async function serveStatic(res: ServerResponse, distDir: string, file: string) {
  const resolved = path.resolve(distDir, file);
  if (!resolved.startsWith(distDir + path.sep)) {
    res.writeHead(403).end();
    return;
  }
  try {
    const body = await readFile(resolved);
    res.writeHead(200, { 'content-type': MIME[path.extname(resolved)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}

/**
 * One HTTPS server on loopback for every demo CRM host and the API host, told apart by the Host
 * header. The certificate is made at start; the browser is told to accept it.
 */
export async function startSites(options: { distDir?: string; port?: number; api?: MockApi } = {}): Promise<Sites> {
  const distDir = path.resolve(options.distDir ?? DEFAULT_DEMO_DIST);
  const api = options.api ?? (await startMockApi({ port: 0 }));
  const apiOrigin = new URL(api.origin);
  const data = demoDataFrom(api);
  const dataJson = JSON.stringify(data);
  const pems = await generate([{ name: 'commonName', value: 'MyCreditApp demo sites' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [...SITE_HOSTS, API_HOST, STRANGER_HOST].map((value) => ({ type: 2, value })) }],
  });
  const stranger = strangerHost();

  const server = https.createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const url = new URL(req.url ?? '/', `https://${host}`);
    if (host === API_HOST) return proxy(req, res, apiOrigin);
    if (host === STRANGER_HOST) return stranger.handle(req, res);
    if (url.pathname === '/__demo/data.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(dataJson);
      return;
    }
    if (url.pathname.startsWith('/assets/')) return void serveStatic(res, distDir, url.pathname.slice(1));
    if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
    const route = routeFor(host, url.pathname);
    if (!route) return void res.writeHead(404, { 'content-type': 'text/plain' }).end(`no demo site for ${host}`);
    return void serveStatic(res, distDir, `${route.page}/index.html`);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    api,
    stranger,
    data,
    origin: (host) => `https://${host}`,
    hostResolverRules: [...SITE_HOSTS, API_HOST, STRANGER_HOST].map((h) => `MAP ${h} 127.0.0.1:${port}`).join(', '),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!options.api) await api.close();
    },
  };
}
