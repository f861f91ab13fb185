import type { CDPSession, Page } from 'playwright-core';
import { DEV_CLIENT_ID, DEV_CLIENT_SECRET } from '../mock-api/seed';
import { configureThroughOptions } from '../tests/e2e/harness/options-page';
import type { BenchBrowser } from './browser';
import { badgeCount, prependRows, readProbe, visibleRowIds, type PageProbe } from './in-page/probes';
import { threadCpuMs } from './scan-compare';
import { BENCH_HOST, type BenchServer } from './server';
import { PAGE_MARK, startTrace, type MainThreadFigures } from './trace';

/**
 * No new badge, no API request and an idle main thread for this long: the extension is done with
 * the page. Longer than the 2 s limit of the content script's idle callbacks, whose lookups
 * otherwise look like the end of the work.
 */
const QUIET_MS = 2500;
const POLL_MS = 200;
/** Main-thread CPU time per wall time above which a page counts as busy (the bench's own polls stay below). */
const BUSY_SHARE = 0.15;
/** After the new rows are badged, how long the incremental trace may wait for the rest of the work to end. */
const INCREMENTAL_SETTLE_MS = 10_000;

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
  /** Whether the view went quiet before the bench's limit; if not, counts are lower bounds. */
  settled: boolean;
  /** From the navigation to the start of the quiet spell (or to the limit), ms. */
  busyFor: number;
  main?: MainThreadFigures;
  /** JSHeapUsedSize after a forced garbage collection, bytes. */
  heap: number;
  /** DOM nodes of the page's renderer. */
  nodes: number;
}

export interface OpenView {
  page: Page;
  session: CDPSession;
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Watched {
  page: Page;
  session: CDPSession;
}

/**
 * Waits until badges and API traffic have been still, and every page's main thread idle, for
 * QUIET_MS, or `timeoutMs` passed; returns whether it went quiet and when the quiet began. With
 * `expectBadges`, stillness counts only once a badge is there: on a warm cache nothing reaches the
 * API, and a slow machine may start the content script well after the page loaded.
 */
export async function settle(pages: Watched[], server: BenchServer, timeoutMs: number, expectBadges = false): Promise<{ settled: boolean; quietSince: number }> {
  const end = Date.now() + timeoutMs;
  for (const { session } of pages) await session.send('Performance.enable');
  while (expectBadges && Date.now() < end) {
    const counts = await Promise.all(pages.map(({ page }) => page.evaluate(badgeCount)));
    if (counts.every((n) => n > 0)) break;
    await sleep(POLL_MS);
  }
  let last = '';
  let stillSince = Date.now();
  let cpu = await Promise.all(pages.map(({ session }) => threadCpuMs(session)));
  let at = Date.now();
  while (Date.now() < end) {
    await sleep(POLL_MS);
    const counts = await Promise.all(pages.map(({ page }) => page.evaluate(badgeCount)));
    const nowCpu = await Promise.all(pages.map(({ session }) => threadCpuMs(session)));
    const now = Date.now();
    const busy = nowCpu.some((c, i) => c - (cpu[i] as number) > BUSY_SHARE * (now - at));
    cpu = nowCpu;
    at = now;
    const state = `${counts.join(',')}/${server.api.requests.length}/${pendingRequests(server)}`;
    if (state !== last || busy) {
      last = state;
      stillSince = now;
    } else if (now - stillSince >= QUIET_MS) {
      return { settled: true, quietSince: stillSince };
    }
  }
  return { settled: false, quietSince: Date.now() };
}

/** Waits until the mock API has had no request in flight and no new one for QUIET_MS (a closed tab's lookups finish in the worker). */
export async function apiQuiet(server: BenchServer, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  let last = -1;
  let stillSince = Date.now();
  while (Date.now() < end) {
    const state = server.api.requests.length * 1000 + pendingRequests(server);
    if (state !== last) {
      last = state;
      stillSince = Date.now();
    } else if (Date.now() - stillSince >= QUIET_MS) {
      return true;
    }
    await sleep(POLL_MS);
  }
  return false;
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

/** Generous limits for loading one page: a loaded 2-core machine parses 50,000 rows slowly. */
export function loadLimitFor(rows: number): number {
  return 60_000 + rows * 2;
}

/** Gives the extension the mock API's credentials through its options page, as a user would. */
export async function configureExtension(browser: BenchBrowser, server: BenchServer): Promise<Page> {
  const id = browser.extensionId as string;
  return configureThroughOptions(
    {
      context: browser.context,
      extensionId: id,
      extensionUrl: (page) => `chrome-extension://${id}/${page}`,
      worker: async () => {
        const worker = browser.context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${id}/`));
        if (!worker) throw new Error('no service worker');
        return worker;
      },
      close: browser.close,
    },
    { auth: { clientId: DEV_CLIENT_ID, clientSecret: DEV_CLIENT_SECRET }, requesterOrgId: server.api.requesterOrgId },
  );
}

/**
 * Opens `url` in a new tab and traces it for `windowMs` after the load event, whatever the
 * extension does: every build, and the control, is watched for as long.
 */
export async function traceWindow(browser: BenchBrowser, url: string, limits: { timeoutMs: number; windowMs: number }): Promise<MainThreadFigures> {
  const page = await browser.context.newPage();
  try {
    const session = await browser.context.newCDPSession(page);
    const stop = await startTrace(session, BENCH_HOST);
    await page.goto(url, { waitUntil: 'load', timeout: limits.timeoutMs });
    await page.waitForTimeout(limits.windowMs);
    return await stop();
  } finally {
    await page.close();
  }
}

/** Opens `url` in a new tab, waits for the extension to settle and reads every figure of the view. */
export async function openView(
  browser: BenchBrowser,
  server: BenchServer,
  url: string,
  options: { trace: boolean; timeoutMs: number; settleMs: number },
): Promise<OpenView> {
  const page = await browser.context.newPage();
  const session = await browser.context.newCDPSession(page);
  server.api.clearRequests();
  const stop = options.trace ? await startTrace(session, BENCH_HOST) : undefined;
  const started = Date.now();
  await page.goto(url, { waitUntil: 'load', timeout: options.timeoutMs });
  const quiet = await settle([{ page, session }], server, options.settleMs, browser.extensionId !== undefined);
  const main = await stop?.();
  const requests = server.api.requests.length;
  const kinds = requestKinds(server);
  const probe = await page.evaluate(readProbe);
  const visible = await page.evaluate(visibleRowIds);
  await session.send('HeapProfiler.collectGarbage');
  const { metrics } = await session.send('Performance.getMetrics');
  const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
  return {
    page,
    session,
    figures: {
      ...badgeFigures(probe, visible),
      requests,
      requestKinds: kinds,
      settled: quiet.settled,
      busyFor: quiet.quietSince - started,
      main,
      heap: metric('JSHeapUsedSize'),
      nodes: metric('Nodes'),
    },
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
  limits: { timeoutMs: number; settleMs: number },
): Promise<{ requests: number; kinds: Record<string, number>; settled: boolean }> {
  const pages = await Promise.all([browser.context.newPage(), browser.context.newPage()]);
  const watched = await Promise.all(pages.map(async (page) => ({ page, session: await browser.context.newCDPSession(page) })));
  server.api.clearRequests();
  await Promise.all(pages.map((p) => p.goto(url, { waitUntil: 'load', timeout: limits.timeoutMs })));
  const quiet = await settle(watched, server, limits.settleMs, true);
  const result = { requests: server.api.requests.length, kinds: requestKinds(server), settled: quiet.settled };
  await Promise.all(pages.map((p) => p.close()));
  return result;
}

export interface IncrementalFigures {
  /** From the insertion to the last badge of a new known row, ms; the limit when not all were badged. */
  latency: number;
  /** Whether every new known row was badged within the limit (if not, `latency` is a lower bound). */
  complete: boolean;
  /** Whether the view had gone quiet before the insertion (if not, the rows queued behind its work). */
  fromQuiet: boolean;
  /** Main-thread time the profiler caught in extension code meanwhile, ms. */
  extensionCpu: number;
  newBadged: number;
  /** New known rows in view, the ones waited for. */
  newInView: number;
  hotspots: MainThreadFigures['hotspots'];
  requestKinds: Record<string, number>;
}

/** Inserts `rows` at the top of the open list and measures what the extension does about them. */
export async function addRows(
  view: OpenView,
  browser: BenchBrowser,
  server: BenchServer,
  rows: string[][],
  knownIds: string[],
  timeoutMs: number,
): Promise<IncrementalFigures> {
  const session = await browser.context.newCDPSession(view.page);
  try {
    server.api.clearRequests();
    const stop = await startTrace(session, BENCH_HOST);
    await view.page.evaluate((mark) => console.timeStamp(mark), PAGE_MARK);
    const at = await view.page.evaluate(prependRows, rows);
    // Badges are drawn in view only: the figure waits for the new known rows the viewport shows.
    const inView = new Set(await view.page.evaluate(visibleRowIds));
    const awaited = knownIds.filter((id) => inView.has(id));
    if (awaited.length === 0) throw new Error('no new known row in view');
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const { badgeTimes } = await view.page.evaluate(readProbe);
      if (awaited.every((id) => badgeTimes[id] !== undefined)) break;
      await sleep(POLL_MS);
    }
    await settle([{ page: view.page, session: view.session }], server, INCREMENTAL_SETTLE_MS);
    const main = await stop();
    const { badgeTimes } = await view.page.evaluate(readProbe);
    const times = awaited.map((id) => badgeTimes[id]).filter((t): t is number => t !== undefined);
    const complete = times.length === awaited.length;
    return {
      latency: complete ? Math.max(...times) - at : timeoutMs,
      complete,
      fromQuiet: view.figures.settled,
      extensionCpu: main.extensionCpu,
      newBadged: times.length,
      newInView: awaited.length,
      hotspots: main.hotspots,
      requestKinds: requestKinds(server),
    };
  } finally {
    await session.detach().catch(() => undefined);
  }
}
