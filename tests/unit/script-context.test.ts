// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ContentScriptContext } from '@/entrypoints/badges.content/script-context';

const contexts: ContentScriptContext[] = [];
function start(): ContentScriptContext {
  const ctx = new ContentScriptContext('badges');
  contexts.push(ctx);
  return ctx;
}

beforeEach(() => {
  fakeBrowser.reset();
});

afterEach(() => {
  for (const ctx of contexts.splice(0)) ctx.abort();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('the content script context', () => {
  it('says nothing to the page when it starts: no window message, no DOM event', () => {
    const posted = vi.spyOn(window, 'postMessage');
    const onDocument = vi.spyOn(document, 'dispatchEvent');
    const onWindow = vi.spyOn(window, 'dispatchEvent');
    start();
    start();
    expect(posted).not.toHaveBeenCalled();
    expect(onDocument).not.toHaveBeenCalled();
    expect(onWindow).not.toHaveBeenCalled();
  });

  it('is not stopped by the page: events named as WXT names its own, forged with any detail, do nothing', () => {
    const ctx = start();
    // WXT names them `<extension id>:<entrypoint>:wxt:…`; its entrypoint name is unset under vitest.
    const prefixes = ['badges', String(import.meta.env.ENTRYPOINT)].map((entry) => `${fakeBrowser.runtime.id}:${entry}:`);
    for (const name of prefixes.flatMap((prefix) => ['wxt:content-script-started', 'wxt:locationchange'].map((event) => prefix + event))) {
      for (const contentScriptName of ['badges', undefined]) {
        const detail = { contentScriptName, messageId: 'forged' };
        document.dispatchEvent(new CustomEvent(name, { detail }));
        window.dispatchEvent(new CustomEvent(name, { detail }));
        window.postMessage({ type: name, ...detail }, '*');
      }
    }
    expect(ctx.isValid).toBe(true);
  });

  it('stops the older copy in the same frame when a new one starts, and only that one', () => {
    const old = start();
    const stopped = vi.fn();
    old.onInvalidated(stopped);
    const next = start();
    expect(old.signal.aborted).toBe(true);
    expect(stopped).toHaveBeenCalledOnce();
    expect(next.isValid).toBe(true);
  });

  it('ends once the extension is gone under it', () => {
    const ctx = start();
    vi.spyOn(fakeBrowser.runtime, 'id', 'get').mockReturnValue(undefined as never);
    expect(ctx.isInvalid).toBe(true);
    expect(ctx.signal.aborted).toBe(true);
  });

  it('tells of a new address without the Navigation API, and stops telling once it ends', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const ctx = start();
    const seen: string[] = [];
    ctx.onLocationChange((url) => seen.push(url.pathname));
    history.pushState(null, '', '/lightning/r/Account/1/view');
    vi.advanceTimersByTime(1000);
    expect(seen).toEqual(['/lightning/r/Account/1/view']);
    ctx.abort();
    history.pushState(null, '', '/elsewhere');
    vi.advanceTimersByTime(1000);
    expect(seen).toEqual(['/lightning/r/Account/1/view']);
  });

  it('takes only the browser\'s own navigate events: one the page dispatches is not a new address', () => {
    const navigation = new EventTarget();
    vi.stubGlobal('navigation', navigation);
    const ctx = start();
    const seen: string[] = [];
    ctx.onLocationChange((url) => seen.push(url.href));
    const forged = Object.assign(new Event('navigate'), { destination: { url: 'https://acme.lightning.force.com/forged' } });
    navigation.dispatchEvent(forged);
    expect(seen).toEqual([]);
  });
});
