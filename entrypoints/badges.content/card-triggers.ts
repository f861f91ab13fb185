import { ownBadgeId } from './badge-element';
import type { CardOverlay } from './card-overlay';
import type { BadgeRegistry } from './badge-registry';

interface TriggerOptions {
  card: CardOverlay;
  registry: BadgeRegistry;
  hoverDelayMs: number;
  signal: AbortSignal;
}

interface Target {
  badge: Element;
  id: string;
}

/** The card triggers of one view; the document and each shadow root are added as the scan finds them. */
export interface CardTriggers {
  listenIn(root: Document | ShadowRoot): void;
}

/** The first badge of ours in the path: a page's element of the same name is not one. */
function badgeInPath(path: EventTarget[]): Target | undefined {
  for (const node of path) {
    const id = ownBadgeId(node);
    if (id) return { badge: node as Element, id };
  }
  return undefined;
}

/**
 * Hover (badge or ID text, after the delay), focus (badge, or the ID's own element) and click open
 * the card; Escape closes it and returns focus to the badge. Only events the browser made count (`isTrusted`): a page's script
 * can dispatch look-alikes but not open, pin or focus the card with them.
 *
 * Listeners sit in the capture phase, so the page never sees a click meant for a badge. Every
 * trigger is heard in the document and in every shadow root the scan found: moving between two
 * nodes of one shadow tree, the related target retargets to the tree's host and the browser stops
 * a pointer or focus event at that shadow root; and a badge inside a closed root is in the path
 * only for listeners inside it. One event is then heard more than once, outermost listener first;
 * an inner one sees at least as much of the path. A badge found acts once; no badge only schedules
 * closing (hover and focus: the card's hide delay; a click on a pinned card: the next task), which a
 * badge found further in cancels.
 */
export function wireCardTriggers({ card, registry, hoverDelayMs, signal }: TriggerOptions): CardTriggers {
  const acted = new WeakSet<Event>();
  const closing = new WeakSet<Event>();
  const options = { capture: true, signal };
  const inCard = (path: EventTarget[]) => path.some((node) => card.isCard(node));

  const hitTarget = (node: EventTarget | undefined): Target | undefined => {
    const hit = node instanceof Element ? registry.hitAt(node) : undefined;
    return hit?.badge ? { badge: hit.badge, id: hit.id } : undefined;
  };

  /** The badge, or the ID's own text the pointer is over (anywhere in the path). */
  const hoverTarget = (path: EventTarget[]): Target | undefined => {
    const badge = badgeInPath(path);
    if (badge) return badge;
    for (const node of path) {
      const target = hitTarget(node);
      if (target) return target;
    }
    return undefined;
  };

  /**
   * The badge, or the element holding the ID itself when that takes focus: a grid cell, which a
   * grid's own keyboard moves to where Tab never reaches the badge inside it.
   */
  const focusTarget = (path: EventTarget[]): Target | undefined => badgeInPath(path) ?? hitTarget(path[0]);

  /** A listener: `handle` gets each event the browser made that no listener acted on yet, and says whether it acted. */
  const heard = (handle: (event: Event, path: EventTarget[]) => boolean) => (event: Event) => {
    if (!event.isTrusted || acted.has(event)) return;
    if (handle(event, event.composedPath())) acted.add(event);
  };

  /** A click on no badge closes a pinned card, once every listener had the chance to find one. */
  const closeUnlessActed = (event: Event) => {
    if (closing.has(event)) return;
    closing.add(event);
    setTimeout(() => {
      if (!acted.has(event) && card.isPinned) card.hide(false);
    }, 0);
  };

  /**
   * Moves focus into the card once the key's event is over: Firefox keeps focus out of a frame of
   * another process (the card is an extension page) while a keydown listener runs.
   */
  const focusCardAfterKey = (badge: Element) =>
    setTimeout(() => {
      if (card.isOpenFor(badge)) card.focusCard();
    }, 0);

  const onPointerOver = heard((_event, path) => {
    if (inCard(path)) {
      card.cancelHide();
      return true;
    }
    const target = hoverTarget(path);
    if (!target) {
      card.hoverOut();
      return false;
    }
    card.hoverIn(target.badge, target.id, hoverDelayMs);
    return true;
  });

  const onFocusIn = heard((_event, path) => {
    if (inCard(path)) return true;
    const target = focusTarget(path);
    if (!target) {
      card.hoverOut();
      return false;
    }
    card.showOnFocus(target.badge, target.id);
    return true;
  });

  const onClick = heard((event, path) => {
    const target = badgeInPath(path);
    if (target) {
      // A badge inside a link must not follow it, and the page's handlers have no business with it.
      event.preventDefault();
      event.stopPropagation();
      if (card.isPinned && card.isOpenFor(target.badge)) card.hide(true);
      else card.pin(target.badge, target.id);
      return true;
    }
    if (inCard(path)) return true;
    if (card.isPinned) closeUnlessActed(event);
    return false;
  });

  const onKeyDown = heard((event, path) => {
    const { key } = event as KeyboardEvent;
    if (key === 'Escape') {
      if (!card.openId) return false;
      card.hide(true);
      return true;
    }
    if (key !== 'Enter' && key !== ' ') return false;
    const target = badgeInPath(path);
    if (!target) return false;
    event.preventDefault();
    event.stopPropagation();
    card.pin(target.badge, target.id);
    focusCardAfterKey(target.badge);
    return true;
  });

  const listenIn = (root: Document | ShadowRoot) => {
    root.addEventListener('pointerover', onPointerOver, options);
    root.addEventListener('focusin', onFocusIn, options);
    root.addEventListener('click', onClick, options);
    root.addEventListener('keydown', onKeyDown, options);
  };

  return { listenIn };
}
