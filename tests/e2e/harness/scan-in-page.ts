/**
 * Bundled into a plain page by tests/e2e/native-scan.test.ts: runs the content script's scanner
 * twice on the same DOM, through the native search and by walking every node, and reports what
 * each found, nodes named by their path from the body.
 */
import { NativeSearch } from '@/entrypoints/badges.content/native-search';
import { scanShadowHosts, scanSubtree, type ScanOptions } from '@/entrypoints/badges.content/page-scan';
import { SliceClock } from '@/entrypoints/badges.content/time-slicing';

export interface Found {
  /** `id @ path`, `*` marking a site-rule field, sorted. */
  hits: string[];
  /** Paths of the shadow hosts found, sorted. */
  hosts: string[];
}

function pathOf(node: Node): string {
  const steps: number[] = [];
  for (let at: Node = node; at !== document.body; ) {
    const parent: Node | null = at.parentNode ?? (at as ShadowRoot).host ?? null;
    if (!parent) return '?';
    steps.unshift(at.parentNode ? [...parent.childNodes].indexOf(at as ChildNode) : -1);
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

/** Puts `html` (declarative shadow roots included) into the body and scans it both ways. */
export async function compare(html: string): Promise<{ native: Found; walk: Found }> {
  // The test's own generated markup in a throwaway page: parsing it, shadow roots and all, is the point.
  // eslint-disable-next-line no-unsanitized/method
  document.body.setHTMLUnsafe(html);
  const search = NativeSearch.for(document);
  if (!search) throw new Error('this browser has no XPath');
  return { native: await scan(search), walk: await scan(null) };
}
