import { countIdShapes } from '@/utils/id-shapes';
import { isInline } from './inline-elements';

/**
 * A subtree of at most this many elements is searched in one native call, about a millisecond;
 * a bigger one is split at its children.
 */
export const CHUNK_ELEMENTS = 1000;

const HEX = '0123456789ABCDEFabcdef';
/** Text long enough for an ID (a cheap test first) that has the 8-4-4-4-12 shape once every hex digit is mapped to 0. */
const ID_TEXT = `.//text()[string-length() >= 36][contains(translate(., '${HEX}', '${'0'.repeat(HEX.length)}'), '00000000-0000-0000-0000-000000000000')]`;
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
  private constructor(
    private readonly idText: XPathExpression,
    private readonly customElements: XPathExpression,
    private readonly childNodes: XPathExpression,
  ) {}

  /** Undefined where the document has no XPath (then the scan walks the tree). */
  static for(doc: Document): NativeSearch | undefined {
    if (typeof doc.createExpression !== 'function') return undefined;
    try {
      return new NativeSearch(doc.createExpression(ID_TEXT), doc.createExpression(CUSTOM_ELEMENTS), doc.createExpression('child::node()'));
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
    const nodes = snapshot(this.idText, element) as Text[];
    let inNodes = 0;
    for (const node of nodes) inNodes += countIdShapes(node.data);
    return countIdShapes(element.textContent ?? '') > inNodes ? undefined : nodes;
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
    hosts.push(...element.querySelectorAll(BUILT_IN_HOSTS));
    return hosts;
  }
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
  | { kind: 'inline'; root: Node; first: Text; stop: Text | null };

function isSmall(element: Element): boolean {
  return element.getElementsByTagName('*').item(CHUNK_ELEMENTS) === null;
}

function isBlank(node: Node): boolean {
  return node.nodeType === Node.TEXT_NODE && !/\S/.test((node as Text).data);
}

/** A big element (or a shadow root) whose children are being gone through. */
interface Frame {
  node: Node;
  children: { length: number; item(index: number): Node | null };
  next: number;
  /** The first child of the inline content seen since the last block child. */
  inlineStart: Node | null;
}

/** The inline content from `frame.inlineStart` up to the block child `next` (or the end), if it has text. */
function inlineChunk(frame: Frame, next: Node | null): Chunk | undefined {
  const start = frame.inlineStart;
  if (!start) return undefined;
  frame.inlineStart = null;
  const walker = document.createTreeWalker(frame.node, NodeFilter.SHOW_TEXT);
  walker.currentNode = start;
  const first = start.nodeType === Node.TEXT_NODE ? (start as Text) : (walker.nextNode() as Text | null);
  let stop: Text | null = null;
  if (next) {
    walker.currentNode = next;
    stop = walker.nextNode() as Text | null;
  }
  return first && first !== stop ? { kind: 'inline', root: frame.node, first, stop } : undefined;
}

/**
 * Splits `root` (a document, shadow root or element) into chunks in document order. A big element
 * is split at its children, gone through one at a time so a long list is sliced like the rest;
 * its inline children and text come out as runs of inline content, since an ID may cross from one
 * into the next but never into a block. With `elementsOnly`, text is left out and inline children
 * are chunks of their own (shadow hosts do not care about runs of text).
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
      frames.push({ node, children: search.childrenOf(node), next: 0, inlineStart: null });
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
      if (!elementsOnly && isInline(child)) frame.inlineStart ??= child;
      else {
        const chunk = inlineChunk(frame, child);
        if (chunk) yield chunk;
        pending = child;
      }
    }
  }
}
