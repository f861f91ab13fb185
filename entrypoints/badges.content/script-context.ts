import { browser } from 'wxt/browser';

/**
 * Where the copy of the content script running in this frame leaves its stop function: a global
 * of the extension's isolated world, which every copy of our scripts in the frame shares and no
 * page script can see.
 */
const RUNNING_COPY = '__mcaBadgesStop';

type Holder = Record<typeof RUNNING_COPY, (() => void) | undefined>;

/**
 * How often a page without the Navigation API is checked for a new address (pushState). The
 * Navigation API tells at once where there is one.
 */
const LOCATION_POLL_MS = 1000;

interface NavigateEventLike extends Event {
  destination?: { url?: string };
}

/**
 * The content script's lifetime, in place of WXT's ContentScriptContext (wxt.config.ts points
 * WXT's import at this file). WXT's announces every start to the page, by a `window.postMessage`
 * and a DOM event whose names carry the extension's ID, stops itself when it hears that event
 * again (which the page can forge), and tells of address changes by another DOM event. This one
 * has the same life without any of them: an older copy of the script in the same frame is
 * stopped through the isolated world's global, and address changes reach their listener directly.
 */
export class ContentScriptContext {
  private readonly controller = new AbortController();

  constructor(
    readonly contentScriptName: string,
    readonly options?: unknown,
  ) {
    const holder = globalThis as unknown as Holder;
    holder[RUNNING_COPY]?.();
    const stop = () => this.notifyInvalidated();
    holder[RUNNING_COPY] = stop;
    this.onInvalidated(() => {
      if (holder[RUNNING_COPY] === stop) holder[RUNNING_COPY] = undefined;
    });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Also true once the extension was reloaded or removed under this copy (its runtime is gone). */
  get isInvalid(): boolean {
    if (browser.runtime?.id == null) this.notifyInvalidated();
    return this.signal.aborted;
  }

  get isValid(): boolean {
    return !this.isInvalid;
  }

  onInvalidated(callback: () => void): () => void {
    this.signal.addEventListener('abort', callback, { once: true });
    return () => this.signal.removeEventListener('abort', callback);
  }

  abort(reason?: unknown): void {
    this.controller.abort(reason);
  }

  notifyInvalidated(): void {
    this.abort('Content script context invalidated');
  }

  /**
   * Calls back with the new address whenever the page's address changes without a new document
   * (pushState, replaceState, a fragment), until the script stops. Only the browser's own
   * navigation events count: the page can dispatch look-alikes on `navigation`.
   */
  onLocationChange(callback: (newUrl: URL) => void): void {
    let last = location.href;
    const changed = (href: string) => {
      if (href === last || this.signal.aborted) return;
      last = href;
      callback(new URL(href));
    };
    const navigation = (globalThis as { navigation?: EventTarget }).navigation;
    if (typeof navigation?.addEventListener === 'function') {
      navigation.addEventListener(
        'navigate',
        (event: NavigateEventLike) => {
          if (event.isTrusted && event.destination?.url) changed(event.destination.url);
        },
        { signal: this.signal },
      );
      return;
    }
    const timer = setInterval(() => changed(location.href), LOCATION_POLL_MS);
    this.onInvalidated(() => clearInterval(timer));
  }
}
