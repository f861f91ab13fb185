// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createBadge } from '@/entrypoints/badges.content/badge-element';
import type { BadgeRegistry } from '@/entrypoints/badges.content/badge-registry';
import { CardOverlay } from '@/entrypoints/badges.content/card-overlay';
import { wireCardTriggers, type CardTriggers } from '@/entrypoints/badges.content/card-triggers';
import { closedRootsHidden } from './support/closed-shadow-path';
import { trusted } from './support/trusted-event';

const ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const OTHER = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

let control: AbortController;
let card: CardOverlay;
let triggers: CardTriggers;

/** No ID text to hover in these tests: only badges. */
const noHits = { hitAt: () => undefined } as unknown as BadgeRegistry;

beforeEach(() => {
  fakeBrowser.reset();
  control = new AbortController();
  card = new CardOverlay(control.signal);
  triggers = wireCardTriggers({ card, registry: noHits, hoverDelayMs: 0, signal: control.signal });
  triggers.listenIn(document);
});

afterEach(() => {
  control.abort();
  document.body.replaceChildren();
  vi.restoreAllMocks();
});

/** A component with an open shadow root holding a button and one of our badges. */
function component() {
  const host = document.createElement('crm-row');
  const root = host.attachShadow({ mode: 'open' });
  const button = document.createElement('button');
  const badge = createBadge(ID, 'connected', 'Acme');
  root.append(button, badge);
  document.body.append(host);
  return { host, root, button, badge };
}

// Moving between two nodes of one shadow tree, the browser stops a pointer or focus event at that
// shadow root (its related target retargets to the host). A non-composed event takes the same path.
function insideTree(type: 'pointerover' | 'focusin', target: Element, relatedTarget: Element) {
  const Kind = type === 'pointerover' ? PointerEvent : FocusEvent;
  target.dispatchEvent(trusted(new Kind(type, { bubbles: true, composed: false, relatedTarget })));
}

describe('card triggers', () => {
  it('hear a pointer and focus that stay inside a shadow tree once its root is listened in', () => {
    const { root, button, badge } = component();
    const hoverIn = vi.spyOn(card, 'hoverIn');
    const show = vi.spyOn(card, 'show');
    insideTree('pointerover', badge, button);
    insideTree('focusin', badge, button);
    expect(hoverIn).not.toHaveBeenCalled();
    expect(show).not.toHaveBeenCalled();

    triggers.listenIn(root);
    insideTree('pointerover', badge, button);
    expect(hoverIn).toHaveBeenCalledExactlyOnceWith(badge, ID, 0);
    insideTree('focusin', badge, button);
    expect(show).toHaveBeenCalledExactlyOnceWith(badge, ID);
  });

  it('act once on an event heard in the document and in a shadow root', () => {
    const { root, badge } = component();
    triggers.listenIn(root);
    const hoverIn = vi.spyOn(card, 'hoverIn');
    badge.dispatchEvent(trusted(new PointerEvent('pointerover', { bubbles: true, composed: true, relatedTarget: document.body })));
    expect(hoverIn).toHaveBeenCalledTimes(1);
  });

  it('close the card when the pointer moves on inside the tree, and switch it to another badge', () => {
    vi.useFakeTimers();
    const { root, button, badge } = component();
    const second = createBadge(OTHER, 'archived', 'Initech');
    root.append(second);
    triggers.listenIn(root);
    insideTree('pointerover', badge, button);
    vi.advanceTimersByTime(0);
    expect(card.openId).toBe(ID);
    insideTree('pointerover', second, badge);
    vi.advanceTimersByTime(0);
    expect(card.openId).toBe(OTHER);
    insideTree('pointerover', button, second);
    vi.advanceTimersByTime(1000);
    expect(card.openId).toBeUndefined();
    vi.useRealTimers();
  });

  it("open when the element holding the ID takes focus, as a grid's keyboard moves it, and not for its row", () => {
    const row = document.createElement('div');
    row.setAttribute('role', 'row');
    row.tabIndex = -1;
    const cell = document.createElement('div');
    cell.setAttribute('role', 'gridcell');
    cell.tabIndex = -1;
    const badge = createBadge(ID, 'connected', 'Acme');
    cell.append(ID, badge);
    row.append(cell);
    document.body.append(row);
    // The scan found the ID's text in the cell.
    const registry = { hitAt: (element: Element) => (element === cell ? { id: ID, badge } : undefined) } as unknown as BadgeRegistry;
    wireCardTriggers({ card, registry, hoverDelayMs: 0, signal: control.signal }).listenIn(document);
    const show = vi.spyOn(card, 'show');
    row.dispatchEvent(trusted(new FocusEvent('focusin', { bubbles: true, composed: true })));
    expect(show).not.toHaveBeenCalled();
    cell.dispatchEvent(trusted(new FocusEvent('focusin', { bubbles: true, composed: true })));
    expect(show).toHaveBeenCalledExactlyOnceWith(badge, ID);
  });

  it('ignore events a script made, even on our own badge', () => {
    const { badge } = component();
    document.body.append(badge);
    const show = vi.spyOn(card, 'show');
    const hoverIn = vi.spyOn(card, 'hoverIn');
    badge.dispatchEvent(new PointerEvent('pointerover', { bubbles: true, composed: true }));
    badge.dispatchEvent(new FocusEvent('focusin', { bubbles: true, composed: true }));
    const click = new MouseEvent('click', { bubbles: true, composed: true, cancelable: true });
    badge.dispatchEvent(click);
    badge.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    expect(hoverIn).not.toHaveBeenCalled();
    expect(show).not.toHaveBeenCalled();
    expect(click.defaultPrevented).toBe(false);
    expect(card.openId).toBeUndefined();
  });

  it('ignore a badge the page made itself, whatever events reach it', () => {
    const forged = document.createElement('mca-badge');
    forged.setAttribute('data-mca-org-id', ID);
    document.body.append(forged);
    const show = vi.spyOn(card, 'show');
    const hoverIn = vi.spyOn(card, 'hoverIn');
    forged.dispatchEvent(trusted(new PointerEvent('pointerover', { bubbles: true, composed: true })));
    forged.dispatchEvent(trusted(new FocusEvent('focusin', { bubbles: true, composed: true })));
    const click = trusted(new MouseEvent('click', { bubbles: true, composed: true, cancelable: true }));
    forged.dispatchEvent(click);
    forged.dispatchEvent(trusted(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true })));
    expect(hoverIn).not.toHaveBeenCalled();
    expect(show).not.toHaveBeenCalled();
    expect(click.defaultPrevented).toBe(false);
    expect(card.openId).toBeUndefined();
  });

  it('pin the card on a real click on our badge, and read the ID the badge was made for', () => {
    const badge = createBadge(ID, 'connected', 'Acme');
    document.body.append(badge);
    // The page rewrites the attribute: the card still opens for the ID the badge was made for.
    badge.setAttribute('data-mca-org-id', OTHER);
    const click = trusted(new MouseEvent('click', { bubbles: true, composed: true, cancelable: true }));
    badge.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);
    expect(card.openId).toBe(ID);
    expect(card.isPinned).toBe(true);
  });

  it('act once on a click heard in the document and in a shadow root', () => {
    const { root, badge } = component();
    triggers.listenIn(root);
    const pin = vi.spyOn(card, 'pin');
    badge.dispatchEvent(trusted(new MouseEvent('click', { bubbles: true, composed: true, cancelable: true })));
    expect(pin).toHaveBeenCalledExactlyOnceWith(badge, ID);
  });
});

// A page's closed shadow root (a native component's), which the scan reaches from the extension:
// listeners outside it see the event come from its host, never the badge inside it.
describe('card triggers on a badge in a closed shadow root', () => {
  function closedComponent() {
    const host = document.createElement('crm-record');
    const root = host.attachShadow({ mode: 'closed' });
    const link = document.createElement('a');
    link.href = '/lightning/r/Account/1/view';
    const badge = createBadge(ID, 'connected', 'Acme');
    const other = createBadge(OTHER, 'archived', 'Initech');
    const button = document.createElement('button');
    link.append('Acme', badge);
    root.append(link, other, button);
    document.body.append(host);
    triggers.listenIn(root);
    return { badge, other, button };
  }

  const click = (target: Element, made = trusted) => {
    const event = closedRootsHidden(made(new MouseEvent('click', { bubbles: true, composed: true, cancelable: true })));
    target.dispatchEvent(event);
    return event;
  };
  const key = (target: Element, name: string) => {
    const event = closedRootsHidden(trusted(new KeyboardEvent('keydown', { key: name, bubbles: true, composed: true, cancelable: true })));
    target.dispatchEvent(event);
    return event;
  };

  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a click pins the card without following the link around the badge; a second click closes it', () => {
    const { badge } = closedComponent();
    expect(click(badge).defaultPrevented).toBe(true);
    expect([card.openId, card.isPinned]).toEqual([ID, true]);
    click(badge);
    vi.runAllTimers();
    expect(card.openId).toBeUndefined();
  });

  it('a click on another badge there switches the pinned card; a click on the app beside them closes it', () => {
    const { badge, other, button } = closedComponent();
    click(badge);
    click(other);
    vi.runAllTimers();
    expect([card.openId, card.isPinned]).toEqual([OTHER, true]);
    click(button);
    vi.runAllTimers();
    expect(card.openId).toBeUndefined();
  });

  it('Enter pins the card, and focus moves into it once the key is handled; Escape closes it', () => {
    const { badge } = closedComponent();
    // Not run: happy-dom's ShadowRoot.activeElement throws while focus is inside another shadow tree.
    const focusCard = vi.spyOn(card, 'focusCard').mockImplementation(() => undefined);
    expect(key(badge, 'Enter').defaultPrevented).toBe(true);
    expect([card.openId, card.isPinned]).toEqual([ID, true]);
    // Firefox keeps focus out of the card's frame while a keydown listener runs.
    expect(focusCard).not.toHaveBeenCalled();
    vi.runAllTimers();
    expect(focusCard).toHaveBeenCalledTimes(1);
    key(badge, 'Escape');
    expect(card.openId).toBeUndefined();
  });

  it('ignore a script\'s click there, and a badge the page made itself', () => {
    const { badge, button } = closedComponent();
    expect(click(badge, (event) => event).defaultPrevented).toBe(false);
    const forged = document.createElement('mca-badge');
    forged.setAttribute('data-mca-org-id', ID);
    button.append(forged);
    expect(click(forged).defaultPrevented).toBe(false);
    vi.runAllTimers();
    expect(card.openId).toBeUndefined();
  });
});

