/**
 * `npm run bench [-- --quick]`: the extension's cost on generated CRM list views in headless
 * Chromium, against the same pages without it and against simpler scanners, printed as one table
 * and written to BENCHMARKS.md. Figures are medians over several runs; every ratio is taken in
 * the same run. The benchmark measures; it never fails on a slow machine.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { chromiumPath } from '../tests/e2e/harness/browser';
import { launchBenchBrowser } from './browser';
import { bundleSizes, type BundleSize } from './bundle-size';
import { makeControlExtension } from './control-extension';
import { option } from './cli';
import { KNOWN_SHARE, labelUuid, makeFixture, pageHtml, rowCells } from './fixture';
import { addRows, apiQuiet, configureExtension, loadLimitFor, openView, traceWindow, twoTabRequests } from './page-views';
import { benchmarksMd, terminalTable, type Context } from './report';
import { ROOT, buildScanBundle } from './scan-bundle';
import { compareScans, lppLimitMs } from './scan-compare';
import { ADDED_KNOWN, ADDED_ROWS, INCREMENTAL_LIMIT_MS, buildSections, hotspotLines, type RunFigures } from './sections';
import { startBenchServer } from './server';

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
// `--sizes=1000,5000` and `--runs=3` override the defaults, e.g. to look into one figure.
const SIZES = option('sizes')?.split(',').map(Number).filter((n) => n > 0) ?? (QUICK ? [1_000, 10_000] : [1_000, 10_000, 50_000]);
const RUNS = Number(option('runs') ?? (QUICK ? 1 : 3));
/**
 * Pages above this size get one run unless `--runs` says otherwise: one view of 50,000 rows takes
 * minutes on a 2-core machine, and three of each would make the full run last an hour.
 */
const ONE_RUN_ABOVE = 20_000;
function runsFor(rows: number): number {
  return option('runs') === undefined && rows > ONE_RUN_ABOVE ? 1 : RUNS;
}
/** Timed calls of each of ours and the reference per run, alternating. */
const SCAN_ROUNDS = QUICK ? 5 : 7;
/** How long the control is traced after the load event: its content script is injected at document_idle, soon after. */
const CONTROL_WINDOW_MS = 15_000;
/** Longest wait for a closed view's last lookups to end before the next view starts. */
const API_QUIET_LIMIT_MS = 20_000;

/**
 * The longest a loaded view may take to go quiet: long enough for a loaded 2-core machine to
 * badge 50,000 rows, short enough for the full run; views cut off here say so.
 */
function settleLimitFor(rows: number): number {
  return 20_000 + rows / 2;
}

function log(message: string) {
  console.info(`[bench] ${message}`);
}

/**
 * The production build of the working tree as it is now, made by this run into a folder of the
 * bench's own (WXT_OUT_DIR if set), so every figure, sizes included, is of the code measured.
 */
function buildExtension(): string {
  const outDir = path.resolve(ROOT, process.env.WXT_OUT_DIR ?? path.join(os.tmpdir(), 'mca-bench-build'));
  const dir = path.join(outDir, 'chrome-mv3');
  log(`building the production build into ${outDir}`);
  rmSync(dir, { recursive: true, force: true });
  try {
    execFileSync('npx', ['wxt', 'build'], { cwd: ROOT, stdio: 'pipe', env: { ...process.env, WXT_OUT_DIR: outDir } });
  } catch (error) {
    // Only a failed build's output is worth reading; a good one's warnings are the build's business.
    const output = error as { stdout?: Buffer; stderr?: Buffer };
    console.error(`${output.stdout?.toString() ?? ''}${output.stderr?.toString() ?? ''}`);
    throw error;
  }
  if (!existsSync(path.join(dir, 'manifest.json'))) throw new Error(`the build left no manifest in ${dir}`);
  return dir;
}

/** The commit the build was made from, and whether the working tree differed from it. */
function sourceVersion(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'entrypoints', 'utils', 'components', 'public', 'wxt.config.ts', 'package.json'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${commit} with uncommitted changes` : commit;
  } catch {
    return 'unknown';
  }
}

function browserVersion(): string {
  try {
    return execFileSync(chromiumPath(), ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const failures = new Map<string, string>();

async function attempt<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
  const started = Date.now();
  try {
    const value = await fn();
    log(`  ${what}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return value;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    if (!failures.has(what)) failures.set(what, reason ?? 'failed');
    log(`${what}: ${reason}`);
    return undefined;
  }
}

async function clearCache(extensionPage: Page): Promise<void> {
  const answer = await extensionPage.evaluate(() =>
    (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ type: 'clearCache' }),
  );
  if (!(answer as { ok?: boolean } | undefined)?.ok) throw new Error(`clearCache refused: ${JSON.stringify(answer)}`);
}

async function main(): Promise<number> {
  const started = Date.now();
  const loadBefore = os.loadavg();
  const sizesMeasured: BundleSize[] = [];
  let extDir: string | undefined;
  let controlDir: string | undefined;
  const source = sourceVersion();
  await attempt('build', async () => {
    extDir = buildExtension();
    sizesMeasured.push(...(await bundleSizes(extDir)));
    controlDir = makeControlExtension(extDir);
  });
  log('bundling the scanners');
  const scanBundle = await attempt('scan bundle', buildScanBundle);

  const maxRows = Math.max(...SIZES);
  const pageKnown = Math.ceil(maxRows * KNOWN_SHARE);
  const server = await startBenchServer({ connections: pageKnown + SIZES.length * RUNS * ADDED_KNOWN + 10 });
  const knownPool = server.api.connections.map((c) => c.host_organization_id);
  const pageKnownIds = knownPool.slice(0, pageKnown);
  let spare = pageKnown;
  for (const rows of SIZES) {
    log(`generating the ${rows}-row page`);
    server.setPage(`/accounts-${rows}`, pageHtml(makeFixture(rows, pageKnownIds)));
  }

  const bare = await launchBenchBrowser({ hostResolverRules: server.hostResolverRules });
  const ext = extDir ? await attempt('launch with extension', () => launchBenchBrowser({ extensionDir: extDir, hostResolverRules: server.hostResolverRules })) : undefined;
  const optionsPage = ext ? await attempt('configure the extension', () => configureExtension(ext, server)) : undefined;
  const control = controlDir ? await attempt('launch the control', () => launchBenchBrowser({ extensionDir: controlDir, hostResolverRules: server.hostResolverRules })) : undefined;

  const results = new Map<number, RunFigures[]>();
  try {
    for (const rows of SIZES) {
      const url = `${server.origin}/accounts-${rows}`;
      const limits = { timeoutMs: loadLimitFor(rows), settleMs: settleLimitFor(rows) };
      const perRun: RunFigures[] = [];
      results.set(rows, perRun);
      let lppStopped = false;
      const runs = runsFor(rows);
      for (let run = 0; run < runs; run++) {
        log(`${rows} rows, run ${run + 1}/${runs}`);
        const figures: RunFigures = {};
        perRun.push(figures);
        const bareView = await attempt('view without extension', () => openView(bare, server, url, { trace: true, ...limits }));
        if (bareView) {
          figures.bare = bareView.figures;
          if (scanBundle) {
            figures.scan = await attempt('scan comparison', () =>
              compareScans(bareView.page, bareView.session, scanBundle, { rounds: SCAN_ROUNDS, lppLimitMs: lppStopped ? undefined : lppLimitMs(rows) }),
            );
            lppStopped ||= figures.scan?.lppStopped === true;
          }
          await bareView.close();
        }
        if (control) figures.control = await attempt('control view', () => traceWindow(control, url, { timeoutMs: limits.timeoutMs, windowMs: CONTROL_WINDOW_MS }));
        if (!ext || !optionsPage) continue;
        await apiQuiet(server, API_QUIET_LIMIT_MS);
        await attempt('clear cache', () => clearCache(optionsPage));
        const coldStart = Date.now();
        const cold = await attempt('cold view', () => openView(ext, server, url, { trace: true, ...limits }));
        if (cold) {
          figures.cold = cold.figures;
          await cold.close();
        }
        // The warm view starts once the closed view's last lookups are done, within the cache lifetime.
        await apiQuiet(server, API_QUIET_LIMIT_MS);
        figures.warmAfter = Date.now() - coldStart;
        const warm = await attempt('warm view', () => openView(ext, server, url, { trace: false, ...limits }));
        if (warm) {
          figures.warm = warm.figures;
          if (rows === SIZES[0] || rows === maxRows) {
            const known = knownPool.slice(spare, spare + ADDED_KNOWN);
            spare += ADDED_KNOWN;
            // The known IDs go to every fourth of the first rows: in view, where badges are drawn.
            const added = Array.from({ length: ADDED_ROWS }, (_, i) => {
              const id = i % 4 === 1 && i < ADDED_KNOWN * 4 ? (known[i >> 2] as string) : labelUuid(`added-${rows}-${run}-${i}`);
              return rowCells(rows + i, id);
            });
            figures.added = await attempt('incremental', () => addRows(warm, ext, server, added, known, INCREMENTAL_LIMIT_MS));
          }
          await warm.close();
        }
        // Two tabs count requests, not time: once per size is enough.
        if (run === 0) {
          await apiQuiet(server, API_QUIET_LIMIT_MS);
          await attempt('clear cache', () => clearCache(optionsPage));
          figures.twoTabs = await attempt('two tabs', () => twoTabRequests(ext, server, url, limits));
        }
      }
    }
  } finally {
    await ext?.close();
    await control?.close();
    await bare.close();
    await server.close();
  }

  const ctx: Context = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    mode: `${QUICK ? 'quick (--quick)' : 'full'}${option('sizes') || option('runs') ? `, ${argv.join(' ')}` : ''}`,
    runs: SIZES.map((rows) => `${runsFor(rows)} at ${rows.toLocaleString('en-US')} rows`).join(', '),
    sizes: SIZES,
    browser: browserVersion(),
    source,
    extensionDir: extDir,
    loadBefore,
    loadAfter: os.loadavg(),
    durationS: (Date.now() - started) / 1000,
  };
  const sections = buildSections(results, sizesMeasured, ext !== undefined && optionsPage !== undefined, failures, {
    viewLimitMs: Object.fromEntries(SIZES.map((s) => [s, settleLimitFor(s)])),
  });
  const hotspots = hotspotLines(results);
  console.info(`\n${terminalTable(sections, ctx)}\n\n${hotspots.join('\n')}\n`);
  writeFileSync(path.join(ROOT, 'BENCHMARKS.md'), benchmarksMd(sections, ctx, hotspots));
  log('written to BENCHMARKS.md');
  const measuredAnything = [...results.values()].some((runs) => runs.some((r) => r.bare || r.cold));
  return measuredAnything ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('[bench] could not measure:', error);
    process.exit(1);
  },
);
