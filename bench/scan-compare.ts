import type { CDPSession, Page } from 'playwright-core';
import type { ScanTiming } from './in-page/scanners';
import { median } from './stats';

/**
 * linkify-plus-plus-core stops itself after this long (its own `timeout` option, in wall time), so
 * a huge page cannot stall the bench: a minute up to 10,000 rows, 20 s above, where it takes minutes
 * (superlinear: it stopped at 60 s with a fifth of 50,000 rows done). Once it has been stopped at a
 * page size, later runs at that size skip it.
 */
export function lppLimitMs(rows: number): number {
  return rows <= 10_000 ? 60_000 : 20_000;
}

export interface ScanFigures {
  /** Medians over the timed calls: wall time (performance.now) and the page thread's CPU time, ms. */
  reference: number;
  ours: number;
  referenceCpu: number;
  oursCpu: number;
  /** The same, each call in a fresh isolated world, where a content script runs. */
  isolated: { reference: number; ours: number; referenceCpu: number; oursCpu: number };
  /** Timed calls of each of ours and the reference (after the warm-up). */
  calls: number;
  /** One call, last (it rewrites the page); undefined where it was skipped. */
  lpp?: number;
  lppCpu?: number;
  referenceFound: number;
  oursFound: number;
  lppFound?: number;
  lppStopped: boolean;
}

type Scanner = 'reference' | 'ours' | 'lpp' | 'noop';

interface InPageScanners {
  reference(root: Node): ScanTiming;
  ours(root: Node): Promise<ScanTiming>;
  lpp(root: Node, limitMs: number): Promise<ScanTiming>;
  noop(root: Node): ScanTiming;
}

/** The renderer main thread's CPU time so far, ms (`Performance.getMetrics`' ThreadTime). */
export async function threadCpuMs(session: CDPSession): Promise<number> {
  const { metrics } = await session.send('Performance.getMetrics');
  const value = metrics.find((m) => m.name === 'ThreadTime')?.value;
  if (value === undefined) throw new Error('Performance.getMetrics has no ThreadTime');
  return value * 1000;
}

async function timed(page: Page, session: CDPSession, scanner: Scanner, lppLimit = 0): Promise<ScanTiming & { cpu: number }> {
  const before = await threadCpuMs(session);
  const timing = await page.evaluate(
    ([name, limit]) => (globalThis as unknown as { __mcaBench: InPageScanners }).__mcaBench[name as Scanner](document.body, limit as number),
    [scanner, lppLimit] as const,
  );
  const after = await threadCpuMs(session);
  return { ...timing, cpu: after - before };
}

let worlds = 0;

/**
 * One call in a new isolated world with the bundle loaded into it: like a content script's first
 * scan, every node the scanner touches gets its wrapper there, and the collector has them to trace.
 */
async function timedInFreshWorld(session: CDPSession, bundle: string, scanner: 'reference' | 'ours'): Promise<ScanTiming & { cpu: number }> {
  const { frameTree } = await session.send('Page.getFrameTree');
  const { executionContextId: contextId } = await session.send('Page.createIsolatedWorld', {
    frameId: frameTree.frame.id,
    worldName: `mca-bench-scan-${++worlds}`,
  });
  await session.send('Runtime.evaluate', { expression: bundle, contextId });
  const before = await threadCpuMs(session);
  const { result, exceptionDetails } = await session.send('Runtime.evaluate', {
    expression: `globalThis.__mcaBench.${scanner}(document.body)`,
    contextId,
    awaitPromise: true,
    returnByValue: true,
  });
  const after = await threadCpuMs(session);
  if (exceptionDetails) throw new Error(`scan in an isolated world: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
  return { ...(result.value as ScanTiming), cpu: after - before };
}

/**
 * Times the scanners on the page as loaded, in a page without the extension so nothing else
 * competes for the thread: a garbage collection and one warm-up call of each of ours and the
 * reference, then `rounds` rounds of one call of each, the order alternating, so a collection one
 * call's garbage triggers lands as often in either; a call of an empty function in every round
 * gives the cost of asking for the CPU time, which is taken off.
 * linkify-plus-plus-core runs once, last, since it rewrites the page.
 */
export async function compareScans(page: Page, session: CDPSession, bundle: string, options: { rounds: number; lppLimitMs?: number }): Promise<ScanFigures> {
  await page.addScriptTag({ content: bundle });
  await session.send('Performance.enable');
  // The page load's garbage is collected once, not in the first timed call.
  await session.send('HeapProfiler.collectGarbage');
  await timed(page, session, 'reference');
  await timed(page, session, 'ours');
  const runs: Record<'reference' | 'ours' | 'noop', (ScanTiming & { cpu: number })[]> = { reference: [], ours: [], noop: [] };
  const isolated: Record<'reference' | 'ours', (ScanTiming & { cpu: number })[]> = { reference: [], ours: [] };
  for (let round = 0; round < options.rounds; round++) {
    const order: ('reference' | 'ours')[] = round % 2 ? ['ours', 'reference'] : ['reference', 'ours'];
    for (const scanner of order) runs[scanner].push(await timed(page, session, scanner));
    for (const scanner of order) isolated[scanner].push(await timedInFreshWorld(session, bundle, scanner));
    runs.noop.push(await timed(page, session, 'noop'));
  }
  const overhead = median(runs.noop.map((r) => r.cpu));
  const cpu = (list: { cpu: number }[]) => Math.max(0, median(list.map((r) => r.cpu)) - overhead);
  const wall = (list: { ms: number }[]) => median(list.map((r) => r.ms));
  const lpp = options.lppLimitMs ? await timed(page, session, 'lpp', options.lppLimitMs) : undefined;
  return {
    reference: wall(runs.reference),
    ours: wall(runs.ours),
    referenceCpu: cpu(runs.reference),
    oursCpu: cpu(runs.ours),
    isolated: { reference: wall(isolated.reference), ours: wall(isolated.ours), referenceCpu: cpu(isolated.reference), oursCpu: cpu(isolated.ours) },
    calls: options.rounds,
    lpp: lpp?.ms,
    lppCpu: lpp ? Math.max(0, lpp.cpu - overhead) : undefined,
    referenceFound: runs.reference[0]?.found ?? 0,
    oursFound: runs.ours[0]?.found ?? 0,
    lppFound: lpp?.found,
    lppStopped: lpp?.stopped === true,
  };
}
