import { findIds, MIN_ID_LENGTH, pieceAt } from '@/utils/find-ids';
import { BADGE_TAG, CARD_TAG, isOwnNode } from './markers';
import type { SliceClock } from './time-slicing';

/** An ID found on the page and the node a badge for it goes after. */
export interface Hit {
  id: string;
  /** The text node the ID ends in, or the element (link, site-rule attribute) that holds it. */
  anchor: Text | Element;
  /** In a field a site rule marks as holding organization IDs: there "not connected" shows too. */
  inIdField: boolean;
}

/** Where nobody reads content or somebody is typing: never scanned. */
const EXCLUDED = [
  'script',
  'style',
  'template',
  'textarea',
  'select',
  'option',
  'input',
  'svg',
  'canvas',
  'noscript',
  '[hidden]',
  '[contenteditable]:not([contenteditable="false"])',
  '[role="textbox"]',
  '[data-mca-ignore]',
  BADGE_TAG,
  CARD_TAG,
].join(',');

/** Inline elements an ID may run across (`1234<wbr>5678`, a highlight span); any other element ends a run. */
export const INLINE = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'cite', 'code', 'data', 'dfn', 'em', 'font', 'i', 'kbd', 'mark', 'q', 's',
  'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'tt', 'u', 'var', 'wbr',
]);

export interface ScanRules {
  /** Site-rule selectors, already checked to parse. */
  idFieldSelector?: string;
  /** `[attr]` selectors for the site-rule attributes. */
  idAttributeSelector?: string;
  idAttributes: readonly string[];
  badgeLinks: boolean;
}

export interface ScanSink {
  /**
   * The hits anchored at `anchor` now. In reconcile mode it is called for every node looked at,
   * with an empty list where nothing is left, so stale badges go.
   */
  found(anchor: Text | Element, hits: Hit[]): void;
  shadowRoot(root: ShadowRoot): void;
}

export interface ScanOptions {
  rules: ScanRules;
  sink: ScanSink;
  /** Report nodes without hits too (a rescan of something already badged). */
  reconcile: boolean;
  clock: SliceClock;
  signal: AbortSignal;
  /** Closed shadow roots, where the browser lets extensions see them. */
  openOrClosedShadowRoot?: (element: Element) => ShadowRoot | null;
}

function isInline(node: Node | null): boolean {
  return !!node && node.nodeType === Node.ELEMENT_NODE && INLINE.has((node as Element).localName);
}

/** The element a run of inline text belongs to. */
function blockOf(text: Text): Node | null {
  let node = text.parentNode;
  while (node && isInline(node)) node = node.parentNode;
  return node;
}

/** Whether `next` continues the inline run that `previous` (the text node before it) is in. */
function continuesRun(previous: Text, previousBlock: Node | null, next: Text, nextBlock: Node | null): boolean {
  if (previousBlock !== nextBlock) return false;
  const before = next.previousSibling;
  if (before === previous) return true;
  if (before) return isInline(before);
  return isInline(next.parentNode);
}

function isShown(element: Element): boolean {
  return typeof element.checkVisibility === 'function' ? element.checkVisibility() : true;
}

/** Whether text in `element` is content a person reads, not code, a form control, an editor or hidden. */
export function isReadableContent(element: Element | null): boolean {
  if (!element) return true;
  if (element.closest(EXCLUDED)) return false;
  if ((element as HTMLElement).isContentEditable) return false;
  return isShown(element);
}

function inField(element: Element | null, rules: ScanRules): boolean {
  return !!element && !!rules.idFieldSelector && !!element.closest(rules.idFieldSelector);
}

/** IDs in a link target, decoding percent escapes so `%7B…%7D` does not glue hex onto the ID. */
function idsInHref(href: string): string[] {
  const decoded = href.includes('%') ? href.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : href;
  return [...new Set(findIds(decoded).map((m) => m.id))];
}

function isHexOrDash(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70) || code === 45;
}

/** Letters, digits, `_` and `-`: glued to an ID, they make it part of a longer token. */
function isTokenChar(code: number | undefined): boolean {
  if (code === undefined) return false;
  return isHexOrDash(code) || (code >= 103 && code <= 122) || (code >= 71 && code <= 90) || code === 95;
}

function leadingHex(text: string): number {
  let i = 0;
  while (i < text.length && isHexOrDash(text.charCodeAt(i))) i++;
  return i;
}

function trailingHex(text: string): number {
  let i = text.length;
  while (i > 0 && isHexOrDash(text.charCodeAt(i - 1))) i--;
  return text.length - i;
}

/** Whether two text nodes, one after the other, read as one piece of inline text. */
function adjacentInline(previous: Text, next: Text): boolean {
  const block = blockOf(previous);
  return block === blockOf(next) && continuesRun(previous, block, next, block);
}

/**
 * Matches one run of inline text nodes as one string and reports hits per node. `before` and
 * `after` are the text nodes around the run: an ID glued to their text is part of a longer token.
 */
function flushRun(nodes: Text[], before: Text | null, after: Text | null, options: ScanOptions): void {
  const { sink, rules, reconcile } = options;
  let text: string;
  let starts: number[] | undefined;
  if (nodes.length === 1) {
    text = nodes[0]!.data;
  } else {
    starts = [];
    text = '';
    for (const node of nodes) {
      starts.push(text.length);
      text += node.data;
    }
  }
  const matches = text.length >= MIN_ID_LENGTH ? findIds(text) : [];
  if (matches.length === 0) {
    if (reconcile) for (const node of nodes) sink.found(node, []);
    return;
  }
  const byNode = new Map<Text, Hit[]>();
  for (const match of matches) {
    const first = starts ? nodes[pieceAt(starts, match.start)]! : nodes[0]!;
    const last = starts ? nodes[pieceAt(starts, match.end - 1)]! : nodes[0]!;
    if (match.start === 0 && before && isTokenChar(before.data.charCodeAt(before.data.length - 1)) && adjacentInline(before, first)) continue;
    if (match.end === text.length && after && isTokenChar(after.data.charCodeAt(0)) && adjacentInline(last, after)) continue;
    const element = first.parentElement;
    if (!isReadableContent(element)) continue;
    const hits = byNode.get(last) ?? [];
    hits.push({ id: match.id, anchor: last, inIdField: inField(element, rules) });
    byNode.set(last, hits);
  }
  if (reconcile) for (const node of nodes) sink.found(node, byNode.get(node) ?? []);
  else for (const [node, hits] of byNode) sink.found(node, hits);
}

/**
 * Walks the text nodes once, like a bare TreeWalker pass. Neighbouring nodes are joined into one
 * run only where an ID could cross the boundary (hex digits on both sides, enough of them): the
 * common case touches nothing but the text itself.
 */
async function scanText(root: Node, options: ScanOptions): Promise<boolean> {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let run: Text[] = [];
  let before: Text | null = null;
  let tail = 0;
  let count = 0;
  for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
    const data = node.data;
    const previous = run[run.length - 1];
    if (previous) {
      const head = tail > 0 ? leadingHex(data) : 0;
      const mayCross = head > 0 && (tail + head >= MIN_ID_LENGTH || head === data.length);
      if (mayCross && adjacentInline(previous, node)) {
        run.push(node);
        tail = head === data.length ? tail + head : trailingHex(data);
        continue;
      }
      flushRun(run, before, node, options);
      before = previous;
      run = [];
      if ((++count & 255) === 0 && options.clock.expired()) {
        if (!(await options.clock.next(options.signal))) return false;
        // The page may have moved on while we yielded; the observer reports what changed.
        if (!root.contains(node)) return true;
      }
    }
    run.push(node);
    tail = trailingHex(data);
  }
  if (run.length) flushRun(run, before, null, options);
  return true;
}

function elementsIn(root: Node, selector: string): Element[] {
  const found: Element[] = [];
  if (root.nodeType === Node.ELEMENT_NODE && (root as Element).matches(selector)) found.push(root as Element);
  if ('querySelectorAll' in root) found.push(...(root as ParentNode).querySelectorAll(selector));
  return found;
}

/** Hits for a link: IDs in its target that its own text does not already show (those are badged there, once). */
function linkHits(link: Element, rules: ScanRules): Hit[] {
  const ids = idsInHref(link.getAttribute('href') ?? '');
  if (!ids.length) return [];
  const shown = (link.textContent ?? '').toLowerCase();
  const own = ids.filter((id) => !shown.includes(id));
  if (!own.length || !isReadableContent(link.parentElement)) return [];
  return own.map((id) => ({ id, anchor: link, inIdField: inField(link, rules) }));
}

/** Hits for an element carrying site-rule attributes: the rule says they hold organization IDs. */
function attributeHits(element: Element, rules: ScanRules): Hit[] {
  const ids = new Set<string>();
  for (const name of rules.idAttributes) {
    const value = element.getAttribute(name);
    if (value) for (const match of findIds(value)) ids.add(match.id);
  }
  if (!ids.size || !isReadableContent(element.parentElement)) return [];
  return [...ids].map((id) => ({ id, anchor: element, inIdField: true }));
}

/** Records links and site-rule attributes that name IDs. */
async function scanElements(root: Node, options: ScanOptions): Promise<boolean> {
  const { rules, sink, reconcile, clock, signal } = options;
  const passes: [string | undefined, (element: Element, rules: ScanRules) => Hit[]][] = [
    [rules.badgeLinks ? 'a[href]' : undefined, linkHits],
    [rules.idAttributeSelector, attributeHits],
  ];
  for (const [selector, hitsOf] of passes) {
    if (!selector) continue;
    let count = 0;
    for (const element of elementsIn(root, selector)) {
      const hits = hitsOf(element, rules);
      if (hits.length || reconcile) sink.found(element, hits);
      if ((++count & 63) === 0 && clock.expired() && !(await clock.next(signal))) return false;
    }
  }
  return true;
}

/** Finds shadow roots under `root` (open ones, and closed ones where the browser shows them to extensions). */
export async function scanShadowHosts(root: Node, options: ScanOptions): Promise<boolean> {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
  let count = 0;
  for (let node: Node | null = walker.currentNode; node; node = walker.nextNode()) {
    if (node.nodeType !== Node.ELEMENT_NODE) continue;
    const element = node as Element;
    if (isOwnNode(element)) continue;
    const shadow =
      element.shadowRoot ?? (element.localName.includes('-') ? (options.openOrClosedShadowRoot?.(element) ?? null) : null);
    if (shadow) options.sink.shadowRoot(shadow);
    if ((++count & 255) === 0 && options.clock.expired()) {
      if (!(await options.clock.next(options.signal))) return false;
      if (!root.contains(element)) return true;
    }
  }
  return true;
}

/**
 * Finds the IDs in `root` (a document, shadow root or element): text first, in slices that yield
 * to the page, then links and site-rule attributes. Resolves false when aborted.
 */
export async function scanSubtree(root: Node, options: ScanOptions): Promise<boolean> {
  if (root.nodeType === Node.TEXT_NODE) {
    flushRun([root as Text], null, null, options);
    return true;
  }
  if (!(await scanText(root, options))) return false;
  return scanElements(root, options);
}
