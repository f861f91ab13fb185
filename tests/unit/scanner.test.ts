// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { sendFromContent, type BadgeResult, type ContentPageConfig } from '@/utils/content-protocol';
import { badgeStatusOf } from '@/entrypoints/badges.content/badge-element';
import { BadgeView } from '@/entrypoints/badges.content/badge-view';
import { CardOverlay } from '@/entrypoints/badges.content/card-overlay';
import { LookupClient } from '@/entrypoints/badges.content/lookup-client';

vi.mock('@/utils/content-protocol', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/utils/content-protocol')>()),
  sendFromContent: vi.fn(),
}));

const CONNECTED = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const ARCHIVED = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
const FORBIDDEN = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
const UNKNOWN = '00000000-0000-4000-8000-000000000099';
const OTHER_CONNECTED = '11111111-2222-4333-8444-555555555555';

function connection(id: string, name: string) {
  return { host_organization_id: id, host_name: name };
}

/** The fake background: what the API knows. Any other ID is not connected. */
const TABLE: Record<string, BadgeResult> = {
  [CONNECTED]: { status: 'connected', connection: connection(CONNECTED, 'Acme Corp') },
  [OTHER_CONNECTED]: { status: 'connected', connection: connection(OTHER_CONNECTED, 'Globex') },
  [ARCHIVED]: { status: 'archived', connection: connection(ARCHIVED, 'Initech') },
  [FORBIDDEN]: { status: 'error', error: { kind: 'forbidden' } },
};

const CONFIG: ContentPageConfig = {
  enabled: true,
  idFieldSelectors: [],
  idAttributes: [],
  badgeLinks: true,
  hoverDelayMs: 0,
};

let control: AbortController;
let view: BadgeView;
const lookedUp: string[] = [];

function start(config: Partial<ContentPageConfig> = {}) {
  control = new AbortController();
  const lookups = new LookupClient(control.signal, (ids) => view.registry.refresh(ids));
  view = new BadgeView({ ...CONFIG, ...config }, lookups, new CardOverlay(control.signal), control.signal);
  view.start();
}

/** Puts fixture markup into the page (parsed, so the test states the page as HTML). */
function fixture(html: string): void {
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  document.body.replaceChildren(...parsed.body.childNodes);
}

function badges(root: ParentNode = document): Element[] {
  return [...root.querySelectorAll('mca-badge')];
}

/** Waits until the scan, the lookups and the drawing have run their course (nothing moved for a while). */
async function settled(): Promise<void> {
  const snapshot = () => `${badges().length}/${lookedUp.length}/${vi.mocked(sendFromContent).mock.calls.length}`;
  let last = '';
  let quiet = 0;
  while (quiet < 4) {
    await new Promise((resolve) => setTimeout(resolve, 40));
    const now = snapshot();
    quiet = now === last ? quiet + 1 : 0;
    last = now;
  }
}

beforeEach(() => {
  fakeBrowser.reset();
  lookedUp.length = 0;
  // No layout in happy-dom: badges are drawn without waiting for visibility.
  vi.stubGlobal('IntersectionObserver', undefined);
  vi.mocked(sendFromContent).mockImplementation((async (request: { type: string; ids?: string[] }) => {
    if (request.type === 'lookup') {
      lookedUp.push(...request.ids!);
      const results = Object.fromEntries(request.ids!.map((id) => [id, TABLE[id] ?? { status: 'not_connected' }]));
      return { state: { kind: 'ready' }, results };
    }
    if (request.type === 'reportIds') return { ok: true };
    throw new Error(`unexpected ${request.type}`);
  }) as typeof sendFromContent);
});

afterEach(() => {
  control.abort();
  document.body.replaceChildren();
  vi.unstubAllGlobals();
});

describe('finding IDs in the page', () => {
  it('badges known IDs right after their text, leaving the text node as it was', async () => {
    fixture(`<p id="p">Customer ${CONNECTED.toUpperCase()} is ours; ${UNKNOWN} is not.</p>`);
    const text = document.getElementById('p')!.firstChild as Text;
    const before = text.data;
    start();
    await settled();
    const [badge] = badges();
    expect(badges()).toHaveLength(1);
    expect(badge!.getAttribute('data-mca-org-id')).toBe(CONNECTED);
    expect(badgeStatusOf(badge!)).toBe('connected');
    expect(badge!.previousSibling).toBe(text);
    expect(text.data).toBe(before);
    expect(document.getElementById('p')!.childNodes).toHaveLength(2);
  });

  it('shows archived and ID-specific errors, and nothing for IDs the API does not know', async () => {
    fixture(`<ul><li>${ARCHIVED}</li><li>${FORBIDDEN}</li><li>${UNKNOWN}</li></ul>`);
    start();
    await settled();
    expect(badges().map((b) => [b.getAttribute('data-mca-org-id'), badgeStatusOf(b)])).toEqual([
      [ARCHIVED, 'archived'],
      [FORBIDDEN, 'forbidden'],
    ]);
  });

  it('matches an ID split across inline elements and puts one badge after its last piece', async () => {
    const [a, b] = [CONNECTED.slice(0, 14), CONNECTED.slice(14)];
    fixture(`<div id="d"><span>${a}</span><wbr><b id="tail">${b}</b> end</div>`);
    start();
    await settled();
    expect(badges()).toHaveLength(1);
    expect(badges()[0]!.parentElement!.id).toBe('tail');
  });

  it('joins an ID split into several pieces, and not a longer token split the same way', async () => {
    const pieces = [CONNECTED.slice(0, 9), CONNECTED.slice(9, 13), CONNECTED.slice(13, 19), CONNECTED.slice(19)];
    fixture(`
      <div id="split">${pieces.map((piece, i) => `<span>${piece}</span>${i === 1 ? '<wbr>' : ''}`).join('')}</div>
      <div id="longer"><span>a${ARCHIVED.slice(0, 20)}</span><span>${ARCHIVED.slice(20)}</span></div>
      <div id="glued"><span>${ARCHIVED}</span>x</div>`);
    start();
    await settled();
    expect(badges().map((b) => b.parentElement!.closest('div')!.id)).toEqual(['split']);
  });

  it('does not glue an ID to text beyond a block between them, even an empty one', async () => {
    fixture(`<div>${CONNECTED[0]}<span>${CONNECTED.slice(1)}</span><div></div><code>${ARCHIVED[0]}</code><wbr>${ARCHIVED.slice(1)}<p></p></div>`);
    start();
    await settled();
    // The text and the span make one ID, <code> and the text after it another: the empty block between parts them.
    expect(badges()).toHaveLength(2);
  });

  it('does not join text across block elements into one ID', async () => {
    const [a, b] = [CONNECTED.slice(0, 14), CONNECTED.slice(14)];
    fixture(`<div>${a}</div><div>${b}</div><p>${a}<br>${b}</p>`);
    start();
    await settled();
    expect(badges()).toHaveLength(0);
  });

  it('badges IDs in link targets after the link, once when the link also shows the ID', async () => {
    fixture(`
      <a id="record" href="/lightning/r/Account/${CONNECTED}/view">Acme</a>
      <a id="both" href="https://crm.example/main.aspx?id=%7B${OTHER_CONNECTED}%7D">${OTHER_CONNECTED}</a>`);
    start();
    await settled();
    expect(document.getElementById('record')!.nextElementSibling?.getAttribute('data-mca-org-id')).toBe(CONNECTED);
    expect(badges().filter((b) => b.getAttribute('data-mca-org-id') === OTHER_CONNECTED)).toHaveLength(1);
  });

  it('gives a row one badge per organization: after the ID its row shows, not after its link too', async () => {
    const link = (id: string) => `<a href="/lightning/r/Account/${id}/view">Account</a>`;
    fixture(`
      <table><tbody>
        <tr id="shown"><td>${link(CONNECTED)}</td><td><span>${CONNECTED}</span></td></tr>
        <tr id="link-only"><td>${link(ARCHIVED)}</td><td>Archived</td></tr>
        <tr id="hidden-copy"><td>${link(OTHER_CONNECTED)}</td><td hidden>${OTHER_CONNECTED}</td></tr>
      </tbody></table>
      <ul><li id="item">${link(ARCHIVED)} archived as ${ARCHIVED.toUpperCase()}</li></ul>
      <div role="grid"><div role="row" id="grid-row">
        <div role="gridcell">${link(CONNECTED)}</div><div role="gridcell">${CONNECTED}</div>
      </div></div>
      <p id="parent">${link(OTHER_CONNECTED)} (${OTHER_CONNECTED})</p>`);
    start();
    await settled();
    const inRow = (id: string) => badges(document.getElementById(id)!).map((b) => [b.getAttribute('data-mca-org-id'), b.previousSibling?.nodeName]);
    expect(inRow('shown')).toEqual([[CONNECTED, '#text']]);
    expect(inRow('link-only')).toEqual([[ARCHIVED, 'A']]);
    // Text no one reads is not the row showing the ID: the link keeps its badge.
    expect(inRow('hidden-copy')).toEqual([[OTHER_CONNECTED, 'A']]);
    expect(inRow('item')).toEqual([[ARCHIVED, '#text']]);
    expect(inRow('grid-row')).toEqual([[CONNECTED, '#text']]);
    expect(inRow('parent')).toEqual([[OTHER_CONNECTED, '#text']]);
  });

  it('gives a row one badge when its link and its ID are in components of their own', async () => {
    fixture(`<table><tbody><tr id="row"><td><x-record-link></x-record-link></td><td><x-formatted-text></x-formatted-text></td></tr></tbody></table>`);
    // Like Lightning's data table: each cell a component, the ID bare text at its shadow root's top.
    const linkRoot = document.querySelector('x-record-link')!.attachShadow({ mode: 'open' });
    const link = Object.assign(document.createElement('a'), { href: `/lightning/r/Account/${CONNECTED}/view`, textContent: 'Acme' });
    linkRoot.append(link);
    const textRoot = document.querySelector('x-formatted-text')!.attachShadow({ mode: 'open' });
    textRoot.append(CONNECTED);
    start();
    await settled();
    expect(badges(linkRoot)).toHaveLength(0);
    expect(badges(textRoot)).toHaveLength(1);
    expect(badges(textRoot)[0]!.previousSibling).toBe(textRoot.firstChild);
  });

  it('leaves links alone when link badges are off', async () => {
    fixture(`<a href="/r/${CONNECTED}/view">Acme</a>`);
    start({ badgeLinks: false });
    await settled();
    expect(badges()).toHaveLength(0);
  });

  it('skips form controls, editors, code, templates and hidden content', async () => {
    fixture(`
      <input value="${CONNECTED}"><textarea>${CONNECTED}</textarea>
      <select><option>${CONNECTED}</option></select>
      <div contenteditable="true"><p>${CONNECTED}</p></div>
      <div role="textbox">${CONNECTED}</div>
      <script type="text/plain">${CONNECTED}</script><style>/* ${CONNECTED} */</style>
      <template><p>${CONNECTED}</p></template>
      <div hidden><p>${CONNECTED}</p></div>
      <noscript>${CONNECTED}</noscript>
      <div data-mca-ignore>${CONNECTED}</div>`);
    start();
    await settled();
    expect(badges()).toHaveLength(0);
  });

  it('searches open shadow roots and badges inside them', async () => {
    const host = document.createElement('crm-card');
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.append(Object.assign(document.createElement('p'), { id: 'inner', textContent: `Org ${CONNECTED}` }));
    document.body.append(host);
    start();
    await settled();
    expect(badges(shadow)).toHaveLength(1);
    expect(badges(shadow)[0]!.previousSibling).toBe(shadow.getElementById('inner')!.firstChild);
  });

  it('shows "not connected" and "looking up" only in fields a site rule names', async () => {
    fixture(`<div class="org-field"><span>${UNKNOWN}</span></div><p>${UNKNOWN}</p>`);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const answer = vi.mocked(sendFromContent).getMockImplementation()!;
    vi.mocked(sendFromContent).mockImplementation((async (request: Parameters<typeof sendFromContent>[0]) => {
      if (request.type === 'lookup') await gate;
      return answer(request);
    }) as typeof sendFromContent);
    start({ idFieldSelectors: ['.org-field', 'not a [valid selector'] });
    await vi.waitFor(() => expect(badges()).toHaveLength(1));
    expect(badgeStatusOf(badges()[0]!)).toBe('loading');
    release();
    await vi.waitFor(() => expect(badgeStatusOf(badges()[0]!)).toBe('not-connected'));
    expect(badges()[0]!.closest('.org-field')).not.toBeNull();
    expect(badges()).toHaveLength(1);
  });

  it('reads IDs from attributes a site rule names', async () => {
    fixture(`<span id="chip" data-org="${UNKNOWN}">Chip</span>`);
    start({ idAttributes: ['data-org'] });
    await settled();
    expect(document.getElementById('chip')!.nextElementSibling?.getAttribute('data-mca-org-id')).toBe(UNKNOWN);
  });

  it('asks about each ID once, however often it appears', async () => {
    fixture(`<p>${CONNECTED}</p><p>${CONNECTED}</p><p>${CONNECTED.toUpperCase()}</p>`);
    start();
    await settled();
    expect(badges()).toHaveLength(3);
    expect(lookedUp).toEqual([CONNECTED]);
  });
});

describe('following changes', () => {
  it('badges added rows and forgets removed ones, with no duplicates', async () => {
    fixture(`<table><tbody id="rows"><tr><td>${CONNECTED}</td></tr></tbody></table>`);
    start();
    await settled();
    const rows = document.getElementById('rows')!;
    const row = document.createElement('tr');
    row.append(Object.assign(document.createElement('td'), { textContent: ARCHIVED }));
    rows.append(row);
    await vi.waitFor(() => expect(badges()).toHaveLength(2));
    rows.firstElementChild!.remove();
    // Moving a badged row (a sort) must not badge it twice.
    rows.prepend(row);
    rows.append(row);
    await settled();
    expect(badges().map((b) => b.getAttribute('data-mca-org-id'))).toEqual([ARCHIVED]);
    expect(view.registry.ids()).toEqual([ARCHIVED]);
  });

  it('follows a text node a framework reuses for another ID', async () => {
    fixture(`<p id="p">${CONNECTED}</p>`);
    start();
    await settled();
    const text = document.getElementById('p')!.firstChild as Text;
    text.data = OTHER_CONNECTED;
    await vi.waitFor(() => expect(badges()[0]?.getAttribute('data-mca-org-id')).toBe(OTHER_CONNECTED));
    expect(badges()).toHaveLength(1);
    text.data = 'no ID any more';
    await vi.waitFor(() => expect(badges()).toHaveLength(0));
  });

  it('removes the badge of a text node the page replaced', async () => {
    fixture(`<p id="p">${CONNECTED}</p>`);
    start();
    await settled();
    const p = document.getElementById('p')!;
    p.replaceChild(document.createTextNode(ARCHIVED), p.firstChild!);
    await vi.waitFor(() => expect(badges().map((b) => b.getAttribute('data-mca-org-id'))).toEqual([ARCHIVED]));
    expect(p.firstChild?.nextSibling).toBe(badges()[0]);
  });

  it('removes every badge when the view ends', async () => {
    fixture(`<p>${CONNECTED}</p>`);
    start();
    await settled();
    control.abort();
    expect(badges()).toHaveLength(0);
    document.body.insertAdjacentText('beforeend', ARCHIVED);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(badges()).toHaveLength(0);
  });

  it('updates badges when the background pushes new answers', async () => {
    fixture(`<p>${UNKNOWN}</p>`);
    const lookups = new LookupClient(new AbortController().signal, () => undefined);
    control = new AbortController();
    view = new BadgeView(CONFIG, lookups, new CardOverlay(control.signal), control.signal);
    view.start();
    await settled();
    expect(badges()).toHaveLength(0);
    view.registry.refresh(lookups.accept({ [UNKNOWN]: { status: 'disconnected', connection: connection(UNKNOWN, 'Late Inc') } }));
    await vi.waitFor(() => expect(badges()).toHaveLength(1));
    expect(badgeStatusOf(badges()[0]!)).toBe('disconnected');
  });
});
