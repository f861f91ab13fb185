import { findIds, ID_IN_TEXT, MIN_ID_LENGTH, pieceAt } from '@/utils/find-ids';
import { isInline } from './inline-elements';
import { BADGE_TAG, CARD_TAG, isOwnNode } from './markers';
import { chunksOf, NativeSearch, textSpan, type Chunk } from './native-search';
import type { SliceClock } from './time-slicing';

/** An ID found on the page and the node a badge for it goes after. */
export interface Hit {
  id: string;
  /** The text node the ID ends in, or the element (link, site-rule attribute) that holds it. */
  anchor: Text | Element;
  /** In a field a site rule marks as holding organization IDs: there "not connected" shows too. */
  inIdField: boolean;
}

/** Elements whose text nobody reads as content, or somebody is typing in: never scanned. */
const EXCLUDED_TAGS = new Set([
  'script', 'style', 'template', 'textarea', 'select', 'option', 'input', 'svg', 'canvas', 'noscript', BADGE_TAG, CARD_TAG,
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
  /** The native search to use: this page's by default, none (walk every node) with null. */
  nativeSearch?: NativeSearch | null;
}

function nativeSearchFor(options: ScanOptions): NativeSearch | undefined {
  return options.nativeSearch === undefined ? NativeSearch.forThisPage() : (options.nativeSearch ?? undefined);
}

/**
 * Whether `element` itself rules its subtree out: code, a form control, an editor, `hidden`, an
 * opt-out. Attributes only, no computed style: reading style here would force the page's style and
 * layout update inside our task. Hidden by CSS is left to drawing time, where the visibility
 * observer never reports a `display: none` element as in view.
 */
function excludes(element: Element): boolean {
  if (EXCLUDED_TAGS.has(element.localName)) return true;
  if (!element.hasAttributes()) return false;
  if (element.hasAttribute('hidden') || element.hasAttribute('data-mca-ignore')) return true;
  const editable = element.getAttribute('contenteditable');
  if (editable !== null && editable !== 'false') return true;
  return element.getAttribute('role') === 'textbox';
}

/**
 * Decides readability by walking up from an element. The ancestors last found readable are kept
 * (outermost first), so the next match in the same table or list only checks what it does not
 * share with the previous one: a row and a cell, not the whole chain.
 */
export class ReadableCheck {
  private readonly known: Element[] = [];
  private readonly fresh: Element[] = [];
  /** A document in design mode is one big editor. */
  private readonly designMode = document.designMode === 'on';

  /** Whether text in `element` is content a person reads, not code, a form control, an editor or hidden. */
  readable(element: Element | null): boolean {
    if (!element) return true;
    if (this.designMode) return false;
    const fresh = this.fresh;
    fresh.length = 0;
    let shared = -1;
    for (let node: Element | null = element; node; node = node.parentElement) {
      shared = this.known.lastIndexOf(node);
      if (shared >= 0) break;
      if (excludes(node)) return false;
      fresh.push(node);
    }
    this.known.length = shared + 1;
    for (let i = fresh.length - 1; i >= 0; i--) this.known.push(fresh[i]!);
    return true;
  }
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
  if (!isHexOrDash(text.charCodeAt(0))) return 0;
  let i = 1;
  while (i < text.length && isHexOrDash(text.charCodeAt(i))) i++;
  return i;
}

function trailingHex(text: string): number {
  let i = text.length;
  while (i > 0 && isHexOrDash(text.charCodeAt(i - 1))) i--;
  return text.length - i;
}

/** One scan of a subtree: its options and what it learnt about readable ancestors. */
interface Scan extends ScanOptions {
  check: ReadableCheck;
}

/**
 * The text node next to `node` (before it, or after it) along inline content inside `root`: the
 * one neighbour an ID at the node's edge could be glued to, or a split ID run on into. Null where
 * anything but an inline element comes first: a block (even an empty one, or a `<br>`), the edge
 * of a block, a comment, or `root`. Looking outward from the node, an ID alone in its cell costs a
 * look at the cell and nothing else.
 */
function inlineNeighbour(node: Node, root: Node, before: boolean): Text | null {
  if (node === root) return null;
  let current = node;
  for (;;) {
    let sibling = before ? current.previousSibling : current.nextSibling;
    while (!sibling) {
      const parent = current.parentNode;
      if (!parent || parent === root || !isInline(parent)) return null;
      current = parent;
      sibling = before ? current.previousSibling : current.nextSibling;
    }
    current = sibling;
    for (;;) {
      if (current.nodeType === Node.TEXT_NODE) return current as Text;
      if (!isInline(current)) return null;
      const inner = before ? current.lastChild : current.firstChild;
      if (!inner) break;
      current = inner;
    }
  }
}

/**
 * Whether an ID at the start (or end) of the text from `node` is glued to the text next to it
 * along inline content inside `root`; then it is part of a longer token.
 */
function glued(node: Text, root: Node, before: boolean): boolean {
  const neighbour = inlineNeighbour(node, root, before);
  return !!neighbour && isTokenChar(neighbour.data.charCodeAt(before ? neighbour.data.length - 1 : 0));
}

/** Matches one text node standing alone: no joined string, no offsets to map. */
function flushNode(node: Text, scan: Scan, root: Node): void {
  const text = node.data;
  let hits: Hit[] | undefined;
  // The pattern straight, not findIds: no list or offsets object per match on the hottest path.
  ID_IN_TEXT.lastIndex = 0;
  for (let match = ID_IN_TEXT.exec(text); match; match = ID_IN_TEXT.exec(text)) {
    if (match.index === 0 && glued(node, root, true)) continue;
    if (match.index + MIN_ID_LENGTH === text.length && glued(node, root, false)) continue;
    const element = node.parentElement;
    if (!scan.check.readable(element)) break;
    (hits ??= []).push({ id: match[0].toLowerCase(), anchor: node, inIdField: inField(element, scan.rules) });
  }
  if (hits) scan.sink.found(node, hits);
  else if (scan.reconcile) scan.sink.found(node, []);
}

/**
 * Matches a run of inline text nodes as one string and reports hits per node. An ID glued to the
 * text around the run (inside `root`) is part of a longer token.
 */
function flushRun(nodes: readonly Text[], scan: Scan, root: Node): void {
  const starts: number[] = [];
  let text = '';
  for (const node of nodes) {
    starts.push(text.length);
    text += node.data;
  }
  const byNode = new Map<Text, Hit[]>();
  for (const match of findIds(text)) {
    const first = nodes[pieceAt(starts, match.start)]!;
    const last = nodes[pieceAt(starts, match.end - 1)]!;
    if (match.start === 0 && glued(first, root, true)) continue;
    if (match.end === text.length && glued(last, root, false)) continue;
    const element = first.parentElement;
    if (!scan.check.readable(element)) continue;
    const hits = byNode.get(last) ?? [];
    hits.push({ id: match.id, anchor: last, inIdField: inField(element, scan.rules) });
    byNode.set(last, hits);
  }
  if (scan.reconcile) for (const node of nodes) scan.sink.found(node, byNode.get(node) ?? []);
  else for (const [node, hits] of byNode) scan.sink.found(node, hits);
}

/**
 * Walks the text nodes once, like a bare TreeWalker pass. Neighbouring nodes are joined into one
 * run only where an ID could cross the boundary, and a run shorter than an ID is passed by unless
 * stale hits may sit there: the common case touches nothing but the text itself and allocates
 * nothing. The loop is synchronous and keeps its state in locals; it stops when the slice is used
 * up and carries on from there.
 */
class TextWalk {
  private readonly walker: TreeWalker;
  // Reused, never emptied: emptying an array drops its storage, and the next store reallocates it.
  private readonly run: Text[] = [];
  private size = 0;
  private length = 0;
  /** Hex digits and dashes at the end of the run, -1 until needed. */
  private tail = -1;
  /** Where to carry on after a pause. */
  next: Text | null;

  /** Walks the text under `root`, or only from `first` up to (not including) `stop`. */
  constructor(
    private readonly root: Node,
    private readonly scan: Scan,
    first?: Text,
    private readonly stop: Text | null = null,
  ) {
    this.walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    if (first) this.walker.currentNode = first;
    this.next = first ?? (this.walker.nextNode() as Text | null);
  }

  /** Walks until the end (true) or until the slice is used up (false). */
  step(): boolean {
    const { walker, run, scan, stop } = this;
    let { size, length, tail } = this;
    let count = 0;
    let node = this.next;
    for (; node && node !== stop; node = walker.nextNode() as Text | null) {
      const data = node.data;
      if (size) {
        const previous = run[size - 1]!;
        // Hex digits on the left of the boundary are counted only when there are some on the right.
        const head = leadingHex(data);
        if (head > 0 && tail < 0) tail = trailingHex(previous.data);
        // An ID is a run of exactly 36 hex digits and dashes (one more on either side glues it
        // into a longer token), so only such a run can carry one across this boundary.
        const mayCross = head > 0 && tail > 0 && (head === data.length ? tail + head <= MIN_ID_LENGTH : tail + head === MIN_ID_LENGTH);
        if (mayCross && inlineNeighbour(node, this.root, true) === previous) {
          run[size++] = node;
          length += data.length;
          tail = head === data.length ? tail + head : -1;
          continue;
        }
        if (length >= MIN_ID_LENGTH || scan.reconcile) this.flush(size);
        size = 0;
        if ((++count & 255) === 0 && scan.clock.expired()) break;
      }
      run[size++] = node;
      length = data.length;
      tail = -1;
    }
    this.next = node;
    this.size = size;
    this.length = length;
    this.tail = tail;
    if (node && node !== stop) return false;
    if (size && (length >= MIN_ID_LENGTH || scan.reconcile)) this.flush(size);
    return true;
  }

  private flush(size: number): void {
    if (size === 1) flushNode(this.run[0]!, this.scan, this.root);
    else flushRun(this.run.slice(0, size), this.scan, this.root);
  }
}

async function walkText(root: Node, scan: Scan, first?: Text, stop?: Text | null): Promise<boolean> {
  const walk = new TextWalk(root, scan, first, stop);
  while (!walk.step()) {
    if (!(await scan.clock.next(scan.signal))) return false;
    // The page may have moved on while we paused; the observer reports what changed.
    if (!root.contains(walk.next)) return true;
  }
  return true;
}

/**
 * Matches the text nodes the native search handed over. A run of a long list can hand over a
 * thousand, so this yields like the walk does.
 */
async function flushFound(nodes: readonly Text[], scan: Scan, root: Node): Promise<boolean> {
  let paused = false;
  for (let i = 0; i < nodes.length; i++) {
    if ((i & 63) === 63 && scan.clock.expired()) {
      if (!(await scan.clock.next(scan.signal))) return false;
      paused = true;
    }
    const node = nodes[i]!;
    // The page may have moved on while we paused; the observer reports what it added.
    if (paused && !root.contains(node)) continue;
    flushNode(node, scan, root);
  }
  return true;
}

/**
 * Matches the text of one chunk: the nodes the native search hands over; where an ID may be split
 * across nodes, the chunk is walked as a whole instead.
 */
async function scanChunk(chunk: Exclude<Chunk, { kind: 'container' }>, search: NativeSearch, scan: Scan, root: Node): Promise<boolean> {
  if (chunk.kind === 'inline') return walkText(chunk.root, scan, chunk.first, chunk.stop);
  const nodes = chunk.kind === 'element' ? search.textIn(chunk.element) : search.textInRun(chunk);
  if (nodes) return flushFound(nodes, scan, root);
  if (chunk.kind === 'element') return walkText(chunk.element, scan);
  const span = textSpan(chunk.parent, chunk.first, chunk.end);
  return span ? walkText(span.root, scan, span.first, span.stop) : true;
}

/**
 * Finds the IDs in the text under `root`. A first look goes through the native search chunk by
 * chunk; a rescan walks every text node, since it must also report the nodes where hits have gone.
 */
async function scanText(root: Node, scan: Scan): Promise<boolean> {
  const search = scan.reconcile ? undefined : nativeSearchFor(scan);
  if (!search) return walkText(root, scan);
  for (const chunk of chunksOf(root, search)) {
    if (chunk.kind === 'container') continue;
    // After a pause, what the page has removed since is passed by; the observer reports what it added.
    if (!root.contains(chunk.kind === 'element' ? chunk.element : chunk.first)) continue;
    if (!(await scanChunk(chunk, search, scan, root))) return false;
    if (scan.clock.expired() && !(await scan.clock.next(scan.signal))) return false;
  }
  return true;
}

function elementsIn(root: Node, selector: string): Element[] {
  const found: Element[] = [];
  if (root.nodeType === Node.ELEMENT_NODE && (root as Element).matches(selector)) found.push(root as Element);
  if ('querySelectorAll' in root) found.push(...(root as ParentNode).querySelectorAll(selector));
  return found;
}

/** Links under `root`. By tag name where the root offers it: far cheaper than matching a selector against every element. */
function linksIn(root: Node): Element[] {
  if (!('getElementsByTagName' in root)) return elementsIn(root, 'a[href]');
  const found: Element[] = [];
  if ((root as Element).localName === 'a' && (root as Element).hasAttribute('href')) found.push(root as Element);
  for (const link of (root as Element).getElementsByTagName('a')) if (link.hasAttribute('href')) found.push(link);
  return found;
}

/** What a link's row is: the closest of these, looked for across shadow roots. */
const ROW = 'tr, li, [role="row"]';

/**
 * The row a link sits in: the closest `tr`, `li` or `[role=row]`, also outside the shadow roots
 * it is in (a table cell is often a component of its own); else the link's parent.
 */
function rowOf(link: Element): ParentNode | null {
  for (let node: Element | null = link; node; ) {
    const row = node.closest(ROW);
    if (row) return row;
    const root = node.getRootNode();
    node = root.nodeType === Node.DOCUMENT_FRAGMENT_NODE ? ((root as ShadowRoot).host ?? null) : null;
  }
  return link.parentNode;
}

/**
 * Whether readable text under `root` shows `id`: in a text node that is content (not code, an
 * editor or hidden), or split across nodes, as the text scan joins them.
 */
function textShows(root: ParentNode, id: string, scan: Scan): boolean {
  if (!(root.textContent ?? '').toLowerCase().includes(id)) return false;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let whole = false;
  for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
    if (!node.data.toLowerCase().includes(id)) continue;
    if (scan.check.readable(node.parentElement)) return true;
    whole = true;
  }
  return !whole;
}

/** Whether `root` or a shadow root of a component inside it shows `id` as text. */
function showsAsText(root: ParentNode, id: string, scan: Scan): boolean {
  if (textShows(root, id, scan)) return true;
  for (const element of root.querySelectorAll('*')) {
    if (!element.localName.includes('-') || isOwnNode(element)) continue;
    const shadow = shadowRootOf(element, scan);
    if (shadow && showsAsText(shadow, id, scan)) return true;
  }
  return false;
}

/**
 * Hits for a link: IDs in its target that its row does not show as text. One organization, one
 * row, one badge: the ID's own text gets it there.
 */
function linkHits(link: Element, scan: Scan): Hit[] {
  const ids = idsInHref(link.getAttribute('href') ?? '');
  if (!ids.length || !scan.check.readable(link.parentElement)) return [];
  const row = rowOf(link);
  const own = row ? ids.filter((id) => !showsAsText(row, id, scan)) : ids;
  return own.map((id) => ({ id, anchor: link, inIdField: inField(link, scan.rules) }));
}

/** Hits for an element carrying site-rule attributes: the rule says they hold organization IDs. */
function attributeHits(element: Element, scan: Scan): Hit[] {
  const ids = new Set<string>();
  for (const name of scan.rules.idAttributes) {
    const value = element.getAttribute(name);
    if (value) for (const match of findIds(value)) ids.add(match.id);
  }
  if (!ids.size || !scan.check.readable(element.parentElement)) return [];
  return [...ids].map((id) => ({ id, anchor: element, inIdField: true }));
}

/** Records links and site-rule attributes that name IDs. */
async function scanElements(root: Node, scan: Scan): Promise<boolean> {
  const { rules, sink, reconcile, clock, signal } = scan;
  const attributeSelector = rules.idAttributeSelector;
  const passes: [(() => Element[]) | undefined, (element: Element, scan: Scan) => Hit[]][] = [
    [rules.badgeLinks ? () => linksIn(root) : undefined, linkHits],
    [attributeSelector ? () => elementsIn(root, attributeSelector) : undefined, attributeHits],
  ];
  for (const [elementsOf, hitsOf] of passes) {
    if (!elementsOf) continue;
    let count = 0;
    for (const element of elementsOf()) {
      const hits = hitsOf(element, scan);
      if (hits.length || reconcile) sink.found(element, hits);
      if ((++count & 63) === 0 && clock.expired() && !(await clock.next(signal))) return false;
    }
  }
  return true;
}

/** The shadow root of `element`: an open one, or a closed one where the browser shows it to extensions. */
function shadowRootOf(element: Element, options: ScanOptions): ShadowRoot | null {
  return element.shadowRoot ?? (element.localName.includes('-') ? (options.openOrClosedShadowRoot?.(element) ?? null) : null);
}

function reportShadowRoot(element: Element, options: ScanOptions): void {
  if (isOwnNode(element)) return;
  const shadow = shadowRootOf(element, options);
  if (shadow) options.sink.shadowRoot(shadow);
}

async function walkShadowHosts(root: Node, options: ScanOptions): Promise<boolean> {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
  let count = 0;
  for (let node: Node | null = walker.currentNode; node; node = walker.nextNode()) {
    if (node.nodeType !== Node.ELEMENT_NODE) continue;
    reportShadowRoot(node as Element, options);
    if ((++count & 255) === 0 && options.clock.expired()) {
      if (!(await options.clock.next(options.signal))) return false;
      if (!root.contains(node)) return true;
    }
  }
  return true;
}

/**
 * Finds shadow roots under `root` (open ones, and closed ones where the browser shows them to
 * extensions): through the native search, which hands over only the elements that may host one,
 * else by walking every element.
 */
export async function scanShadowHosts(root: Node, options: ScanOptions): Promise<boolean> {
  const search = nativeSearchFor(options);
  if (!search) return walkShadowHosts(root, options);
  for (const chunk of chunksOf(root, search, true)) {
    // Inline content and runs come only where text is searched.
    if (chunk.kind === 'inline' || chunk.kind === 'run' || !root.contains(chunk.element)) continue;
    if (chunk.kind === 'container') reportShadowRoot(chunk.element, options);
    else for (const element of search.shadowHostsIn(chunk.element)) reportShadowRoot(element, options);
    if (options.clock.expired() && !(await options.clock.next(options.signal))) return false;
  }
  return true;
}

/**
 * Finds the IDs in `root` (a document, shadow root or element): text first, in slices that yield
 * to the page, then links and site-rule attributes. Resolves false when aborted.
 */
export async function scanSubtree(root: Node, options: ScanOptions): Promise<boolean> {
  const scan: Scan = { ...options, check: new ReadableCheck() };
  if (root.nodeType === Node.TEXT_NODE) {
    flushNode(root as Text, scan, root);
    return true;
  }
  if (!(await scanText(root, scan))) return false;
  return scanElements(root, scan);
}
