import { countIdShapes } from '@/utils/id-shapes';
import { isInline } from './inline-elements';

/**
 * A subtree of at most this many elements is searched in one native call, well under a
 * millisecond; a bigger one is split at its children.
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
  ) {}

  /** Undefined where the document has no XPath (then the scan walks the tree). */
  static for(doc: Document): NativeSearch | undefined {
    if (typeof doc.createExpression !== 'function') return undefined;
    try {
      return new NativeSearch(doc.createExpression(ID_TEXT), doc.createExpression(CUSTOM_ELEMENTS));
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

/**
 * Splits `root` (a document, shadow root or element) into chunks in document order. A big element
 * is split at its children; its inline children and text come out as runs of inline content, since
 * an ID may cross from one into the next but never into a block. With `elementsOnly`, text is left
 * out and inline children are chunks of their own (shadow hosts do not care about runs of text).
 */
export function* chunksOf(root: Node, elementsOnly = false): Generator<Chunk> {
  const start = root.nodeType === Node.DOCUMENT_NODE ? (root as Document).documentElement : root;
  const stack: ({ node: Node } | { chunk: Chunk })[] = start ? [{ node: start }] : [];
  while (stack.length) {
    const item = stack.pop()!;
    if ('chunk' in item) {
      yield item.chunk;
      continue;
    }
    const node = item.node;
    if (node.nodeType === Node.ELEMENT_NODE && isSmall(node as Element)) {
      yield { kind: 'element', element: node as Element };
      continue;
    }
    if (node.nodeType === Node.ELEMENT_NODE) yield { kind: 'container', element: node as Element };
    const later: typeof stack = [];
    let inlineStart: Node | null = null;
    const endInline = (next: Node | null) => {
      if (!inlineStart) return;
      const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
      walker.currentNode = inlineStart;
      const first = inlineStart.nodeType === Node.TEXT_NODE ? (inlineStart as Text) : (walker.nextNode() as Text | null);
      let stop: Text | null = null;
      if (next) {
        walker.currentNode = next;
        stop = walker.nextNode() as Text | null;
      }
      if (first && first !== stop) later.push({ chunk: { kind: 'inline', root: node, first, stop } });
      inlineStart = null;
    };
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === Node.TEXT_NODE) {
        if (!elementsOnly && !isBlank(child)) inlineStart ??= child;
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        if (!elementsOnly && isInline(child)) inlineStart ??= child;
        else {
          endInline(child);
          later.push({ node: child });
        }
      }
    }
    endInline(null);
    for (let i = later.length - 1; i >= 0; i--) stack.push(later[i]!);
  }
}
