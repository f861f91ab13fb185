import http, { type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * Passes one request on to the local API. A fresh upstream connection each time (`agent: false`):
 * a reused keep-alive socket the API has just closed would fail the request, and the browser would
 * see a network error the test never injected.
 */
export function proxy(req: IncomingMessage, res: ServerResponse, target: URL): void {
  const upstream = http.request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host }, agent: false },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  // A fault the API injects on purpose (a dropped connection) must reach the browser as one.
  upstream.on('error', () => res.destroy());
  req.pipe(upstream);
}
