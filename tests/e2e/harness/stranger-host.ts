import type { IncomingMessage, ServerResponse } from 'node:http';

/** A host that stands for a stranger's server, under a real-looking name the browser resolves to us. */
export const STRANGER_HOST = 'api.stranger.test';

export interface StrangerRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Answers everything as an API would that wants to be called (CORS open to any origin, 200 with
 * an empty JSON body) and logs all it received, headers and body, so a test can look there for
 * a token or a secret.
 */
export function strangerHost() {
  const requests: StrangerRequest[] = [];
  return {
    requests,
    handle(req: IncomingMessage, res: ServerResponse): void {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
        res.writeHead(req.method === 'OPTIONS' ? 204 : 200, {
          'Access-Control-Allow-Origin': '*',
          'Access-Control-Allow-Headers': '*',
          'Access-Control-Allow-Methods': '*',
          'Content-Type': 'application/json',
        });
        res.end(req.method === 'OPTIONS' ? undefined : '{}');
      });
    },
  };
}
