import { countIdShapes } from '@/utils/id-shapes';
import { isInline } from './inline-elements';

/**
 * A subtree of at most this many elements is searched in one native call, about a millisecond;
 * a bigger one is split at its children, which are searched in runs of about as many or more.
 */
export const CHUNK_ELEMENTS = 1000;

const HEX = '0123456789ABCDEFabcdef';
/** Text long enough for an ID (a cheap test first) that has the 8-4-4-4-12 shape once every hex digit is mapped to 0. */
const ID_TEXT_TEST = `[string-length() >= 36][contains(translate(., '${HEX}', '${'0'.repeat(HEX.length)}'), '00000000-0000-0000-0000-000000000000')]`;
const ID_TEXT = `.//text()${ID_TEXT_TEST}`;
/** Elements that may host a shadow root: custom elements and the built-in ones `attachShadow` accepts. */
const SHADOW_HOST_NAMES = [
  'article', 'aside', 'blockquote', 'body', 'div', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'main', 'nav', 'p',
  'section', 'span',
];
/** A selector for the built-in ones; XPath tests on names cost far more than a selector's. */
const BUILT_IN_HOSTS = SHADOW_HOST_NAMES.join(',');
const CUSTOM_ELEMENTS = `descendant-or-self::*[contains(local-name(), '-')]`;

/**
 * Searches subtrees in the browser's own XPath engine. A content script runs in an isolated world,
 * where every node it touches gets a JavaScript wrapper of its own that the garbage collector must
 * then trace; a walk over a big list makes a million of them. Here only the nodes that may matter
 * reach JavaScript: text that holds an ID-shaped run, elements that may host a shadow root.
 */
export class NativeSearch {
  /** One range, reused: every live range costs the page a little on each change to the DOM. */
  private readonly runText: Range;

  private constructor(
    private readonly doc: Document,
    private readonly idText: XPathExpression,
    private readonly customElements: XPathExpression,
    private readonly childNodes: XPathExpression,
  ) {
    this.runText = doc.createRange();
  }

  /** Undefined where the document has no XPath (then the scan walks the tree). */
  static for(doc: Document): NativeSearch | undefined {
    if (typeof doc.createExpression !== 'function') return undefined;
    try {
      return new NativeSearch(doc, doc.createExpression(ID_TEXT), doc.createExpression(CUSTOM_ELEMENTS), doc.createExpression('child::node()'));
    } catch {
      return undefined;
    }
  }

  private static forPage: NativeSearch | undefined | null = null;

  /** The search for this frame's document, compiled once. */
  static forThisPage(): NativeSearch | undefined {
    if (NativeSearch.forPage === null) NativeSearch.forPage = NativeSearch.for(document);
    return NativeSearch.forPage;
  }

  /**
   * Text nodes under `element` that hold an ID-shaped run, in document order; undefined where a run
   * may cross from one text node into the next (then the caller walks the element). That is known
   * without touching the other nodes: the element's whole text then has more such runs than the
   * nodes found hold.
   */
  textIn(element: Element): Text[] | undefined {
    return unlessSplit(snapshot(this.idText, element) as Text[], element.textContent ?? '');
  }

  /**
   * The same for a run of a big element's children: the position range is part of the
   * expression, so the run's rows are looked at natively, not one by one here.
   */
  textInRun(run: Extract<Chunk, { kind: 'run' }>): Text[] | undefined {
    const expression = `child::node()[position() > ${run.from} and position() <= ${run.to}]/descendant-or-self::text()${ID_TEXT_TEST}`;
    const range = this.runText;
    range.setStartBefore(run.first);
    if (run.end) range.setEndBefore(run.end);
    else range.setEndAfter(run.parent.lastChild!);
    return unlessSplit(snapshot(this.doc.createExpression(expression), run.parent) as Text[], range.toString());
  }

  /**
   * The children of `node` as they are now, taken natively: a list of 50,000 rows costs no wrapper
   * until a child is looked at, and the page changing it meanwhile does not upset the iteration.
   */
  childrenOf(node: Node): { length: number; item(index: number): Node | null } {
    if (node.nodeType !== Node.ELEMENT_NODE && node.nodeType !== Node.DOCUMENT_NODE) {
      const nodes = [...node.childNodes];
      return { length: nodes.length, item: (index) => nodes[index] ?? null };
    }
    const result = this.childNodes.evaluate(node, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
    return { length: result.snapshotLength, item: (index) => result.snapshotItem(index) };
  }

  /** `element` and its descendants that may host a shadow root (not in document order). */
  shadowHostsIn(element: Element): Element[] {
    const hosts = snapshot(this.customElements, element) as Element[];
    if (element.matches(BUILT_IN_HOSTS)) hosts.push(element);
    // A row of plain cells holds none: asking for the first one first spares it a list object.
    if (element.querySelector(BUILT_IN_HOSTS)) hosts.push(...element.querySelectorAll(BUILT_IN_HOSTS));
    return hosts;
  }
}

/** `nodes`, unless `text` (all of theirs and their neighbours') has more ID-shaped runs than they do. */
function unlessSplit(nodes: Text[], text: string): Text[] | undefined {
  let inNodes = 0;
  for (const node of nodes) inNodes += countIdShapes(node.data);
  return countIdShapes(text) > inNodes ? undefined : nodes;
}

function snapshot(expression: XPathExpression, context: Node): Node[] {
  const result = expression.evaluate(context, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
  const nodes: Node[] = [];
  for (let i = 0; i < result.snapshotLength; i++) nodes.push(result.snapshotItem(i)!);
  return nodes;
}

/** A part of the tree to search: an element of a size for one native call, or inline content to walk. */
export type Chunk =
  | { kind: 'element'; element: Element }
  /** An element too big for one call, split at its children (which come next); only itself is left to look at. */
  | { kind: 'container'; element: Element }
  /** Inline content among a big element's children: its text nodes from `first` up to (not including) `stop`. */
  | { kind: 'inline'; root: Node; first: Text; stop: Text | null }
  /**
   * A big element's children from index `from` (`first`, a block) up to `to` (`end`, a block, or
   * the element's end), fewer elements together than twice the spacing of its marks (below).
   */
  | { kind: 'run'; parent: Element; from: number; to: number; first: Element; end: Element | null };

function isSmall(element: Element): boolean {
  return element.getElementsByTagName('*').item(CHUNK_ELEMENTS) === null;
}

function isBlank(node: Node): boolean {
  return node.nodeType === Node.TEXT_NODE && !/\S/.test((node as Text).data);
}

function precedes(node: Node, other: Node): boolean {
  return (node.compareDocumentPosition(other) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
}

/**
 * Marks on a big element's elements, evenly spaced in document order, read from a live collection
 * the browser keeps on the element. The children between two that hold a mark hold fewer elements
 * than the spacing together, so a run of them is sized without counting, or even touching, each
 * one: the rows of a long list never reach this world unless they hold an ID. A child that holds
 * at most one mark holds fewer than twice the spacing.
 */
class Marks {
  private readonly elements: HTMLCollection;
  private mark = 0;
  /** The child that holds `mark`, null past the last mark; undefined until looked up. */
  private holder: Element | null | undefined;

  constructor(
    private readonly parent: Element,
    private readonly spacing: number,
  ) {
    this.elements = parent.getElementsByTagName('*');
  }

  private holderOf(mark: number): Element | null {
    let node: Node | null = this.elements.item(mark * this.spacing);
    while (node && node.parentNode !== this.parent) node = node.parentNode;
    return node as Element | null;
  }

  /** Moves on to the first mark not held before `child`, galloping: a big child before it may hold many. */
  private skipTo(child: Element): void {
    if (this.holder === undefined) this.holder = this.holderOf(this.mark);
    if (!this.holder || !precedes(this.holder, child)) return;
    let behind = this.mark;
    let ahead = behind + 1;
    let holder = this.holderOf(ahead);
    for (let step = 2; holder && precedes(holder, child); step *= 2) {
      behind = ahead;
      ahead = behind + step;
      holder = this.holderOf(ahead);
    }
    while (ahead - behind > 1) {
      const middle = (behind + ahead) >> 1;
      const found = this.holderOf(middle);
      if (found && precedes(found, child)) behind = middle;
      else {
        ahead = middle;
        holder = found;
      }
    }
    this.mark = ahead;
    this.holder = holder;
  }

  /**
   * Whether `child` holds two marks or more, for children met one by one in document order, every
   * element child. Only identities are compared: on a list of very many children, placing one
   * node before another costs a walk along their siblings. A holder the page has taken away
   * meanwhile is looked up again, or no later child would ever be met as one.
   */
  holdsMany(child: Element): boolean {
    if (this.holder === undefined || (this.holder && this.holder.parentNode !== this.parent)) this.holder = this.holderOf(this.mark);
    if (this.holder !== child) return false;
    this.holder = this.holderOf(++this.mark);
    if (this.holder !== child) return false;
    do this.holder = this.holderOf(++this.mark);
    while (this.holder === child);
    return true;
  }

  /**
   * Where a run that begins with `child` (a child of the element) ends: at the next child that
   * holds a mark, or null at the element's end; 'big' where `child` holds two marks itself.
   */
  runEnd(child: Element): Element | null | 'big' {
    this.skipTo(child);
    if (this.holder === child) {
      this.holder = this.holderOf(++this.mark);
      if (this.holder === child) return 'big';
    }
    return this.holder ?? null;
  }
}

/** Where `node` is among `children` at or after `from`, by halving (they are in document order); -1 if not there. */
function indexAmong(children: Frame['children'], node: Node, from: number): number {
  let low = from;
  let high = children.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const item = children.item(middle);
    if (item === node) return middle;
    if (!item) return -1;
    if (precedes(item, node)) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/** A big element (or a shadow root) whose children are being gone through. */
interface Frame {
  node: Node;
  children: { length: number; item(index: number): Node | null };
  next: number;
  /** The first child of the inline content seen since the last block child. */
  inlineStart: Node | null;
  /** On an element's frame: where its children can be taken in runs, else which of them are small. */
  marks?: Marks;
  /** Whether its children are taken in runs (not with `elementsOnly`, nor with very many children). */
  runs: boolean;
}

/**
 * The text nodes under `root` from `start` (or the first after it) up to the first at or after
 * `next` (not included), as a chunk of inline content; undefined where there are none.
 */
export function textSpan(root: Node, start: Node, next: Node | null): Extract<Chunk, { kind: 'inline' }> | undefined {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  walker.currentNode = start;
  const first = start.nodeType === Node.TEXT_NODE ? (start as Text) : (walker.nextNode() as Text | null);
  let stop: Text | null = null;
  if (next) {
    walker.currentNode = next;
    stop = walker.nextNode() as Text | null;
  }
  return first && first !== stop ? { kind: 'inline', root, first, stop } : undefined;
}

/** The inline content from `frame.inlineStart` up to the block child `next` (or the end), if it has text. */
function inlineChunk(frame: Frame, next: Node | null): Chunk | undefined {
  const start = frame.inlineStart;
  if (!start) return undefined;
  frame.inlineStart = null;
  return textSpan(frame.node, start, next);
}

/**
 * The run of `frame`'s children that begins with the block `child`, if it can be taken as one: it
 * must end before a block (an ID cannot run into one), and the page must not have moved the
 * children at its ends since they were taken (the run is given by their positions). A run of one
 * child is an element chunk.
 */
function runFrom(frame: Frame, child: Element): Chunk | undefined {
  const end = frame.marks?.runEnd(child);
  if (end === undefined || end === 'big' || isInline(end)) return undefined;
  const from = frame.next - 1;
  const to = end ? indexAmong(frame.children, end, frame.next) : frame.children.length;
  const now = frame.node.childNodes;
  if (to < 0 || now[from] !== child || now[to] !== (end ?? undefined)) return undefined;
  if (to === from + 1) return { kind: 'element', element: child };
  frame.next = to;
  return { kind: 'run', parent: frame.node as Element, from, to, first: child, end };
}

/**
 * Picking a run's children out by position goes over every child, about 70 ns each and more while
 * the collector marks: past this many children that alone takes a millisecond or more a run (a
 * 50,000-row list had runs of 30-70 ms), and the children are taken one at a time instead.
 */
export const MAX_RUN_CHILDREN = 15_000;

function openFrame(node: Node, search: NativeSearch, elementsOnly: boolean): Frame {
  const children = search.childrenOf(node);
  const frame: Frame = { node, children, next: 0, inlineStart: null, runs: false };
  if (node.nodeType !== Node.ELEMENT_NODE) return frame;
  frame.runs = !elementsOnly && children.length <= MAX_RUN_CHILDREN;
  // A run's search also goes over every child of the element, to pick its own out by position
  // (about what searching an eighth as many elements costs): with many children, runs are made
  // fewer and bigger, so the picking costs at most about half the search. Without runs, marks
  // one chunk apart tell the small children, which then need no count of their own: on a list of
  // 50,000 rows, that count was a collection object a row for the collector to trace and drop.
  const spacing = frame.runs ? Math.max(CHUNK_ELEMENTS, Math.ceil(children.length / 4)) : CHUNK_ELEMENTS;
  frame.marks = new Marks(node as Element, spacing);
  return frame;
}

/**
 * Splits `root` (a document, shadow root or element) into chunks in document order. A big element
 * is split at its children, gone through one at a time so a long list is sliced like the rest;
 * blocks among them are taken in runs where possible, and inline children and text between blocks
 * come out as runs of inline content, since an ID may cross from one into the next but never into
 * a block. With `elementsOnly`, text is left out and every child is a chunk of its own (shadow
 * hosts do not care about runs of text).
 */
export function* chunksOf(root: Node, search: NativeSearch, elementsOnly = false): Generator<Chunk> {
  let pending: Node | null = root.nodeType === Node.DOCUMENT_NODE ? (root as Document).documentElement : root;
  const frames: Frame[] = [];
  while (pending || frames.length) {
    if (pending) {
      const node: Node = pending;
      pending = null;
      if (node.nodeType === Node.ELEMENT_NODE) {
        if (isSmall(node as Element)) {
          yield { kind: 'element', element: node as Element };
          continue;
        }
        yield { kind: 'container', element: node as Element };
      }
      frames.push(openFrame(node, search, elementsOnly));
      continue;
    }
    const frame = frames[frames.length - 1]!;
    const child = frame.next < frame.children.length ? frame.children.item(frame.next++) : null;
    if (!child) {
      frames.pop();
      const chunk = inlineChunk(frame, null);
      if (chunk) yield chunk;
    } else if (child.nodeType === Node.TEXT_NODE) {
      if (!elementsOnly && !isBlank(child)) frame.inlineStart ??= child;
    } else if (child.nodeType === Node.ELEMENT_NODE) {
      // Without runs, the marks are followed child by child, and know which children are small.
      const small = frame.marks && !frame.runs ? !frame.marks.holdsMany(child as Element) : undefined;
      if (!elementsOnly && isInline(child)) frame.inlineStart ??= child;
      else {
        const chunk = inlineChunk(frame, child);
        if (chunk) yield chunk;
        const run = frame.runs ? runFrom(frame, child as Element) : undefined;
        if (run) yield run;
        else if (small) yield { kind: 'element', element: child as Element };
        else pending = child;
      }
    }
  }
}
