import { computePosition, flip, offset, shift } from '@floating-ui/core';
import { browser } from 'wxt/browser';
import { t } from '@/utils/i18n';
import { focusBadge, setBadgeExpanded } from './badge-element';
import { CARD_TAG } from './markers';
import { viewportPlatform } from './viewport-platform';

const WIDTH = 340;
const INITIAL_HEIGHT = 180;
const MAX_HEIGHT = 480;
const HIDE_DELAY_MS = 250;

function setStyles(element: HTMLElement, styles: Record<string, string>): void {
  for (const [name, value] of Object.entries(styles)) element.style.setProperty(name, value, 'important');
}

function cardUrl(id: string): string {
  // use_dynamic_url: the browser hands content scripts the per-session URL of the page.
  const base = (browser.runtime.getURL as (path: string) => string)('/card.html');
  return `${base}#${id}`;
}

/**
 * The one card of this frame: an extension page in an iframe inside a closed shadow root, so
 * the page can neither read nor restyle it. It is reused for every badge and follows the badge
 * with Floating UI (fixed strategy, so it stays in the viewport whatever the page scrolls).
 */
export class CardOverlay {
  private host: HTMLElement | undefined;
  private frame: HTMLIFrameElement | undefined;
  private badge: Element | undefined;
  private id: string | undefined;
  private pinned = false;
  private stopFollowing: (() => void) | undefined;
  private showTimer: ReturnType<typeof setTimeout> | undefined;
  private hideTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * The badge focus was given back to on closing. Its next focus event is that return, not the
   * user's, and must not reopen the card: it may come after `focus()` returns, when focus leaves
   * the card's frame for the page.
   */
  private focusGivenBack: Element | undefined;

  constructor(signal: AbortSignal) {
    signal.addEventListener('abort', () => this.destroy(), { once: true });
  }

  get openId(): string | undefined {
    return this.badge ? this.id : undefined;
  }

  get isPinned(): boolean {
    return this.pinned;
  }

  isCard(node: EventTarget): boolean {
    return !!this.host && node === this.host;
  }

  isOpenFor(badge: Element): boolean {
    return this.badge === badge;
  }

  /** Opens after the hover delay unless the pointer moves on first. */
  hoverIn(badge: Element, id: string, delayMs: number): void {
    this.cancelHide();
    if (this.badge === badge) return;
    clearTimeout(this.showTimer);
    this.showTimer = setTimeout(() => this.show(badge, id), delayMs);
  }

  /** Closes a little later unless the pointer reaches the card or the badge again. */
  hoverOut(): void {
    clearTimeout(this.showTimer);
    this.showTimer = undefined;
    if (!this.badge || this.pinned || this.hideTimer !== undefined) return;
    this.hideTimer = setTimeout(() => {
      this.hideTimer = undefined;
      this.hide(false);
    }, HIDE_DELAY_MS);
  }

  cancelHide(): void {
    clearTimeout(this.hideTimer);
    this.hideTimer = undefined;
  }

  show(badge: Element, id: string): void {
    clearTimeout(this.showTimer);
    this.cancelHide();
    if (!badge.isConnected) return;
    if (this.badge && this.badge !== badge) {
      setBadgeExpanded(this.badge, false);
      this.pinned = false;
    }
    const { host, frame } = this.ensureHost();
    if (this.id !== id) {
      this.id = id;
      frame.style.setProperty('height', `${INITIAL_HEIGHT}px`, 'important');
      frame.src = cardUrl(id);
    }
    this.badge = badge;
    setBadgeExpanded(badge, true);
    host.style.setProperty('display', 'block', 'important');
    this.stopFollowing?.();
    this.stopFollowing = this.follow();
  }

  /** Opens for a badge that took focus, unless that focus is the one given back on closing. */
  showOnFocus(badge: Element, id: string): void {
    const givenBack = this.focusGivenBack === badge;
    this.focusGivenBack = undefined;
    if (!givenBack) this.show(badge, id);
  }

  /** Keeps the card open until Escape, a click elsewhere or another badge. */
  pin(badge: Element, id: string): void {
    this.show(badge, id);
    this.pinned = true;
  }

  /** Moves keyboard focus into the card (its buttons and links). */
  focusCard(): void {
    this.frame?.focus();
  }

  hide(returnFocus: boolean): void {
    clearTimeout(this.showTimer);
    this.cancelHide();
    const badge = this.badge;
    this.badge = undefined;
    this.pinned = false;
    this.stopFollowing?.();
    this.stopFollowing = undefined;
    this.host?.style.setProperty('display', 'none', 'important');
    if (!badge) return;
    setBadgeExpanded(badge, false);
    if (!returnFocus || !badge.isConnected) return;
    // Marked first: the focus event may also come at once, inside `focusBadge`.
    this.focusGivenBack = badge;
    if (!focusBadge(badge)) this.focusGivenBack = undefined;
  }

  /** The card page reports its height so the frame fits it. */
  resize(id: string, height: number): void {
    if (id !== this.id || !this.frame) return;
    this.frame.style.setProperty('height', `${Math.min(Math.max(height, 40), MAX_HEIGHT)}px`, 'important');
    void this.place();
  }

  /**
   * Re-places the card while the page scrolls (any scroller: capture phase) or resizes. Floating
   * UI's autoUpdate does more than a card that closes on pointer-out needs, at a size every frame
   * of every CRM tab would pay.
   */
  private follow(): () => void {
    const control = new AbortController();
    let queued = false;
    const update = () => {
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => {
        queued = false;
        void this.place();
      });
    };
    addEventListener('scroll', update, { capture: true, passive: true, signal: control.signal });
    addEventListener('resize', update, { passive: true, signal: control.signal });
    void this.place();
    return () => control.abort();
  }

  private async place(): Promise<void> {
    const badge = this.badge;
    const host = this.host;
    if (!badge || !host) return;
    const { x, y } = await computePosition(badge, host, {
      platform: viewportPlatform,
      strategy: 'fixed',
      placement: 'bottom-start',
      middleware: [offset(6), flip({ padding: 8 }), shift({ padding: 8 })],
    });
    if (this.badge !== badge) return;
    host.style.setProperty('left', `${x}px`, 'important');
    host.style.setProperty('top', `${y}px`, 'important');
  }

  private ensureHost(): { host: HTMLElement; frame: HTMLIFrameElement } {
    if (this.host?.isConnected && this.frame) return { host: this.host, frame: this.frame };
    this.host?.remove();
    const host = document.createElement(CARD_TAG);
    host.setAttribute('data-mca-card', '');
    setStyles(host, {
      all: 'initial',
      display: 'none',
      position: 'fixed',
      left: '0',
      top: '0',
      'z-index': '2147483647',
      width: `${WIDTH}px`,
      margin: '0',
      padding: '0',
    });
    const root = host.attachShadow({ mode: 'closed' });
    const frame = document.createElement('iframe');
    frame.title = t('cardFrameTitle');
    setStyles(frame, {
      display: 'block',
      width: `${WIDTH}px`,
      height: `${INITIAL_HEIGHT}px`,
      border: '0',
      'border-radius': '10px',
      'box-shadow': '0 6px 24px rgba(0,0,0,.25)',
      background: 'transparent',
      'color-scheme': 'normal',
    });
    root.append(frame);
    // Outside <body>, so the page's layout and body-level scripts leave it alone.
    document.documentElement.append(host);
    this.host = host;
    this.frame = frame;
    this.id = undefined;
    return { host, frame };
  }

  private destroy(): void {
    this.hide(false);
    this.host?.remove();
    this.host = undefined;
    this.frame = undefined;
  }
}
