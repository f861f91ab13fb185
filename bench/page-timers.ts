/**
 * `npx vite-node bench/page-timers.ts`: how long one call of `setTimeout` takes on the bench page
 * itself, without the extension, at 1,000 and 50,000 rows, next to `scheduler.postTask` with the
 * same delay. A page script calls both every 50 ms, in turns, for 40 s from the start of the page.
 * It explains why the content script's delays go through `scheduler.postTask` (time-slicing.ts).
 */
import { launchBenchBrowser } from './browser';
import { makeFixture, pageHtml } from './fixture';
import { startBenchServer } from './server';

const WATCH_MS = 40_000;

/** Times one call of each every 50 ms, the order alternating; keeps every call's duration. */
function probe(): void {
  const calls: Record<string, number[]> = { setTimeout: [], postTask: [] };
  const post = (globalThis as unknown as { scheduler: { postTask(task: () => void, options: { delay: number }): Promise<void> } }).scheduler;
  const timed = (name: string, call: () => void) => {
    const start = performance.now();
    call();
    calls[name]!.push(performance.now() - start);
  };
  let turn = 0;
  setInterval(() => {
    const both: [string, () => void][] = [
      ['setTimeout', () => setTimeout(() => {}, 16)],
      ['postTask', () => void post.postTask(() => {}, { delay: 16 })],
    ];
    if (turn++ % 2) both.reverse();
    for (const [name, call] of both) timed(name, call);
  }, 50);
  (globalThis as unknown as { timerCalls: typeof calls }).timerCalls = calls;
}

const server = await startBenchServer({ connections: 1 });
const browser = await launchBenchBrowser({ hostResolverRules: server.hostResolverRules });
try {
  for (const rows of [1_000, 50_000]) {
    server.setPage(`/timers-${rows}`, pageHtml(makeFixture(rows, [])).replace('<body>', `<body><script>(${probe.toString()})()</script>`));
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/timers-${rows}`, { timeout: 600_000 });
    await page.waitForTimeout(WATCH_MS);
    const calls = await page.evaluate(() => (globalThis as unknown as { timerCalls: Record<string, number[]> }).timerCalls);
    for (const [name, times] of Object.entries(calls)) {
      const slow = times.filter((t) => t > 5).sort((a, b) => b - a);
      console.info(
        `${rows.toLocaleString('en-US')} rows, ${name}: ${times.length} calls, ${slow.length} over 5 ms` +
          (slow.length ? ` (${slow.slice(0, 5).map((t) => `${t.toFixed(0)} ms`).join(', ')}${slow.length > 5 ? ', …' : ''})` : ''),
      );
    }
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
