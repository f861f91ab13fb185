/**
 * `npx vite-node bench/compare-builds.ts --builds=DIR,DIR [--rows=50000] [--views=3] [--window=60]`:
 * the longest task with extension code on a cold view of the bench page, for several builds of
 * the extension (each a `chrome-mv3` folder, e.g. made with `WXT_OUT_DIR=… npx wxt build` from
 * an edited tree). Views alternate between the builds, round after round, each in a fresh browser,
 * so a busy spell of the machine lands on all of them alike. Each view is traced for a fixed
 * window after the load event, not until it settles, so every build is watched for as long.
 * BENCHMARKS.md quotes it where one view of a page is too few to tell two builds apart.
 */
import { launchBenchBrowser } from './browser';
import { KNOWN_SHARE, makeFixture, pageHtml } from './fixture';
import { option } from './cli';
import { configureExtension, loadLimitFor, traceWindow } from './page-views';
import { startBenchServer, type BenchServer } from './server';
import { median } from './stats';
import type { MainThreadFigures } from './trace';

const builds = option('builds')?.split(',').filter(Boolean) ?? [];
const rows = Number(option('rows') ?? 50_000);
const views = Number(option('views') ?? 3);
const windowMs = Number(option('window') ?? 60) * 1000;
if (!builds.length || !(rows > 0) || !(views > 0) || !(windowMs > 0)) {
  console.error('usage: npx vite-node bench/compare-builds.ts --builds=DIR,DIR [--rows=50000] [--views=3] [--window=60]');
  process.exit(2);
}

type Figures = Pick<MainThreadFigures, 'longestExtensionTaskCpu' | 'longestExtensionTaskGcCpu' | 'longestExtensionTaskCpuNoGc' | 'extensionCpu'>;

async function coldView(build: string, server: BenchServer): Promise<Figures> {
  const browser = await launchBenchBrowser({ extensionDir: build, hostResolverRules: server.hostResolverRules });
  try {
    const options = await configureExtension(browser, server);
    const figures = await traceWindow(browser, `${server.origin}/compare`, { timeoutMs: loadLimitFor(rows), windowMs });
    await options.close();
    return figures;
  } finally {
    await browser.close();
  }
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const server = await startBenchServer({ connections: Math.ceil(rows * KNOWN_SHARE) + 10 });
try {
  server.setPage('/compare', pageHtml(makeFixture(rows, server.api.connections.map((c) => c.host_organization_id))));
  const seen = new Map<string, Figures[]>(builds.map((build) => [build, []]));
  for (let round = 1; round <= views; round++) {
    for (const build of builds) {
      const figures = await coldView(build, server);
      seen.get(build)!.push(figures);
      console.info(
        `view ${round}, ${build}: longest task with extension code ${ms(figures.longestExtensionTaskCpu)} CPU, ` +
          `${ms(figures.longestExtensionTaskGcCpu)} of it collection; without collection ${ms(figures.longestExtensionTaskCpuNoGc)}; ` +
          `extension main-thread time ${ms(figures.extensionCpu)}`,
      );
    }
  }
  console.info(`\n${rows.toLocaleString('en-US')} rows, ${views} cold views a build, ${windowMs / 1000} s traced after load`);
  for (const [build, list] of seen) {
    const noGc = list.map((f) => f.longestExtensionTaskCpuNoGc);
    console.info(
      `${build}: without collection, median ${ms(median(noGc))} (${noGc.map((v) => v.toFixed(1)).join(', ')}); ` +
        `with it, median ${ms(median(list.map((f) => f.longestExtensionTaskCpu)))}; ` +
        `extension main-thread time, median ${ms(median(list.map((f) => f.extensionCpu)))}`,
    );
  }
} finally {
  await server.close();
}
