// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://acme.lightning.force.com/lightning/o/Account/list"}
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ContentScriptContext } from '@/entrypoints/badges.content/script-context';
import { sendFromContent, type BadgeResult, type ContentPageConfig } from '@/utils/content-protocol';
import contentScript from '@/entrypoints/badges.content/index';
import { CardOverlay } from '@/entrypoints/badges.content/card-overlay';
import { trusted } from './support/trusted-event';

vi.mock('@/utils/content-protocol', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/utils/content-protocol')>()),
  sendFromContent: vi.fn(),
}));

const CONNECTED = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const ARCHIVED = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
const TABLE: Record<string, BadgeResult> = {
  [CONNECTED]: { status: 'connected', connection: { host_name: 'Acme Corp' } },
  [ARCHIVED]: { status: 'archived', connection: { host_name: 'Initech' } },
};
const CONFIG: ContentPageConfig = { enabled: true, idFieldSelectors: [], idAttributes: [], badgeLinks: true, hoverDelayMs: 0 };

let ctx: ContentScriptContext;
const reports: unknown[] = [];

function paragraph(text: string, id?: string): HTMLElement {
  const p = document.createElement('p');
  p.textContent = text;
  if (id) p.id = id;
  return p;
}

function badges(): Element[] {
  return [...document.querySelectorAll('mca-badge')];
}

/** An SPA route change, as the location watcher (polling where the Navigation API is missing) sees it. */
function navigate(path: string): void {
  history.pushState(null, '', path);
  vi.advanceTimersByTime(1000);
}

beforeEach(() => {
  fakeBrowser.reset();
  reports.length = 0;
  // The location watcher polls on an interval; the extension's own timers stay real.
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  vi.stubGlobal('IntersectionObserver', undefined);
  vi.mocked(sendFromContent).mockImplementation((async (request: { type: string; ids?: string[] }) => {
    if (request.type === 'getPageConfig') return CONFIG;
    if (request.type === 'lookup') {
      return { state: { kind: 'ready' }, results: Object.fromEntries(request.ids!.map((id) => [id, TABLE[id] ?? { status: 'not_connected' }])) };
    }
    reports.push(request);
    return { ok: true };
  }) as typeof sendFromContent);
  history.replaceState(null, '', '/lightning/o/Account/list');
  document.body.replaceChildren(paragraph(`Account ${CONNECTED}`, 'p'));
  ctx = new ContentScriptContext('badges');
  // WXT hands `main` the context it makes, which wxt.config.ts makes this one.
  contentScript.main(ctx as unknown as NonNullable<Parameters<typeof contentScript.main>[0]>);
});

afterEach(() => {
  ctx.abort();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

describe('a new view of a single-page app', () => {
  it('clears the old view at once and badges the new one exactly once', async () => {
    await vi.waitFor(() => expect(badges()).toHaveLength(1));
    const old = badges()[0]!;
    navigate('/lightning/r/Account/001/view');
    expect(old.isConnected).toBe(false);
    // The app renders the new view; the same ID stays on the page.
    document.body.append(paragraph(`Parent ${ARCHIVED}`));
    await vi.waitFor(() => expect(badges().map((b) => b.getAttribute('data-mca-org-id')).sort()).toEqual([CONNECTED, ARCHIVED].sort()));
  });

  it('leaves no observer or listener of an old view behind, however often the route changes', async () => {
    // Counted from the first view on: it begins watching before its badge shows.
    await vi.waitFor(() => expect(badges()).toHaveLength(1));
    const observed = vi.spyOn(MutationObserver.prototype, 'observe');
    const disconnected = vi.spyOn(MutationObserver.prototype, 'disconnect');
    const hoverIn = vi.spyOn(CardOverlay.prototype, 'hoverIn');
    for (let view = 1; view <= 5; view++) {
      navigate(`/lightning/r/Account/00${view}/view`);
      await vi.waitFor(() => expect(badges()).toHaveLength(1));
    }
    // Each view watched the page with one observer, and the next view began by disconnecting it.
    expect(observed).toHaveBeenCalledTimes(5);
    expect(disconnected).toHaveBeenCalledTimes(5);
    badges()[0]!.dispatchEvent(trusted(new PointerEvent('pointerover', { bubbles: true, composed: true })));
    expect(hoverIn).toHaveBeenCalledTimes(1);
  });

  it('keeps the view when only the fragment changes', async () => {
    await vi.waitFor(() => expect(badges()).toHaveLength(1));
    const badge = badges()[0]!;
    navigate('/lightning/o/Account/list#section-2');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(badges()).toEqual([badge]);
  });

  it('reports the new view in full, replacing what the old one reported', async () => {
    await vi.waitFor(() => expect(reports).toContainEqual({ type: 'reportIds', ids: [CONNECTED] }));
    document.getElementById('p')!.textContent = 'Account gone';
    navigate('/lightning/r/Account/002/view');
    await vi.waitFor(() => expect(reports.at(-1)).toEqual({ type: 'reportIds', ids: [] }));
  });
});
