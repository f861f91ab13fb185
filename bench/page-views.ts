import type { Page } from 'playwright-core';
import type { BenchBrowser } from './browser';
import { badgeCount, prependRows, readProbe, visibleRowIds, type PageProbe } from './in-page/probes';
import { BENCH_HOST, type BenchServer } from './server';
import { startTrace, type MainThreadFigures } from './trace';

/** No new badge and no new API request for this long: the extension is done with the page. */
const QUIET_MS = 1500;
const POLL_MS = 200;

export interface ViewFigures {
  /** Time to the first badge after DOMContentLoaded, ms. */
  firstBadge?: number;
  /** Time until the last of the visible rows' badges appeared after DOMContentLoaded, ms. */
  allVisible?: number;
  visibleIds: number;
  visibleBadged: number;
  badges: number;
  /** Requests the mock API received during the view. */
  requests: number;
  /** The same, by kind (token, list, one ID) and status. */
  requestKinds: Record<string, number>;
  main?: MainThreadFigures;
  /** JSHeapUsedSize after a forced garbage collection, bytes. */
  heap: number;
  /** DOM nodes of the page's renderer. */
  nodes: number;
}

export interface OpenView {
  page: Page;
  figures: ViewFigures;
  close(): Promise<void>;
}

/** Requests in the mock API's log by kind and status, e.g. `per-ID 404`. */
export function requestKinds(server: BenchServer): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const r of server.api.requests) {
    const kind = /\/oauth2\/token$/.test(r.path)
      ? 'token'
      : /\/host-connections\/[^/]+$/.test(r.path)
        ? 'per-ID'
        : /\/host-connections$/.test(r.path)
          ? 'list'
          : r.path;
    const key = `${r.method === 'GET' || r.method === 'POST' ? '' : `${r.method} `}${kind} ${r.status ?? 'no answer'}`;
    kinds[key] = (kinds[key] ?? 0) + 1;
  }
  return kinds;
}

function pendingRequests(server: BenchServer): number {
  return server.api.requests.filter((r) => r.status === null).length;
}

/**
 * Waits until badges and API traffic have been still for QUIET_MS, or `timeoutMs` passed. With
 * `expectBadges`, stillness counts only once a badge is there: on a warm cache nothing reaches the
 * API, and a slow machine may start the content script well after the page loaded.
 */
export async function settle(pages: Page[], server: BenchServer, timeoutMs: number, expectBadges = false): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (expectBadges && Date.now() < end) {
    const counts = await Promise.all(pages.map((p) => p.evaluate(badgeCount)));
    if (counts.every((n) => n > 0)) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  let last = '';
  let stillSince = Date.now();
  while (Date.now() < end) {
    const counts = await Promise.all(pages.map((p) => p.evaluate(badgeCount)));
    const state = `${counts.join(',')}/${server.api.requests.length}/${pendingRequests(server)}`;
    if (state !== last) {
      last = state;
      stillSince = Date.now();
    } else if (Date.now() - stillSince >= QUIET_MS) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function badgeFigures(probe: PageProbe, visible: string[]) {
  const times = Object.values(probe.badgeTimes);
  const visibleTimes = visible.map((id) => probe.badgeTimes[id]).filter((t): t is number => t !== undefined);
  return {
    firstBadge: times.length ? Math.min(...times) - probe.ready : undefined,
    allVisible: visibleTimes.length ? Math.max(...visibleTimes) - probe.ready : undefined,
    visibleIds: visible.length,
    visibleBadged: visibleTimes.length,
    badges: probe.badgeCount,
  };
}

/** Opens `url` in a new tab, waits for the extension to settle and reads every figure of the view. */
export async function openView(
  browser: BenchBrowser,
  server: BenchServer,
  url: string,
  options: { trace: boolean; timeoutMs: number },
): Promise<OpenView> {
  const page = await browser.context.newPage();
  const session = await browser.context.newCDPSession(page);
  server.api.clearRequests();
  const stop = options.trace ? await startTrace(session, BENCH_HOST) : undefined;
  await page.goto(url, { waitUntil: 'load', timeout: options.timeoutMs });
  await settle([page], server, options.timeoutMs, browser.extensionId !== undefined);
  const main = await stop?.();
  const requests = server.api.requests.length;
  const kinds = requestKinds(server);
  const probe = await page.evaluate(readProbe);
  const visible = await page.evaluate(visibleRowIds);
  await session.send('HeapProfiler.collectGarbage');
  await session.send('Performance.enable');
  const { metrics } = await session.send('Performance.getMetrics');
  const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
  return {
    page,
    figures: { ...badgeFigures(probe, visible), requests, requestKinds: kinds, main, heap: metric('JSHeapUsedSize'), nodes: metric('Nodes') },
    close: async () => {
      await session.detach().catch(() => undefined);
      await page.close();
    },
  };
}

/** Two tabs of the same page opened together: the requests both cause. */
export async function twoTabRequests(
  browser: BenchBrowser,
  server: BenchServer,
  url: string,
  timeoutMs: number,
): Promise<{ requests: number; kinds: Record<string, number> }> {
  const pages = await Promise.all([browser.context.newPage(), browser.context.newPage()]);
  server.api.clearRequests();
  await Promise.all(pages.map((p) => p.goto(url, { waitUntil: 'load', timeout: timeoutMs })));
  await settle(pages, server, timeoutMs, true);
  const result = { requests: server.api.requests.length, kinds: requestKinds(server) };
  await Promise.all(pages.map((p) => p.close()));
  return result;
}

export interface IncrementalFigures {
  /** From the insertion to the last badge of a new known row, ms. */
  latency?: number;
  /** Main-thread time the profiler caught in extension code meanwhile, ms. */
  extensionCpu: number;
  newBadged: number;
  hotspots: MainThreadFigures['hotspots'];
  requestKinds: Record<string, number>;
}

/** Inserts `rows` at the top of the open list and measures what the extension does about them. */
export async function addRows(view: OpenView, browser: BenchBrowser, server: BenchServer, rows: string[][], knownIds: string[], timeoutMs: number): Promise<IncrementalFigures> {
  const session = await browser.context.newCDPSession(view.page);
  try {
    server.api.clearRequests();
    const stop = await startTrace(session, BENCH_HOST);
    const at = await view.page.evaluate(prependRows, rows);
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const { badgeTimes } = await view.page.evaluate(readProbe);
      if (knownIds.every((id) => badgeTimes[id] !== undefined)) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    await settle([view.page], server, timeoutMs);
    const main = await stop();
    const { badgeTimes } = await view.page.evaluate(readProbe);
    const times = knownIds.map((id) => badgeTimes[id]).filter((t): t is number => t !== undefined);
    return {
      latency: times.length ? Math.max(...times) - at : undefined,
      extensionCpu: main.extensionCpu,
      newBadged: times.length,
      hotspots: main.hotspots,
      requestKinds: requestKinds(server),
    };
  } finally {
    await session.detach().catch(() => undefined);
  }
}
