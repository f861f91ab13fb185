import http from 'node:http';
import net, { type AddressInfo } from 'node:net';

export interface HostProxy {
  port: number;
  close(): Promise<void>;
}

/**
 * The way Firefox reaches the local sites under their real names: an HTTP proxy on loopback that
 * tunnels `CONNECT host:443` for the given hosts to the one local HTTPS server and refuses every
 * other host (Chromium gets the same with `--host-resolver-rules`). TLS runs end to end through
 * the tunnel, so the browser sees the sites' own certificate and SNI.
 */
export async function startHostProxy(hosts: readonly string[], targetPort: number): Promise<HostProxy> {
  const allowed = new Set(hosts);
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => res.writeHead(403, { 'content-type': 'text/plain' }).end('only CONNECT to the demo hosts'));
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    const [host, port] = (req.url ?? '').split(':');
    if (!host || !allowed.has(host) || port !== '443') {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
