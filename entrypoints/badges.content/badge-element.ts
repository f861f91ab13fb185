import type { BadgeStatus } from '@/utils/badge-status';
import { t } from '@/utils/i18n';
import { BADGE_TAG } from './markers';

const SVG_NS = 'http://www.w3.org/2000/svg';

// Each status has its own shape as well as its own colour, so it reads without colour vision:
// [outline, inner mark].
const CIRCLE = 'M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1Z';
const SHAPES: Record<BadgeStatus, [string, string?]> = {
  connected: [CIRCLE, 'M4.6 8.3 7 10.6 11.4 5.6'],
  disconnected: [CIRCLE, 'M4.5 8h7'],
  archived: ['M3.5 1.5h9a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2h-9a2 2 0 0 1-2-2v-9a2 2 0 0 1 2-2Z', 'M4.5 6h7M4.5 9.5h7'],
  'not-connected': [CIRCLE],
  'auth-required': ['M8 .8 15.2 8 8 15.2.8 8Z', 'M8 4.5v4.2M8 11v.4'],
  forbidden: ['M5.1 1h5.8L15 5.1v5.8L10.9 15H5.1L1 10.9V5.1Z', 'M4.5 8h7'],
  error: ['M8 1 15.3 14.5H.7Z', 'M8 5.8v4.2M8 12v.4'],
  loading: [CIRCLE],
};

/** Locale key of a status: `not-connected` → `badgeStatusNotConnected`. */
function statusKey(status: BadgeStatus): string {
  return 'badgeStatus' + status.replace(/(^|-)(\w)/g, (_, _dash: string, letter: string) => letter.toUpperCase());
}

// No `contain` on the host: it would give each badge a paint layer of its own, and on a long table
// every hit test and paint of the page then went over all of them (12 times the page's own hit
// testing while scrolling 10,000 rows). A change of status changes attributes only (see drawShape).
const CSS = `
:host{all:initial!important;display:inline-block!important;position:static!important;width:14px!important;height:14px!important;margin:0 0 0 4px!important;padding:0!important;vertical-align:-2px!important;line-height:0!important;float:none!important;flex:none!important;cursor:pointer!important;visibility:visible!important;opacity:1!important}
span{display:block;width:14px;height:14px;border-radius:3px;outline:none}
span:focus-visible{outline:2px solid #0969da;outline-offset:1px}
svg{display:block;width:14px;height:14px;overflow:visible}
.shape{stroke:#fff;stroke-width:1}
.mark{fill:none;stroke:#fff;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
[data-status=connected] .shape{fill:#1a7f37}
[data-status=disconnected] .shape{fill:#bc4c00}
[data-status=archived] .shape{fill:#57606a}
[data-status=not-connected] .shape{fill:none;stroke:#6e7781;stroke-width:2;stroke-dasharray:2.4 2}
[data-status=auth-required] .shape{fill:#0969da}
[data-status=forbidden] .shape{fill:#8250df}
[data-status=error] .shape{fill:#cf222e}
[data-status=loading] .shape{fill:none;stroke:#8c959f;stroke-width:2;stroke-dasharray:1 3}
@media (prefers-color-scheme:dark){span:focus-visible{outline-color:#58a6ff}[data-status=not-connected] .shape{stroke:#8c959f}}
`;

let sharedSheet: CSSStyleSheet | undefined;

function attachStyles(root: ShadowRoot): void {
  try {
    sharedSheet ??= new CSSStyleSheet();
    if (sharedSheet.cssRules.length === 0) sharedSheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sharedSheet];
  } catch {
    const style = document.createElement('style');
    style.textContent = CSS;
    root.append(style);
  }
}

/** The element inside each badge's closed shadow root; the page cannot reach it. */
const inner = new WeakMap<Element, HTMLElement>();
/**
 * The ID of each badge host this script made. Only these open the card: a page can make an
 * element of the same name and set its attribute, but it cannot put one in this map.
 */
const ids = new WeakMap<EventTarget, string>();

function path(className: string): SVGElement {
  const element = document.createElementNS(SVG_NS, 'path');
  element.setAttribute('class', className);
  return element;
}

/**
 * Draws `status` by changing the paths' outlines only: a new element in the badge would make the
 * page lay out around it (on a 10,000-row table, 180 ms of layout), while the SVG keeps an
 * attribute change to itself.
 */
function drawShape(target: HTMLElement, status: BadgeStatus): void {
  const [outline, mark] = SHAPES[status];
  const svg = target.firstChild!;
  (svg.firstChild as Element).setAttribute('d', outline);
  const markPath = svg.lastChild as Element;
  if (mark) markPath.setAttribute('d', mark);
  else markPath.removeAttribute('d');
}

/** "MyCreditApp: connected, Acme Corp": what assistive technology reads for a badge. */
export function badgeLabel(status: BadgeStatus, hostName?: string): string {
  const statusText = t(statusKey(status));
  return hostName ? t('badgeLabelWithName', statusText, hostName) : t('badgeLabel', statusText);
}

/** Shows `status` on a badge; the host element in the page carries only the ID. */
export function setBadgeStatus(host: Element, status: BadgeStatus, hostName?: string): void {
  const element = inner.get(host);
  if (!element) return;
  if (element.dataset.status !== status) {
    element.dataset.status = status;
    drawShape(element, status);
  }
  element.setAttribute('aria-label', badgeLabel(status, hostName));
}

/** A new badge host for `id` (not yet in the page). */
export function createBadge(id: string, status: BadgeStatus, hostName?: string): HTMLElement {
  const host = document.createElement(BADGE_TAG);
  host.setAttribute('data-mca-org-id', id);
  // delegatesFocus: focusing the host (the page's or a test's `focus()`) focuses the button inside.
  const root = host.attachShadow({ mode: 'closed', delegatesFocus: true });
  attachStyles(root);
  const element = document.createElement('span');
  element.setAttribute('role', 'button');
  element.setAttribute('tabindex', '0');
  element.setAttribute('aria-haspopup', 'dialog');
  element.setAttribute('aria-expanded', 'false');
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('aria-hidden', 'true');
  svg.append(path('shape'), path('mark'));
  element.append(svg);
  root.append(element);
  inner.set(host, element);
  ids.set(host, id);
  setBadgeStatus(host, status, hostName);
  return host;
}

/** The ID of `node` if it is a badge host this script made (whatever its attributes say now). */
export function ownBadgeId(node: EventTarget): string | undefined {
  return ids.get(node);
}

/** Tells assistive technology whether the badge's card is open. */
export function setBadgeExpanded(host: Element, expanded: boolean): void {
  inner.get(host)?.setAttribute('aria-expanded', String(expanded));
}

/** Moves keyboard focus to a badge; false when it had it already, so no focus event follows. */
export function focusBadge(host: Element): boolean {
  const element = inner.get(host);
  if (!element || (element.getRootNode() as ShadowRoot).activeElement === element) return false;
  element.focus();
  return true;
}

/** Briefly highlights a badge the user asked to be shown. */
export function flashBadge(host: Element): void {
  inner.get(host)?.animate?.(
    [{ transform: 'scale(1)' }, { transform: 'scale(1.8)' }, { transform: 'scale(1)' }],
    { duration: 600, iterations: 2 },
  );
}

/** The status a badge shows, for the extension's own use. */
export function badgeStatusOf(host: Element): BadgeStatus | undefined {
  return inner.get(host)?.dataset.status as BadgeStatus | undefined;
}
