/**
 * `npx vite-node bench/scroll-jank.ts --builds=DIR,DIR [--rows=10000] [--screens=30] [--views=1] [--wait=0]`:
 * what scrolling the bench page costs once it has settled, without the extension and with each
 * build (a `chrome-mv3` folder). Each view scrolls the page a wheel step at a time, 250 ms apart,
 * and traces it: the page's tasks over 50 ms, the time they block beyond 50 ms, the browser's
 * layout, pre-paint, paint and hit-test time, the main thread's garbage collection, and the badges
 * drawn meanwhile. Each build is also given as a ratio to the page without the extension in the
 * same round. `--wait` adds seconds between the view going quiet and the scroll, to tell a cost of
 * scrolling from a collection after the load that a later scroll would miss. BENCHMARKS.md quotes
 * it: the load-time figures of `npm run bench` do not show what scrolling a page with badges costs.
 */
import type { CDPSession, Page } from 'playwright-core';
import { launchBenchBrowser, VIEWPORT } from './browser';
import { option } from './cli';
import { KNOWN_SHARE, makeFixture, pageHtml } from './fixture';
import { badgeCount } from './in-page/probes';
import { configureExtension, loadLimitFor, settle } from './page-views';
import { BENCH_HOST, startBenchServer } from './server';
import { median } from './stats';
import { gcSpans, LONG_TASK_US, outerTasks, pageThreadEvents, recordTrace } from './trace';

const builds = option('builds')?.split(',').filter(Boolean) ?? [];
const rows = Number(option('rows') ?? 10_000);
const screens = Number(option('screens') ?? 30);
const views = Number(option('views') ?? 1);
const waitS = Number(option('wait') ?? 0);
if (!(rows > 0) || !(screens > 0) || !(views > 0) || !(waitS >= 0)) {
  console.error('usage: npx vite-node bench/scroll-jank.ts --builds=DIR,DIR [--rows=10000] [--screens=30] [--views=1] [--wait=0]');
  process.exit(2);
}
/** Wheel steps per screen, and the pause between them: a reader scrolling down a list. */
const STEPS_PER_SCREEN = 2;
const STEP_PAUSE_MS = 250;
/** The longest wait for a view to go quiet before the scroll. */
const SETTLE_LIMIT_MS = 20_000 + rows * 2;

/** The browser's steps whose time the figures give, by trace event name. */
const STEPS = { layout: 'Layout', prePaint: 'PrePaint', paint: 'Paint', hitTest: 'HitTest' } as const;

interface ScrollFigures extends Record<keyof typeof STEPS, number> {
  longTasks: number;
  blockingMs: number;
  gcMs: number;
  badgesDrawn: number;
}

async function scrollTraced(page: Page, session: CDPSession): Promise<ScrollFigures> {
  const before = await page.evaluate(badgeCount);
  const stop = await recordTrace(session);
  for (let step = 0; step < screens * STEPS_PER_SCREEN; step++) {
    await page.mouse.wheel(0, VIEWPORT.height / STEPS_PER_SCREEN);
    await page.waitForTimeout(STEP_PAUSE_MS);
  }
  // The last steps' layouts and paints.
  await page.waitForTimeout(2000);
  const own = pageThreadEvents(await stop(), BENCH_HOST);
  const long = outerTasks(own).filter(([start, end]) => end - start > LONG_TASK_US);
  const stepMs = (name: string) => own.filter((e) => e.name === name && e.ph === 'X').reduce((sum, e) => sum + (e.dur ?? 0), 0) / 1000;
  return {
    longTasks: long.length,
    blockingMs: long.reduce((sum, [start, end]) => sum + (end - start - LONG_TASK_US), 0) / 1000,
    layout: stepMs(STEPS.layout),
    prePaint: stepMs(STEPS.prePaint),
    paint: stepMs(STEPS.paint),
    hitTest: stepMs(STEPS.hitTest),
    gcMs: gcSpans(own).reduce((sum, [start, end]) => sum + end - start, 0) / 1000,
    badgesDrawn: (await page.evaluate(badgeCount)) - before,
  };
}

function steps(f: ScrollFigures): string {
  return (Object.keys(STEPS) as (keyof typeof STEPS)[]).map((key) => `${STEPS[key]} ${f[key].toFixed(0)} ms`).join(', ');
}

function medianFigures(list: ScrollFigures[]): ScrollFigures {
  const keys = Object.keys(list[0]!) as (keyof ScrollFigures)[];
  return Object.fromEntries(keys.map((key) => [key, median(list.map((f) => f[key]))])) as unknown as ScrollFigures;
}

async function view(url: string, build: string | undefined, server: Awaited<ReturnType<typeof startBenchServer>>): Promise<ScrollFigures> {
  const browser = await launchBenchBrowser({ extensionDir: build, hostResolverRules: server.hostResolverRules });
  try {
    const options = build ? await configureExtension(browser, server) : undefined;
    const page = await browser.context.newPage();
    await page.goto(url, { waitUntil: 'load', timeout: loadLimitFor(rows) });
    const session = await browser.context.newCDPSession(page);
    // The scroll starts once the extension is done with the page: no badge, request or busy main thread for a while.
    await settle([{ page, session }], server, SETTLE_LIMIT_MS, build !== undefined);
    await page.waitForTimeout(waitS * 1000);
    await page.mouse.move(VIEWPORT.width / 2, VIEWPORT.height / 2);
    const figures = await scrollTraced(page, session);
    await options?.close();
    return figures;
  } finally {
    await browser.close();
  }
}

const server = await startBenchServer({ connections: Math.ceil(rows * KNOWN_SHARE) + 10 });
try {
  server.setPage('/scroll', pageHtml(makeFixture(rows, server.api.connections.map((c) => c.host_organization_id))));
  const url = `${server.origin}/scroll`;
  const labels = ['without extension', ...builds];
  const seen = new Map<string, ScrollFigures[]>(labels.map((label) => [label, []]));
  const ratios = new Map<string, number[]>(builds.map((build) => [build, []]));
  for (let round = 1; round <= views; round++) {
    const bare = await view(url, undefined, server);
    seen.get(labels[0]!)!.push(bare);
    for (const build of builds) {
      const figures = await view(url, build, server);
      seen.get(build)!.push(figures);
      // A page that blocks for nothing while scrolling gives no ratio: the figures say it all.
      if (bare.blockingMs > 0) ratios.get(build)!.push(figures.blockingMs / bare.blockingMs);
    }
    for (const label of labels) {
      const f = seen.get(label)!.at(-1)!;
      console.info(`round ${round}, ${label}: ${f.longTasks} tasks over 50 ms, blocking ${f.blockingMs.toFixed(0)} ms, ${steps(f)}, collection ${f.gcMs.toFixed(0)} ms, ${f.badgesDrawn} badges drawn`);
    }
  }
  console.info(`\n${rows.toLocaleString('en-US')} rows, ${screens} screens scrolled, ${views} round(s); medians`);
  for (const label of labels) {
    const list = seen.get(label)!;
    const ratio = ratios.get(label);
    console.info(
      `${label}: blocking ${median(list.map((f) => f.blockingMs)).toFixed(0)} ms` +
        (ratio?.length ? ` (${median(ratio).toFixed(2)}× the page without extension)` : '') +
        `, ${steps(medianFigures(list))}, collection ${median(list.map((f) => f.gcMs)).toFixed(0)} ms, tasks over 50 ms ${median(list.map((f) => f.longTasks))}, badges drawn ${median(list.map((f) => f.badgesDrawn))}`,
    );
  }
} finally {
  await server.close();
}
