/**
 * Bundled into a plain page by tests/e2e/native-scan.test.ts: runs the content script's scanner
 * twice on the same DOM, through the native search and by walking every node, and reports what
 * each found, nodes named by their path from the body.
 */
import { chunksOf, NativeSearch } from '@/entrypoints/badges.content/native-search';
import { scanShadowHosts, scanSubtree, type ScanOptions } from '@/entrypoints/badges.content/page-scan';
import { SliceClock } from '@/entrypoints/badges.content/time-slicing';

export interface Found {
  /** `id @ path`, `*` marking a site-rule field, sorted. */
  hits: string[];
  /** Paths of the shadow hosts found, sorted. */
  hosts: string[];
}

/** Each parent's children by position, taken once per page: a list of many thousand rows is named row by row. */
let positions = new WeakMap<Node, Map<Node, number>>();

function positionIn(parent: Node, child: Node): number {
  let children = positions.get(parent);
  if (!children) {
    children = new Map([...parent.childNodes].map((node, i) => [node, i]));
    positions.set(parent, children);
  }
  return children.get(child) ?? -1;
}

function pathOf(node: Node): string {
  const steps: number[] = [];
  for (let at: Node = node; at !== document.body; ) {
    const parent: Node | null = at.parentNode ?? (at as ShadowRoot).host ?? null;
    if (!parent) return '?';
    steps.unshift(at.parentNode ? positionIn(parent, at) : -1);
    at = parent;
  }
  return steps.join('/');
}

async function scan(nativeSearch: NativeSearch | null): Promise<Found> {
  const hits: string[] = [];
  const hosts: string[] = [];
  const roots: Node[] = [document];
  const options: ScanOptions = {
    rules: { idFieldSelector: '.org-field', idAttributes: [], badgeLinks: false },
    reconcile: false,
    clock: new SliceClock(),
    signal: new AbortController().signal,
    nativeSearch,
    sink: {
      found: (_anchor, found) => hits.push(...found.map((hit) => `${hit.id} @ ${pathOf(hit.anchor)}${hit.inIdField ? ' *' : ''}`)),
      shadowRoot: (root) => {
        hosts.push(pathOf(root.host));
        roots.push(root);
      },
    },
  };
  for (let i = 0; i < roots.length; i++) {
    await scanSubtree(roots[i]!, options);
    await scanShadowHosts(roots[i]!, options);
  }
  return { hits: hits.sort(), hosts: [...new Set(hosts)].sort() };
}

/** Puts `html` (declarative shadow roots included) into the body, and gives the search for it. */
function show(html: string): NativeSearch {
  // The test's own generated markup in a throwaway page: parsing it, shadow roots and all, is the point.
  // eslint-disable-next-line no-unsanitized/method
  document.body.setHTMLUnsafe(html);
  positions = new WeakMap();
  const search = NativeSearch.for(document);
  if (!search) throw new Error('this browser has no XPath');
  return search;
}

/** Puts `html` into the body and scans it both ways. */
export async function compare(html: string): Promise<{ native: Found; walk: Found }> {
  const search = show(html);
  return { native: await scan(search), walk: await scan(null) };
}

/**
 * How the native search splits `html`'s first element: how many chunks of each kind, the paths of
 * the elements it found too big for one call (it opened them to go through their children), and
 * how many element collections it asked for to size things up.
 */
export function chunkPlan(html: string, elementsOnly: boolean): { kinds: Record<string, number>; containers: string[]; collections: number } {
  const search = show(html);
  const kinds: Record<string, number> = {};
  const containers: string[] = [];
  const byTagName = Element.prototype.getElementsByTagName;
  let collections = 0;
  Element.prototype.getElementsByTagName = function (this: Element, name: string) {
    collections++;
    return byTagName.call(this, name);
  } as typeof byTagName;
  try {
    for (const chunk of chunksOf(document.body.firstElementChild!, search, elementsOnly)) {
      kinds[chunk.kind] = (kinds[chunk.kind] ?? 0) + 1;
      if (chunk.kind === 'container') containers.push(pathOf(chunk.element));
    }
  } finally {
    Element.prototype.getElementsByTagName = byTagName;
  }
  return { kinds, containers, collections };
}
