/**
 * `npx vite-node bench/page-frame.ts`: how long the bench page itself, without the extension,
 * takes to show its next frame after 100 rows are inserted at the top, at 1,000 and 50,000 rows.
 * It explains the incremental figure of BENCHMARKS.md: no badge can appear before that frame.
 */
import { launchBenchBrowser } from './browser';
import { labelUuid, makeFixture, pageHtml, rowCells } from './fixture';
import { prependRows } from './in-page/probes';
import { startBenchServer } from './server';

const INSERTIONS = 3;

const server = await startBenchServer({ connections: 1 });
const browser = await launchBenchBrowser({ hostResolverRules: server.hostResolverRules });
try {
  for (const rows of [1_000, 50_000]) {
    server.setPage(`/accounts-${rows}`, pageHtml(makeFixture(rows, [])));
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/accounts-${rows}`, { timeout: 600_000 });
    const nextFrame = () => page.evaluate(() => new Promise<number>((done) => requestAnimationFrame(() => setTimeout(() => done(performance.now())))));
    await nextFrame();
    const frames: number[] = [];
    for (let k = 0; k < INSERTIONS; k++) {
      const added = Array.from({ length: 100 }, (_, i) => rowCells(rows + i, labelUuid(`frame-${k}-${i}`)));
      const at = await page.evaluate(prependRows, added);
      frames.push((await nextFrame()) - at);
    }
    console.info(`${rows.toLocaleString('en-US')} rows: the next frame after inserting 100 rows took ${frames.map((f) => `${f.toFixed(0)} ms`).join(', ')}`);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
