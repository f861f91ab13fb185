/**
 * The scan comparison, bundled into one script and run inside the bench page: the content
 * script's own ID finder, a bare reference pass and linkify-plus-plus-core, timed on the same DOM.
 */
import { Linkifier } from 'linkify-plus-plus-core';
import { scanSubtree, type Hit, type ScanOptions } from '../../entrypoints/badges.content/page-scan';
import { ID_IN_TEXT } from '../../utils/find-ids';

export interface ScanTiming {
  ms: number;
  found: number;
  /** The scanner gave up at its time limit; `ms` is the limit. */
  stopped?: boolean;
}

function globalPattern(): RegExp {
  return new RegExp(ID_IN_TEXT.source, ID_IN_TEXT.flags.includes('g') ? ID_IN_TEXT.flags : `${ID_IN_TEXT.flags}g`);
}

/** The least any scanner must do: every text node once, the same regular expression, nothing else. */
function reference(root: Node): ScanTiming {
  const pattern = globalPattern();
  const start = performance.now();
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let found = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = (node as Text).data;
    pattern.lastIndex = 0;
    while (pattern.exec(text)) found++;
  }
  return { ms: performance.now() - start, found };
}

/**
 * The content script's scan with the rules of a built-in CRM page, given one slice without limit so
 * the figure is its work, not the time it hands back to the page.
 */
async function ours(root: Node): Promise<ScanTiming> {
  const hits: Hit[] = [];
  const options: ScanOptions = {
    rules: { idAttributes: [], badgeLinks: true },
    sink: { found: (_anchor, found) => void hits.push(...found), shadowRoot: () => undefined },
    reconcile: false,
    clock: { expired: () => false, next: async () => true } as unknown as ScanOptions['clock'],
    signal: new AbortController().signal,
  };
  const start = performance.now();
  await scanSubtree(root, options);
  return { ms: performance.now() - start, found: hits.length };
}

/**
 * linkify-plus-plus-core with a matcher that yields UUIDs only; it wraps every match in a link,
 * which is its job. Chunks of a second, so its time is work, not yielding, and it can be stopped.
 */
function lpp(root: Node, limitMs: number): Promise<ScanTiming> {
  const pattern = globalPattern();
  let found = 0;
  const matcher = {
    *match(text: string) {
      pattern.lastIndex = 0;
      for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
        found++;
        yield { start: m.index, end: m.index + m[0].length, text: m[0], url: `https://example.com/org/${m[0]}` };
      }
    },
  };
  return new Promise((resolve, reject) => {
    const linkifier = new Linkifier(root, { matcher, maxRunTime: 1000, timeout: limitMs, embedImage: false });
    const start = performance.now();
    linkifier.on('complete', () => resolve({ ms: performance.now() - start, found }));
    linkifier.on('error', (error) =>
      performance.now() - start >= limitMs ? resolve({ ms: limitMs, found, stopped: true }) : reject(error),
    );
    linkifier.start();
  });
}

/** Nothing: what a timed call costs the thread besides the scan (the call and the CPU-time reads). */
function noop(): ScanTiming {
  return { ms: 0, found: 0 };
}

Object.assign(globalThis, { __mcaBench: { reference, ours, lpp, noop } });
