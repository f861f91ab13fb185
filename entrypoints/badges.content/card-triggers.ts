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
 * Listeners sit in the capture phase, so the page never sees a click meant for a badge. Click and
 * keydown always reach the document. Pointer and focus events need not: moving between two nodes of
 * one shadow tree, the related target retargets to the tree's host, and the browser stops the
 * event at that shadow root. So those two are heard in every shadow root the scan found as well.
 * One event is then heard more than once, outermost listener first; an inner one sees at least as
 * much of the path (a closed root shows only from inside). A badge found acts once; no badge only
 * schedules closing, which a badge found further in cancels.
 */
export function wireCardTriggers({ card, registry, hoverDelayMs, signal }: TriggerOptions): CardTriggers {
  const acted = new WeakSet<Event>();
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

  /**
   * A pointer or focus listener: `find` reads the target in the event's path; a target found acts
   * once for the event, none only schedules closing (a listener further in may still find one).
   */
  const listener =
    (find: (path: EventTarget[]) => Target | undefined, open: (target: Target) => void, overCard?: () => void) => (event: Event) => {
      if (!event.isTrusted || acted.has(event)) return;
      const path = event.composedPath();
      if (inCard(path)) {
        acted.add(event);
        overCard?.();
        return;
      }
      const target = find(path);
      if (!target) {
        card.hoverOut();
        return;
      }
      acted.add(event);
      open(target);
    };
  const onPointerOver = listener(hoverTarget, (target) => card.hoverIn(target.badge, target.id, hoverDelayMs), () => card.cancelHide());
  const onFocusIn = listener(focusTarget, (target) => card.showOnFocus(target.badge, target.id));

  const listenIn = (root: Document | ShadowRoot) => {
    root.addEventListener('pointerover', onPointerOver, options);
    root.addEventListener('focusin', onFocusIn, options);
  };

  document.addEventListener(
    'click',
    (event) => {
      if (!event.isTrusted) return;
      const path = event.composedPath();
      const target = badgeInPath(path);
      if (target) {
        // A badge inside a link must not follow it, and the page's handlers have no business with it.
        event.preventDefault();
        event.stopPropagation();
        if (card.isPinned && card.isOpenFor(target.badge)) card.hide(true);
        else card.pin(target.badge, target.id);
        return;
      }
      if (card.isPinned && !inCard(path)) card.hide(false);
    },
    options,
  );

  document.addEventListener(
    'keydown',
    (event) => {
      if (!event.isTrusted) return;
      if (event.key === 'Escape' && card.openId) {
        card.hide(true);
        return;
      }
      if (event.key !== 'Enter' && event.key !== ' ') return;
      const target = badgeInPath(event.composedPath());
      if (!target) return;
      event.preventDefault();
      event.stopPropagation();
      card.pin(target.badge, target.id);
      card.focusCard();
    },
    options,
  );

  return { listenIn };
}
