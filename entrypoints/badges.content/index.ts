import { defineContentScript } from '#imports';
import { browser } from 'wxt/browser';
import { contentSchemas, sendFromContent, type ContentPageConfig, type ContentPush } from '@/utils/content-protocol';
import { BUILTIN_EXCLUDE_MATCHES, BUILTIN_MATCHES } from '@/utils/sites';
import { BadgeView } from './badge-view';
import { CardOverlay } from './card-overlay';
import { LookupClient } from './lookup-client';
import { warn } from './markers';
import { ContentScriptContext } from './script-context';
import { yieldToPage } from './time-slicing';

const CONFIG_RETRY_MS = 1500;

type ShadowRootOpener = (element: Element) => ShadowRoot | null;

/** Chromium lets extensions see closed shadow roots (`dom.openOrClosedShadowRoot`), Firefox via the element. */
function shadowRootOpener(): ShadowRootOpener {
  const api = (globalThis as { chrome?: { dom?: { openOrClosedShadowRoot?: ShadowRootOpener } } }).chrome?.dom;
  return (element) => {
    try {
      return (
        api?.openOrClosedShadowRoot?.(element) ??
        (element as Element & { openOrClosedShadowRoot?: ShadowRoot | null }).openOrClosedShadowRoot ??
        null
      );
    } catch {
      return null;
    }
  };
}

async function pageConfig(): Promise<ContentPageConfig | undefined> {
  try {
    return await sendFromContent({ type: 'getPageConfig' });
  } catch {
    // The worker may be starting; one more try, then this frame stays quiet.
    await new Promise((resolve) => setTimeout(resolve, CONFIG_RETRY_MS));
    try {
      return await sendFromContent({ type: 'getPageConfig' });
    } catch (error) {
      warn('no page configuration', error);
      return undefined;
    }
  }
}

function pathOf(url: URL | string): string {
  const parsed = new URL(String(url));
  return parsed.origin + parsed.pathname + parsed.search;
}

async function run(ctx: ContentScriptContext): Promise<void> {
  const opener = shadowRootOpener();
  let view: BadgeView | undefined;
  let viewControl: AbortController | undefined;
  let switchedOff = false;
  const lookups = new LookupClient(ctx.signal, (ids) => view?.registry.refresh(ids));
  const card = new CardOverlay(ctx.signal);

  const stopView = () => {
    card.hide(false);
    viewControl?.abort();
    viewControl = undefined;
    view = undefined;
  };
  let config: ContentPageConfig | undefined;
  const startView = () => {
    stopView();
    if (!config?.enabled || switchedOff || ctx.isInvalid) return;
    viewControl = new AbortController();
    const signal = AbortSignal.any([ctx.signal, viewControl.signal]);
    view = new BadgeView(config, lookups, card, signal, opener);
    view.start();
  };

  const handle = (message: ContentPush): { ok: boolean } | undefined => {
    switch (message.type) {
      case 'entriesChanged':
        view?.registry.refresh(lookups.accept(message.results));
        return undefined;
      case 'stateChanged': {
        const wasReady = lookups.state?.kind === 'ready';
        lookups.state = message.state;
        if (message.state.kind === 'ready' && !wasReady) lookups.retryUnknown();
        view?.registry.refreshAll();
        return undefined;
      }
      case 'configChanged':
        config = message.config;
        startView();
        if (!view) BadgeView.reportNone();
        return undefined;
      case 'toggleBadges':
        switchedOff = !switchedOff;
        startView();
        if (!view) BadgeView.reportNone();
        return undefined;
      case 'revealId':
        return { ok: view?.reveal(message.id.toLowerCase()) ?? false };
      case 'cardClose':
        if (card.openId === message.id.toLowerCase()) card.hide(true);
        return undefined;
      case 'cardResize':
        card.resize(message.id.toLowerCase(), message.height);
        return undefined;
    }
  };
  const listener = (raw: unknown, sender: { id?: string }) => {
    if (sender.id !== browser.runtime.id) return undefined;
    const parsed = contentSchemas().push.safeParse(raw);
    if (!parsed.success) return undefined;
    const answer = handle(parsed.data);
    return answer ? Promise.resolve(answer) : undefined;
  };
  browser.runtime.onMessage.addListener(listener);
  ctx.onInvalidated(() => browser.runtime.onMessage.removeListener(listener));

  let shownPath = pathOf(location.href);
  ctx.onLocationChange((newUrl) => {
    // A new view: what the old one badged is cleared and the page scanned again. A change of
    // the fragment alone keeps the view.
    const path = pathOf(newUrl);
    if (path === shownPath) return;
    shownPath = path;
    startView();
  });

  config = await pageConfig();
  if (ctx.isValid) startView();
}

export default defineContentScript({
  matches: BUILTIN_MATCHES,
  excludeMatches: BUILTIN_EXCLUDE_MATCHES,
  allFrames: true,
  matchAboutBlank: true,
  matchOriginAsFallback: true,
  runAt: 'document_idle',
  // Badges and the card style themselves inside their own shadow roots: nothing goes into the page.
  cssInjectionMode: 'manual',
  // Nothing is posted to the page's window; script-context.ts has no DOM events either.
  noScriptStartedPostMessage: true,
  main(wxtContext) {
    // WXT constructs the context, and wxt.config.ts makes that our own class; should it ever hand
    // over its own, ours takes over (tests/e2e/adversarial.test.ts shows the page hears nothing).
    const ctx = wxtContext instanceof ContentScriptContext ? wxtContext : new ContentScriptContext('badges');
    // Compiling and loading this script is one task already; the page gets a turn before the rest.
    void yieldToPage().then(() => {
      if (ctx.isValid) return run(ctx);
    });
  },
});
