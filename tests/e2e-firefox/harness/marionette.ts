import net from 'node:net';

/** A WebDriver error as Marionette reports it. */
export class MarionetteError extends Error {
  constructor(
    readonly error: string,
    message: string,
  ) {
    super(`${error}: ${message}`);
  }
}

const TIMEOUT_MS = 30_000;

/**
 * A minimal client of Marionette, Firefox's WebDriver (classic) server: "length:json" packets,
 * `[0, id, command, params]` out and `[1, id, error, result]` back. The browser tests need it for
 * the extension's own pages, which Firefox's WebDriver BiDi does not reach (it leaves
 * `moz-extension:` documents out of its browsing contexts, bug 1755014), and for the chrome
 * scope, where the add-on's origin, permissions and background live.
 */
export class Marionette {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
  private hello: ((value: void) => void) | undefined;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk) => this.receive(chunk));
    socket.on('close', () => {
      for (const [, call] of this.pending) call.reject(new Error('Marionette connection closed'));
      this.pending.clear();
    });
  }

  static async connect(port: number): Promise<Marionette> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const client = new Marionette(socket);
    await new Promise<void>((resolve) => (client.hello = resolve));
    return client;
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const colon = this.buffer.indexOf(':');
      if (colon < 0) return;
      const length = Number(this.buffer.subarray(0, colon).toString());
      if (this.buffer.length < colon + 1 + length) return;
      const packet = JSON.parse(this.buffer.subarray(colon + 1, colon + 1 + length).toString()) as unknown;
      this.buffer = this.buffer.subarray(colon + 1 + length);
      if (!Array.isArray(packet)) {
        // The greeting: `{ applicationType, marionetteProtocol }`.
        this.hello?.();
        this.hello = undefined;
        continue;
      }
      const [, id, error, result] = packet as [number, number, { error: string; message: string } | null, unknown];
      const call = this.pending.get(id);
      if (!call) continue;
      this.pending.delete(id);
      clearTimeout(call.timer);
      if (error) call.reject(new MarionetteError(error.error, error.message));
      else call.resolve(result);
    }
  }

  send<T = unknown>(command: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    const body = Buffer.from(JSON.stringify([0, id, command, params]));
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`Marionette ${command} got no answer within ${TIMEOUT_MS} ms`));
      }, TIMEOUT_MS);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      this.socket.write(`${body.length}:`);
      this.socket.write(body);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
