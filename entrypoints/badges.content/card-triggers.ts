import { BADGE_TAG } from './markers';
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

function badgeInPath(path: EventTarget[]): Element | undefined {
  for (const node of path) {
    if (node instanceof Element && node.localName === BADGE_TAG) return node;
  }
  return undefined;
}

/**
 * Hover (badge or ID text, after the delay), focus and click open the card; Escape closes it and
 * returns focus to the badge. Listeners sit on the document in the capture phase, so badges in
 * shadow roots are covered and the page never sees a click meant for a badge.
 */
export function wireCardTriggers({ card, registry, hoverDelayMs, signal }: TriggerOptions): void {
  const targetOf = (event: Event): Target | undefined => {
    const path = event.composedPath();
    const badge = badgeInPath(path);
    if (badge) {
      const id = badge.getAttribute('data-mca-org-id');
      return id ? { badge, id } : undefined;
    }
    for (const node of path) {
      if (!(node instanceof Element)) continue;
      const hit = registry.hitAt(node);
      if (hit?.badge) return { badge: hit.badge, id: hit.id };
    }
    return undefined;
  };
  const options = { capture: true, signal };

  document.addEventListener(
    'pointerover',
    (event) => {
      if (event.composedPath().some((node) => card.isCard(node))) {
        card.cancelHide();
        return;
      }
      const target = targetOf(event);
      if (target) card.hoverIn(target.badge, target.id, hoverDelayMs);
      else card.hoverOut();
    },
    options,
  );

  document.addEventListener(
    'focusin',
    (event) => {
      const path = event.composedPath();
      if (path.some((node) => card.isCard(node))) return;
      const badge = badgeInPath(path);
      const id = badge?.getAttribute('data-mca-org-id');
      if (badge && id) card.show(badge, id);
      else if (card.openId && !card.isPinned) card.hide(false);
    },
    options,
  );

  document.addEventListener(
    'click',
    (event) => {
      const path = event.composedPath();
      const badge = badgeInPath(path);
      const id = badge?.getAttribute('data-mca-org-id');
      if (badge && id) {
        // A badge inside a link must not follow it, and the page's handlers have no business with it.
        event.preventDefault();
        event.stopPropagation();
        if (card.isPinned && card.isOpenFor(badge)) card.hide(true);
        else card.pin(badge, id);
        return;
      }
      if (card.isPinned && !path.some((node) => card.isCard(node))) card.hide(false);
    },
    options,
  );

  document.addEventListener(
    'keydown',
    (event) => {
      if (event.key === 'Escape' && card.openId) {
        card.hide(true);
        return;
      }
      if (event.key !== 'Enter' && event.key !== ' ') return;
      const badge = badgeInPath(event.composedPath());
      const id = badge?.getAttribute('data-mca-org-id');
      if (!badge || !id) return;
      event.preventDefault();
      event.stopPropagation();
      card.pin(badge, id);
      card.focusCard();
    },
    options,
  );
}
