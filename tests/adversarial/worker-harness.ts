/**
 * The real background (`startServiceWorker`, as `main` runs it) over the fake browser, with a
 * kill switch. Every worker runs inside its own async context; killing it makes everything it
 * still has under way (fetches, storage calls) hang forever, as when the browser stops a worker,
 * and drops its listeners. A new worker is a fresh import over the same fake storage.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { ServiceWorkerOptions } from '@/entrypoints/background/service-worker';
import type { Envelope } from '@/utils/protocol';

/** Set by `vitest.firefox.config.ts`: the same tests against the Firefox build's background. */
export const FIREFOX = process.env.MCA_TEST_BROWSER === 'firefox';
export const EXTENSION_ID = fakeBrowser.runtime.id;
// Firefox gives each install a random UUID origin, unrelated to the add-on id.
export const EXTENSION_ORIGIN = FIREFOX ? 'moz-extension://4b8e2c1a-7d3f-4e9b-a6c5-1f2d3e4a5b6c' : `chrome-extension://${EXTENSION_ID}`;
if (FIREFOX) fakeBrowser.runtime.getURL = (path: string) => `${EXTENSION_ORIGIN}/${path.replace(/^\//, '')}`;

/** Firefox's MessageSender has no `origin`; Chrome's has. */
function withOrigin(sender: Sender & { origin: string }): Sender {
  if (!FIREFOX) return sender;
  const { origin: _origin, ...rest } = sender;
  return rest;
}

export interface Sender {
  id?: string;
  url?: string;
  origin?: string;
  tab?: { id?: number; url?: string };
  frameId?: number;
}

export const senders = {
  options: withOrigin({ id: EXTENSION_ID, url: `${EXTENSION_ORIGIN}/options.html`, origin: EXTENSION_ORIGIN, tab: { id: 90 }, frameId: 0 }),
  popup: withOrigin({ id: EXTENSION_ID, url: `${EXTENSION_ORIGIN}/popup.html`, origin: EXTENSION_ORIGIN, frameId: 0 }),
  card: withOrigin({ id: EXTENSION_ID, url: `${EXTENSION_ORIGIN}/card.html#x`, origin: EXTENSION_ORIGIN, tab: { id: 7, url: 'https://acme.lightning.force.com/lightning/page' }, frameId: 3 }),
  content: (tabId = 7, url = 'https://acme.lightning.force.com/lightning/r/Account/001/view', frameId = 0): Sender =>
    withOrigin({ id: EXTENSION_ID, url, origin: new URL(url).origin, tab: { id: tabId }, frameId }),
};

interface Life {
  generation: number;
  killed: boolean;
}

const life = new AsyncLocalStorage<Life>();
const hang = () => new Promise<never>(() => undefined);
let patched = false;

/** Calls made by a killed worker never settle; everything else passes through. */
function patchOnce(): void {
  if (patched) return;
  patched = true;
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => (life.getStore()?.killed ? hang() : realFetch(input, init));
  for (const area of [fakeBrowser.storage.local, fakeBrowser.storage.session]) {
    for (const method of ['get', 'set', 'remove', 'clear'] as const) {
      const real = area[method].bind(area) as (...args: unknown[]) => Promise<unknown>;
      (area as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => (life.getStore()?.killed ? hang() : real(...args));
    }
  }
}

type Listenable = { removeAllListeners?: () => void };

type Listener = (...args: unknown[]) => unknown;

/** An event like the fake browser's, for the ones it leaves unimplemented. */
export function testEvent() {
  const listeners: Listener[] = [];
  return {
    addListener: (listener: Listener) => void listeners.push(listener),
    removeListener: (listener: Listener) => void listeners.splice(listeners.indexOf(listener) >>> 0, 1),
    hasListener: (listener: Listener) => listeners.includes(listener),
    hasListeners: () => listeners.length > 0,
    removeAllListeners: () => void (listeners.length = 0),
    trigger: (...args: unknown[]) => Promise.all(listeners.map((listener) => listener(...args))),
  };
}

/** The fake browser has no `runtime.onMessageExternal`; the worker listens there, so tests can knock. */
export function externalMessages(): ReturnType<typeof testEvent> {
  const runtime = fakeBrowser.runtime as unknown as { onMessageExternal: ReturnType<typeof testEvent> };
  if (!('trigger' in runtime.onMessageExternal)) runtime.onMessageExternal = testEvent();
  return runtime.onMessageExternal;
}

/** The fake browser has no `runtime.onConnect`; the worker hears content scripts' frame ports there. */
export function framePorts(): ReturnType<typeof testEvent> {
  const runtime = fakeBrowser.runtime as unknown as { onConnect: ReturnType<typeof testEvent> };
  if (!('trigger' in runtime.onConnect)) runtime.onConnect = testEvent();
  return runtime.onConnect;
}

function dropListeners(): void {
  const events: unknown[] = [
    fakeBrowser.runtime.onMessage,
    externalMessages(),
    framePorts(),
    fakeBrowser.runtime.onInstalled,
    fakeBrowser.storage.onChanged,
    fakeBrowser.storage.local.onChanged,
    fakeBrowser.storage.session.onChanged,
    fakeBrowser.storage.managed.onChanged,
    fakeBrowser.tabs.onRemoved,
    fakeBrowser.alarms.onAlarm,
  ];
  for (const event of events) (event as Listenable).removeAllListeners?.();
}

export interface Worker {
  generation: number;
  /** What the background answers `message` from `sender`, as `runtime.sendMessage` would resolve. */
  send(message: unknown, sender: Sender | undefined): Promise<Envelope<unknown> | undefined>;
  kill(): void;
  isAlive(): boolean;
}

let generations = 0;

/** Starts a new worker (fresh modules, same storage) and waits for its start-up to finish. */
export async function startWorker(options: ServiceWorkerOptions = {}): Promise<Worker> {
  patchOnce();
  externalMessages();
  framePorts();
  vi.resetModules();
  const state: Life = { generation: ++generations, killed: false };
  const { startServiceWorker } = await import('@/entrypoints/background/service-worker');
  const started = life.run(state, () => startServiceWorker(options));
  await started.ready;
  let onKill = () => undefined as void;
  const killed = new Promise<never>((_resolve, reject) => {
    onKill = () => reject(new Error('The message port closed before a response was received.'));
  });
  killed.catch(() => undefined);
  return {
    generation: state.generation,
    async send(message, sender) {
      if (state.killed) throw new Error('Could not establish connection. Receiving end does not exist.');
      const answers = await Promise.race([life.run(state, () => fakeBrowser.runtime.onMessage.trigger(message, sender as never)), killed]);
      return answers.find((answer) => answer !== undefined) as Envelope<unknown> | undefined;
    },
    kill() {
      state.killed = true;
      dropListeners();
      // A stopped worker's timers go with it.
      started.recovery.stop();
      onKill();
    },
    isAlive: () => !state.killed,
  };
}

/** Everything storage holds, for before/after comparisons. */
export async function storageSnapshot(): Promise<string> {
  const [local, session] = await Promise.all([fakeBrowser.storage.local.get(null), fakeBrowser.storage.session.get(null)]);
  return JSON.stringify({ local, session });
}
