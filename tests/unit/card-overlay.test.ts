// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createBadge, focusBadge } from '@/entrypoints/badges.content/badge-element';
import { CardOverlay } from '@/entrypoints/badges.content/card-overlay';

const ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
let control: AbortController;

function cardHost(): HTMLElement | null {
  return document.querySelector('[data-mca-card]');
}

beforeEach(() => {
  fakeBrowser.reset();
  control = new AbortController();
});

afterEach(() => {
  control.abort();
  document.body.replaceChildren();
  vi.useRealTimers();
});

describe('CardOverlay', () => {
  it('opens one reused card after the hover delay and closes it when the pointer leaves', () => {
    vi.useFakeTimers();
    const card = new CardOverlay(control.signal);
    const first = createBadge(ID, 'connected', 'Acme');
    const second = createBadge('00000000-0000-4000-8000-000000000002', 'archived', 'Initech');
    document.body.append(first, second);
    card.hoverIn(first, ID, 300);
    vi.advanceTimersByTime(299);
    expect(cardHost()).toBeNull();
    vi.advanceTimersByTime(1);
    expect(cardHost()!.style.getPropertyValue('display')).toBe('block');
    expect(card.openId).toBe(ID);
    card.hoverIn(second, '00000000-0000-4000-8000-000000000002', 0);
    vi.advanceTimersByTime(0);
    expect(document.querySelectorAll('[data-mca-card]')).toHaveLength(1);
    card.hoverOut();
    vi.advanceTimersByTime(1000);
    expect(cardHost()!.style.getPropertyValue('display')).toBe('none');
    expect(card.openId).toBeUndefined();
  });

  it('stays open while pinned and returns focus to the badge when closed with Escape', () => {
    vi.useFakeTimers();
    const card = new CardOverlay(control.signal);
    const badge = createBadge(ID, 'connected', 'Acme');
    document.body.append(badge);
    card.pin(badge, ID);
    card.hoverOut();
    vi.advanceTimersByTime(1000);
    expect(card.openId).toBe(ID);
    card.hide(true);
    expect(card.openId).toBeUndefined();
    expect(document.activeElement).toBe(badge);
  });

  it('does not reopen for the focus it gives back on closing, however late that focus event comes', () => {
    const card = new CardOverlay(control.signal);
    const badge = createBadge(ID, 'connected', 'Acme');
    const elsewhere = document.createElement('button');
    document.body.append(badge, elsewhere);
    card.pin(badge, ID);
    // Focus is in the card (another element here), and Escape there closes it.
    elsewhere.focus();
    card.hide(true);
    expect(document.activeElement).toBe(badge);
    // The badge's focus event, delivered after the close (as when focus leaves the card's frame).
    card.showOnFocus(badge, ID);
    expect(card.openId).toBeUndefined();
    // The user's own next focus on it opens the card again.
    card.showOnFocus(badge, ID);
    expect(card.openId).toBe(ID);
  });

  it('keeps no mark when the badge had focus already, so focusing it later opens the card', () => {
    const card = new CardOverlay(control.signal);
    const badge = createBadge(ID, 'connected', 'Acme');
    document.body.append(badge);
    focusBadge(badge);
    card.showOnFocus(badge, ID);
    expect(card.openId).toBe(ID);
    card.hide(true);
    expect(card.openId).toBeUndefined();
    card.showOnFocus(badge, ID);
    expect(card.openId).toBe(ID);
  });

  it('is gone with the content script', () => {
    const card = new CardOverlay(control.signal);
    const badge = createBadge(ID, 'connected');
    document.body.append(badge);
    card.show(badge, ID);
    expect(cardHost()).not.toBeNull();
    control.abort();
    expect(cardHost()).toBeNull();
  });
});
