import { parseArgs } from 'node:util';
import { startMockApi } from './server';

function numberOption(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`[mock-api] --${name} must be a whole number, got "${raw}"`);
    process.exit(2);
  }
  return n;
}

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    seed: { type: 'string' },
    connections: { type: 'string' },
  },
});

const port = numberOption('port', values.port ?? process.env.MOCK_API_PORT, 8787);
const api = await startMockApi({
  port,
  seed: numberOption('seed', values.seed ?? process.env.MOCK_API_SEED, 1),
  connections: numberOption('connections', values.connections, 300),
}).catch((error: unknown) => {
  const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
  console.error(inUse ? `[mock-api] port ${port} is taken: pass --port or MOCK_API_PORT` : error);
  process.exit(1);
});

console.log(`MyCreditApp mock API (${api.connections.length} connections)
  API base URL:     ${api.url}
  Client ID:        ${api.devClient.clientId}
  Client secret:    ${api.devClient.clientSecret}
  Requester org ID: ${api.requesterOrgId}
  Access token (1 h):
${api.mintToken()}

  Control routes:   ${api.origin}/__mock/{faults,requests,token,list-paging,info,connections}
Ctrl-C stops it.`);

let closing = false;
function shutdown(): void {
  if (closing) return;
  closing = true;
  api.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('[mock-api] close failed', error);
      process.exit(1);
    },
  );
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
