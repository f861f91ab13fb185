import WebSocket from 'ws';

export class BidiError extends Error {}

const TIMEOUT_MS = 30_000;

type Listener = (params: Record<string, unknown>) => void;

/**
 * A minimal WebDriver BiDi client over a WebSocket: commands with ids, answers matched back,
 * events to listeners. It joins the session Marionette opened (`webSocketUrl`), so both speak to
 * one WebDriver session, as geckodriver arranges it.
 */
export class Bidi {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
  private readonly listeners = new Map<string, Set<Listener>>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => this.receive(JSON.parse(String(data)) as Record<string, unknown>));
    socket.on('close', () => {
      for (const [, call] of this.pending) call.reject(new BidiError('BiDi connection closed'));
      this.pending.clear();
    });
  }

  static async connect(url: string): Promise<Bidi> {
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return new Bidi(socket);
  }

  private receive(message: Record<string, unknown>): void {
    if (message.type === 'event') {
      for (const listener of this.listeners.get(message.method as string) ?? []) listener(message.params as Record<string, unknown>);
      return;
    }
    const call = this.pending.get(message.id as number);
    if (!call) return;
    this.pending.delete(message.id as number);
    clearTimeout(call.timer);
    if (message.type === 'error') call.reject(new BidiError(`${String(message.error)}: ${String(message.message)}`));
    else call.resolve(message.result);
  }

  send<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new BidiError(`BiDi ${method} got no answer within ${TIMEOUT_MS} ms`));
      }, TIMEOUT_MS);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  on(event: string, listener: Listener): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener);
    this.listeners.set(event, set);
    return () => set.delete(listener);
  }

  close(): void {
    this.socket.close();
  }
}
