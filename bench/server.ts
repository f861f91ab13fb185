import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { startMockApi, type MockApi } from '../mock-api/server';
import { proxy } from '../tests/e2e/harness/proxy';

/** A Salesforce Lightning host: the content script runs there without any setting. */
export const BENCH_HOST = 'bench.lightning.force.com';
export const API_HOST = 'api.mycreditapp.ai';

export interface BenchServer {
  api: MockApi;
  /** `https://bench.lightning.force.com` */
  origin: string;
  /** For Chromium's --host-resolver-rules. */
  hostResolverRules: string;
  /** Serves `html` at `path` on the bench host from now on. */
  setPage(path: string, html: string): void;
  close(): Promise<void>;
}

/**
 * One HTTPS server on loopback for the bench CRM host and the API host (proxied to the mock API),
 * told apart by the Host header, with a self-signed certificate made at start.
 */
export async function startBenchServer(options: { connections: number }): Promise<BenchServer> {
  const api = await startMockApi({ port: 0, connections: options.connections });
  const apiOrigin = new URL(api.origin);
  const pages = new Map<string, Buffer>();
  const pems = await generate([{ name: 'commonName', value: 'MyCreditApp bench' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [BENCH_HOST, API_HOST].map((value) => ({ type: 2, value })) }],
  });
  const server = https.createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (host === API_HOST) return proxy(req, res, apiOrigin);
    const page = pages.get(new URL(req.url ?? '/', `https://${host}`).pathname);
    if (host !== BENCH_HOST || !page) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-length': page.length });
    res.end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    api,
    origin: `https://${BENCH_HOST}`,
    hostResolverRules: [BENCH_HOST, API_HOST].map((h) => `MAP ${h} 127.0.0.1:${port}`).join(', '),
    setPage: (path, html) => pages.set(path, Buffer.from(html)),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await api.close();
    },
  };
}
