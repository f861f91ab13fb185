import type { BundleSize } from './bundle-size';
import { KNOWN_SHARE } from './fixture';
import type { IncrementalFigures, ViewFigures } from './page-views';
import type { MainThreadFigures } from './trace';
import type { Row, Section } from './report';
import { lppLimitMs, type ScanFigures } from './scan-compare';
import { median } from './stats';

/** Rows inserted in the incremental test, and how many of them carry an ID the API knows. */
export const ADDED_ROWS = 100;
export const ADDED_KNOWN = Math.round(ADDED_ROWS * KNOWN_SHARE);
/** How long the new rows may take to be badged before the figure is a bound. */
export const INCREMENTAL_LIMIT_MS = 30_000;
const CONTENT_SCRIPT_GZIP_TARGET = 25 * 1024;

/** Figures of one run at one size; a missing one carries the reason it could not be measured. */
export interface RunFigures {
  bare?: ViewFigures;
  scan?: ScanFigures;
  cold?: ViewFigures;
  warm?: ViewFigures;
  /** From the cold view's start to the warm view's, ms: the warm view must come within the cache lifetime. */
  warmAfter?: number;
  twoTabs?: { requests: number; kinds: Record<string, number>; settled: boolean };
  added?: IncrementalFigures;
  /** The control: the same build with a content script that only adds a message listener. */
  control?: MainThreadFigures;
}

/** The bench's time limits, for the figures they cut short. */
export interface Limits {
  viewLimitMs: Record<number, number>;
}

/** The cache lifetime of the default settings: a later "warm" view would be a stale one. */
const CACHE_TTL_MS = 300_000;

type Pick = (r: RunFigures) => number | undefined;

function med(runs: RunFigures[], pick: Pick): number | undefined {
  const values = runs.map(pick).filter((v): v is number => v !== undefined && Number.isFinite(v));
  return values.length ? median(values) : undefined;
}

function na(reason: string): string {
  return `n/a (${reason})`;
}

const ms = (v: number) => (v >= 100 ? `${v.toFixed(0)} ms` : `${v.toFixed(1)} ms`);
const ratio = (v: number) => `${v.toFixed(2)}×`;
const mib = (v: number) => `${(v / 2 ** 20).toFixed(1)} MiB`;
const kib = (v: number) => `${(v / 1024).toFixed(1)} KiB`;
const count = (v: number) => Math.round(v).toLocaleString('en-US');

function kindsText(kinds: Record<string, number> | undefined): string {
  if (!kinds) return 'n/a';
  const parts = Object.entries(kinds).map(([kind, n]) => `${n} ${kind}`);
  return parts.length ? parts.join(', ') : 'none';
}

function reasonIn(failures: Map<string, string>, steps: string[]): string {
  for (const step of steps) {
    const reason = failures.get(step);
    if (reason) return `${step} failed: ${reason.slice(0, 80)}`;
  }
  return 'not measured';
}

/** The table: medians per page size, targets and verdicts; `failures` gives the reason of each n/a. */
export function buildSections(
  results: Map<number, RunFigures[]>,
  bundles: BundleSize[],
  hasExtension: boolean,
  failures: Map<string, string>,
  limits: Limits,
): Section[] {
  const reasonFor = (...steps: string[]) => reasonIn(failures, steps);
  const sizes = [...results.keys()];
  const extReason = hasExtension ? undefined : reasonFor('build', 'launch with extension', 'configure the extension');
  const perSize = (pick: Pick, format: (v: number) => string, steps: string[]): { values: string[]; nums: (number | undefined)[] } => {
    const nums = sizes.map((s) => med(results.get(s) ?? [], pick));
    const values = nums.map((v) => (v === undefined ? na(extReason ?? reasonFor(...steps)) : format(v)));
    return { values, nums };
  };
  const row = (figure: string, pick: Pick, format: (v: number) => string, steps: string[], target?: { text: string; ok: (v: number) => boolean }): Row => {
    const { values, nums } = perSize(pick, format, steps);
    const known = nums.filter((v): v is number => v !== undefined);
    return {
      figure,
      values,
      target: target?.text,
      met: target && known.length === nums.length && known.length > 0 ? known.every(target.ok) : undefined,
    };
  };

  // Where linkify-plus-plus-core hit its time limit, its figure is a bound.
  const lppStoppedAt = (i: number) => (results.get(sizes[i] as number) ?? []).some((run) => run.scan?.lppStopped);
  const stoppable = (r: Row, prefix: string): Row => ({
    ...r,
    values: r.values.map((v, i) => (lppStoppedAt(i) ? `${prefix}${v} (LPP stopped at ${lppLimitMs(sizes[i] as number) / 1000} s)` : v)),
    met: r.met === false && sizes.some((_, i) => lppStoppedAt(i)) ? undefined : r.met,
  });
  const calls = med(results.get(sizes[0] as number) ?? [], (r) => r.scan?.calls);
  const scanSteps = ['scan comparison', 'scan bundle'];
  const scan: Section = {
    title: `Scan cost (no extension loaded; scanners bundled into the page; median of ${calls ?? 'n'} alternating calls a run)`,
    rows: [
      row('Reference pass: one TreeWalker + the same regex, fresh isolated world, thread CPU time', (r) => r.scan?.isolated.referenceCpu, ms, scanSteps),
      row('Our scan (content script scanSubtree, unsliced), fresh isolated world, thread CPU time', (r) => r.scan?.isolated.oursCpu, ms, scanSteps),
      row(
        'Ours ÷ reference, fresh isolated world (where a content script runs), thread CPU time',
        (r) => (r.scan && r.scan.isolated.referenceCpu > 0 ? r.scan.isolated.oursCpu / r.scan.isolated.referenceCpu : undefined),
        ratio,
        scanSteps,
        { text: '≤ 1.5×', ok: (v) => v <= 1.5 },
      ),
      row('Ours ÷ reference, fresh isolated world, wall time', (r) => (r.scan ? r.scan.isolated.ours / r.scan.isolated.reference : undefined), ratio, scanSteps),
      row("Reference pass, the page's main world (wrappers kept between calls), thread CPU time", (r) => r.scan?.referenceCpu, ms, scanSteps),
      row("Our scan, the page's main world, thread CPU time", (r) => r.scan?.oursCpu, ms, scanSteps),
      row("Ours ÷ reference, the page's main world, thread CPU time", (r) => (r.scan && r.scan.referenceCpu > 0 ? r.scan.oursCpu / r.scan.referenceCpu : undefined), ratio, scanSteps),
      stoppable(row('linkify-plus-plus-core 0.7.0, UUID matcher, wall time (one call)', (r) => r.scan?.lpp, ms, scanSteps), '> '),
      stoppable(row('linkify-plus-plus-core, thread CPU time', (r) => r.scan?.lppCpu, ms, scanSteps), '> '),
      stoppable(
        row('Ours ÷ linkify-plus-plus-core, thread CPU time', (r) => (r.scan?.lppCpu ? r.scan.oursCpu / r.scan.lppCpu : undefined), ratio, scanSteps, {
          text: '< 1× (faster)',
          ok: (v) => v < 1,
        }),
        '< ',
      ),
      {
        figure: 'IDs found: reference / ours / LPP',
        values: sizes.map((s) => {
          const first = (results.get(s) ?? []).find((r) => r.scan)?.scan;
          return first
            ? `${count(first.referenceFound)} / ${count(first.oursFound)} / ${first.lppFound === undefined ? 'n/a' : count(first.lppFound)}`
            : na(reasonFor('scan comparison'));
        }),
      },
    ],
  };

  const jank: Section = {
    title: 'Jank during load (trace of the main thread, cold cache)',
    rows: [
      row('Longest task after DOMContentLoaded, without extension', (r) => r.bare?.main?.longestAfterReady, ms, ['view without extension']),
      row('Longest task after DOMContentLoaded, with extension', (r) => r.cold?.main?.longestAfterReady, ms, ['cold view']),
      row('Total blocking time after DOMContentLoaded, without', (r) => r.bare?.main?.tbtAfterReady, ms, ['view without extension']),
      row('Total blocking time after DOMContentLoaded, with', (r) => r.cold?.main?.tbtAfterReady, ms, ['cold view']),
      row('Longest task running extension code (profiler)', (r) => r.cold?.main?.longestExtensionTask, ms, ['cold view'], {
        text: '< 50 ms',
        ok: (v) => v < 50,
      }),
      row('The same in thread CPU time (not stretched by a busy machine)', (r) => r.cold?.main?.longestExtensionTaskCpu, ms, ['cold view'], {
        text: '< 50 ms',
        ok: (v) => v < 50,
      }),
      row('Garbage collection inside that task, CPU time', (r) => r.cold?.main?.longestExtensionTaskGcCpu, ms, ['cold view']),
      row('Longest task running extension code, its garbage collection taken out, CPU time', (r) => r.cold?.main?.longestExtensionTaskCpuNoGc, ms, ['cold view'], {
        text: '< 50 ms',
        ok: (v) => v < 50,
      }),
      row('The control (a content script that only adds a message listener): its longest task, CPU time', (r) => r.control?.longestExtensionTaskCpu, ms, ['control view', 'launch the control']),
      row('Garbage collection inside that task, CPU time', (r) => r.control?.longestExtensionTaskGcCpu, ms, ['control view', 'launch the control']),
      row('Longest task after DOMContentLoaded, CPU time, without', (r) => r.bare?.main?.longestAfterReadyCpu, ms, ['view without extension']),
      row('Longest task after DOMContentLoaded, CPU time, with', (r) => r.cold?.main?.longestAfterReadyCpu, ms, ['cold view']),
      row('Extension main-thread time (profiler samples)', (r) => r.cold?.main?.extensionCpu, ms, ['cold view']),
    ],
  };

  // A view cut off at the bench's limit was still busy: its counts and times are lower bounds.
  const cutOff = (i: number, view: (r: RunFigures) => { settled: boolean } | undefined) =>
    (results.get(sizes[i] as number) ?? []).some((r) => view(r)?.settled === false);
  const atLeast = (r: Row, view: (r: RunFigures) => { settled: boolean } | undefined): Row => ({
    ...r,
    values: r.values.map((v, i) => (cutOff(i, view) && !v.startsWith('n/a') ? `≥ ${v} (cut off)` : v)),
    met: r.met === true && sizes.some((_, i) => cutOff(i, view)) ? undefined : r.met,
  });
  const busyRow = (figure: string, view: (r: RunFigures) => { settled: boolean; busyFor: number } | undefined, step: string): Row => ({
    figure,
    values: sizes.map((s, i) => {
      if (cutOff(i, view)) return `> ${((limits.viewLimitMs[s] ?? 0) / 1000).toFixed(0)} s (cut off)`;
      const v = med(results.get(s) ?? [], (r) => view(r)?.busyFor);
      return v === undefined ? na(extReason ?? reasonFor(step)) : ms(v);
    }),
  });

  const badges: Section = {
    title: 'Badges (ms after DOMContentLoaded)',
    rows: [
      row('First badge, cold cache', (r) => r.cold?.firstBadge, ms, ['cold view']),
      row('Every visible ID badged, cold cache', (r) => r.cold?.allVisible, ms, ['cold view']),
      row('First badge, warm cache', (r) => r.warm?.firstBadge, ms, ['warm view']),
      row('Every visible ID badged, warm cache', (r) => r.warm?.allVisible, ms, ['warm view']),
      busyRow('From navigation until the extension is done, cold (see Settling below)', (r) => r.cold, 'cold view'),
      busyRow('Until the extension is done, warm', (r) => r.warm, 'warm view'),
      {
        figure: 'Visible rows badged / visible rows (badges on page)',
        values: sizes.map((s) => {
          const first = (results.get(s) ?? []).find((r) => r.cold)?.cold;
          return first ? `${first.visibleBadged} / ${first.visibleIds} (${count(first.badges)})` : na(extReason ?? reasonFor('cold view'));
        }),
      },
    ],
  };

  const small = sizes[0] as number;
  const large = sizes[sizes.length - 1] as number;
  const addedOf = (rows: number) => results.get(rows) ?? [];
  const incomplete = (rows: number) => addedOf(rows).some((r) => r.added && !r.added.complete);
  const incrementalRatio = (pick: (a: IncrementalFigures) => number | undefined) => {
    const a = med(addedOf(small), (r) => (r.added ? pick(r.added) : undefined));
    const b = med(addedOf(large), (r) => (r.added ? pick(r.added) : undefined));
    return a !== undefined && b !== undefined && a > 0 ? b / a : undefined;
  };
  const incrementalRow = (figure: string, pick: (a: IncrementalFigures) => number | undefined, bounded: boolean): Row => ({
    figure,
    values: sizes.map((s) => {
      if (s !== small && s !== large) return '';
      const v = med(addedOf(s), (r) => (r.added ? pick(r.added) : undefined));
      if (v === undefined) return na(extReason ?? reasonFor('incremental', 'warm view'));
      return bounded && incomplete(s) ? `≥ ${ms(v)} (not all badged within ${INCREMENTAL_LIMIT_MS / 1000} s)` : ms(v);
    }),
  });
  const ratioRow = (figure: string, pick: (a: IncrementalFigures) => number | undefined, bounded: boolean): Row => {
    if (small === large) return { figure, values: [na('needs two page sizes')], target: '≤ 1.2×' };
    const v = incrementalRatio(pick);
    if (v === undefined || (bounded && incomplete(small))) return { figure, values: [na(extReason ?? reasonFor('incremental'))], target: '≤ 1.2×' };
    const lower = bounded && incomplete(large);
    return { figure, values: [lower ? `≥ ${ratio(v)}` : ratio(v)], target: '≤ 1.2×', met: v <= 1.2 ? (lower ? undefined : true) : false };
  };
  const quietBefore = (rows: number) => addedOf(rows).every((r) => !r.added || r.added.fromQuiet);
  const incremental: Section = {
    title: `Incremental: ${ADDED_ROWS} rows (${ADDED_KNOWN} known IDs) inserted at the top of the list`,
    rows: [
      incrementalRow('Until the new known rows in view are badged', (a) => a.latency, true),
      incrementalRow('Extension main-thread time meanwhile (profiler samples)', (a) => a.extensionCpu, false),
      ratioRow(`Badge time, ${large.toLocaleString('en-US')} ÷ ${small.toLocaleString('en-US')} rows`, (a) => a.latency, true),
      ratioRow(`Main-thread time, ${large.toLocaleString('en-US')} ÷ ${small.toLocaleString('en-US')} rows`, (a) => a.extensionCpu, false),
      {
        figure: 'New known rows in view / badged, first run',
        values: sizes.map((s) => {
          const first = addedOf(s)[0]?.added;
          return s === small || s === large ? (first ? `${first.newInView} / ${first.newBadged}` : 'n/a') : '';
        }),
      },
      {
        figure: 'Inserted after the warm view went quiet',
        values: sizes.map((s) => (s === small || s === large ? (addedOf(s).some((r) => r.added) ? (quietBefore(s) ? 'yes' : 'no (still busy)') : 'n/a') : '')),
      },
      {
        figure: 'API requests meanwhile, first run',
        values: sizes.map((s) => (s === small || s === large ? kindsText(addedOf(s)[0]?.added?.requestKinds) : '')),
      },
    ],
  };

  const memory: Section = {
    title: 'Memory (after a forced GC, cold view settled)',
    rows: [
      row('JS heap without extension', (r) => r.bare?.heap, mib, ['view without extension']),
      row('JS heap with extension', (r) => r.cold?.heap, mib, ['cold view']),
      row('JS heap added by the extension', (r) => (r.cold && r.bare ? r.cold.heap - r.bare.heap : undefined), mib, ['cold view']),
      row('DOM nodes added by the extension', (r) => (r.cold && r.bare ? r.cold.nodes - r.bare.nodes : undefined), count, ['cold view']),
    ],
  };

  const traffic: Section = {
    title: 'API traffic (requests to the mock API per page view)',
    rows: [
      atLeast(row('Cold cache', (r) => r.cold?.requests, count, ['cold view']), (r) => r.cold),
      atLeast(row('Warm cache', (r) => r.warm?.requests, count, ['warm view'], { text: '0', ok: (v) => v === 0 }), (r) => r.warm),
      row('Warm view began, after the cold one began (cache lifetime 300 s)', (r) => r.warmAfter, (v) => `${(v / 1000).toFixed(0)} s`, ['warm view'], {
        text: '< 300 s',
        ok: (v) => v < CACHE_TTL_MS,
      }),
      atLeast(row('Two tabs of the page at once, cold cache (first run)', (r) => r.twoTabs?.requests, count, ['two tabs']), (r) => r.twoTabs),
      {
        figure: 'By kind, first run: cold / warm / two tabs',
        values: sizes.map((s) => {
          const first = (results.get(s) ?? [])[0];
          return first ? [first.cold?.requestKinds, first.warm?.requestKinds, first.twoTabs?.kinds].map(kindsText).join(' / ') : '';
        }),
      },
    ],
  };

  const size: Section = {
    title: 'Size (minified with Oxc, then gzip -9)',
    rows: bundles.length
      ? bundles.map((b) => {
          const isContent = b.name.startsWith('content-scripts/') && b.name.endsWith('.js');
          return {
            figure: `${b.name}: ${kib(b.bytes)} built, ${kib(b.minified)} minified`,
            values: [`${kib(b.gzipped)} gz`],
            target: isContent ? '< 25 KiB gz' : undefined,
            met: isContent ? b.gzipped < CONTENT_SCRIPT_GZIP_TARGET : undefined,
          };
        })
      : [{ figure: 'Bundles', values: [na(reasonFor('build'))] }],
  };
  return [scan, jank, badges, incremental, memory, traffic, size];
}

/** Where the extension's main-thread time went in the first run, by innermost extension function. */
export function hotspotLines(results: Map<number, RunFigures[]>): string[] {
  const lines: string[] = [];
  const list = (title: string, spots: { name: string; ms: number }[] | undefined) => {
    if (!spots?.length) return;
    lines.push(`${title}:`);
    for (const spot of spots) lines.push(`- ${ms(spot.ms)} in \`${spot.name}\``);
  };
  for (const [rows, runs] of results) {
    list(`Extension time by function, ${rows.toLocaleString('en-US')} rows, cold load (first run)`, runs[0]?.cold?.main?.hotspots);
    list(`Extension time by function, ${rows.toLocaleString('en-US')} rows, ${ADDED_ROWS} rows added (first run)`, runs[0]?.added?.hotspots);
  }
  return lines;
}
