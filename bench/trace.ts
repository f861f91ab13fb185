import type { CDPSession } from 'playwright-core';

export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** Thread (CPU) time of a complete event: unlike `dur`, not stretched when the machine is busy. */
  tdur?: number;
  id?: string;
  args?: {
    name?: string;
    data?: {
      url?: string;
      processId?: number;
      /** Of a `console.timeStamp` (a TimeStamp event). */
      message?: string;
      frames?: { url?: string; processId?: number }[];
      isMainFrame?: boolean;
      startTime?: number;
      cpuProfile?: { nodes?: { id: number; parent?: number; callFrame: { url?: string; functionName?: string; lineNumber?: number } }[]; samples?: number[] };
      timeDeltas?: number[];
    };
  };
}

/** What one trace says about the page's main thread, in milliseconds. */
export interface MainThreadFigures {
  /** Longest task that started after DOMContentLoaded, whoever ran it. */
  longestAfterReady: number;
  /** Total blocking time (sum over tasks of the part beyond 50 ms) after DOMContentLoaded. */
  tbtAfterReady: number;
  /** The same in thread CPU time, which a loaded machine does not inflate. */
  longestAfterReadyCpu: number;
  /** Longest task in which the profiler caught extension code. */
  longestExtensionTask: number;
  /** The CPU time of the extension task with the most CPU time. */
  longestExtensionTaskCpu: number;
  /** Total blocking time of those tasks. */
  extensionTbt: number;
  /** The CPU time of the extension task with the most CPU time once the garbage collection inside each is taken out. */
  longestExtensionTaskCpuNoGc: number;
  /** The garbage collection's CPU time inside the extension task with the most CPU time. */
  longestExtensionTaskGcCpu: number;
  /** Main-thread time the profiler attributes to extension code (content scripts). */
  extensionCpu: number;
  /** Where that time goes: the innermost extension function on the stack, heaviest first. */
  hotspots: { name: string; ms: number }[];
}

// 'cppgc' adds the steps of the DOM's collector (Oilpan) that run outside V8's own GC events.
const CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-v8.cpu_profiler', 'cppgc'];
/** A task longer than this is a long task; what it takes beyond this blocks the page. */
export const LONG_TASK_US = 50_000;

/** Starts a trace with the JS sampling profiler; returns the function that stops it and hands over its events. */
export async function recordTrace(session: CDPSession): Promise<() => Promise<TraceEvent[]>> {
  const events: TraceEvent[] = [];
  const onData = ({ value }: { value: object[] }) => events.push(...(value as TraceEvent[]));
  session.on('Tracing.dataCollected', onData);
  await session.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: CATEGORIES } });
  return async () => {
    const done = new Promise<void>((resolve) => session.once('Tracing.tracingComplete', () => resolve()));
    await session.send('Tracing.end');
    await done;
    session.off('Tracing.dataCollected', onData);
    return events;
  };
}

/** Starts a trace with the JS sampling profiler; returns the function that stops it and reads it. */
export async function startTrace(session: CDPSession, host: string): Promise<() => Promise<MainThreadFigures>> {
  const stop = await recordTrace(session);
  return async () => analyse(await stop(), host);
}

function key(e: { pid: number; tid: number }): string {
  return `${e.pid}:${e.tid}`;
}

/**
 * The thread time of a complete event, at most its wall time: one thread cannot run longer than
 * the event lasted, yet Chromium's traces here now and then give a task of 57 µs 116 ms of thread
 * time, which made a short task look like the longest with extension code.
 */
function threadTime(e: TraceEvent): number {
  const wall = e.dur ?? 0;
  return e.tdur === undefined ? wall : Math.min(e.tdur, wall);
}

/** Outermost top-level tasks of one thread, as [start, end, cpu] in microseconds. */
export function outerTasks(events: TraceEvent[]): [number, number, number][] {
  const tasks = events
    .filter((e) => e.ph === 'X' && e.cat === 'toplevel' && e.dur !== undefined)
    .map((e): [number, number, number] => [e.ts, e.ts + (e.dur as number), threadTime(e)])
    .sort((a, b) => a[0] - b[0]);
  const out: [number, number, number][] = [];
  for (const task of tasks) {
    const last = out[out.length - 1];
    // A nested top-level event is part of its parent's time already.
    if (last && task[0] < last[1]) last[1] = Math.max(last[1], task[1]);
    else out.push(task);
  }
  return out;
}

/**
 * Whether an event is the main thread's garbage collection: MinorGC, MajorGC and V8.GC_* steps of
 * V8, and CppGC.* steps of the DOM's collector (marking or sweeping done on an allocation).
 */
function isGc(e: TraceEvent): boolean {
  return e.name === 'MinorGC' || e.name === 'MajorGC' || e.name.startsWith('V8.GC_') || e.name.startsWith('CppGC.');
}

/** The outermost garbage-collection events of one thread, as [start, end, cpu] in microseconds. */
export function gcSpans(events: TraceEvent[]): [number, number, number][] {
  const spans = events
    .filter((e) => e.ph === 'X' && e.dur !== undefined && isGc(e))
    .map((e): [number, number, number] => [e.ts, e.ts + (e.dur as number), threadTime(e)])
    .sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const out: [number, number, number][] = [];
  for (const span of spans) {
    const last = out[out.length - 1];
    if (!last || span[0] >= last[1]) out.push(span);
  }
  return out;
}

/** Sample times (µs) and their weights on one thread, flagged when extension code is on the stack. */
interface Sample {
  ts: number;
  weight: number;
  extension: boolean;
  /** The innermost extension function on the stack (where native work it calls is counted too). */
  frame?: string;
}

/**
 * Sample times (µs) and weights on one thread, flagged when extension code is on the stack. A
 * sample's weight is the time to the next one, capped, since the profiler pauses while the thread idles.
 */
function samples(events: TraceEvent[], thread: string): Sample[] {
  const profiles = new Map<string, { time: number; ext: Map<number, string | undefined>; out: Sample[] }>();
  // Profile ids are per process: the pid is part of the key.
  for (const e of events) {
    if (e.name === 'Profile' && key(e) === thread && e.id) {
      profiles.set(`${e.pid}:${e.id}`, { time: e.args?.data?.startTime ?? e.ts, ext: new Map(), out: [] });
    }
  }
  for (const e of events) {
    const profile = e.name === 'ProfileChunk' && e.id ? profiles.get(`${e.pid}:${e.id}`) : undefined;
    const data = e.args?.data;
    if (!profile || !data) continue;
    for (const node of data.cpuProfile?.nodes ?? []) {
      const url = node.callFrame.url ?? '';
      const own = url.startsWith('chrome-extension://')
        ? `${node.callFrame.functionName || '(anonymous)'} ${url.slice(url.lastIndexOf('/') + 1)}:${(node.callFrame.lineNumber ?? 0) + 1}`
        : undefined;
      profile.ext.set(node.id, own ?? (node.parent !== undefined ? profile.ext.get(node.parent) : undefined));
    }
    const ids = data.cpuProfile?.samples ?? [];
    const deltas = data.timeDeltas ?? [];
    ids.forEach((id, i) => {
      const delta = deltas[i] ?? 0;
      profile.time += delta;
      const previous = profile.out[profile.out.length - 1];
      if (previous) previous.weight = Math.max(0, profile.time - previous.ts);
      const frame = profile.ext.get(id);
      profile.out.push({ ts: profile.time, weight: 0, extension: frame !== undefined, frame });
    });
  }
  const all = [...profiles.values()].flatMap((p) => p.out);
  const gaps = all.map((x) => x.weight).filter((w) => w > 0).sort((a, b) => a - b);
  const cap = 2 * (gaps[Math.floor(gaps.length / 2)] ?? 1000);
  for (const x of all) x.weight = Math.min(x.weight, cap);
  return all;
}

/**
 * What a page traced without a navigation calls (`console.timeStamp(PAGE_MARK)`) so its renderer is
 * known: such a trace names no frame, and the busiest renderer may be another, such as an
 * extension page's.
 */
export const PAGE_MARK = 'mca-bench-page';

/** Renderer processes that showed a frame whose URL contains `host`, or marked themselves with PAGE_MARK. */
function pagePids(events: TraceEvent[], host: string): Set<number> {
  const pids = new Set<number>();
  for (const e of events) {
    const data = e.args?.data;
    if (e.name === 'TimeStamp' && data?.message === PAGE_MARK) pids.add(e.pid);
    for (const frame of [data, ...(data?.frames ?? [])]) {
      if (frame?.url?.includes(host) && frame.processId !== undefined) pids.add(frame.processId);
    }
  }
  return pids;
}

/** The main thread of the renderer that shows `host` (the busiest, should it have several). */
export function pageThread(events: TraceEvent[], host: string): string {
  const pids = pagePids(events, host);
  const mainThreads = new Set(
    events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && (pids.size === 0 || pids.has(e.pid))).map(key),
  );
  const busy = new Map<string, number>();
  for (const e of events) {
    if (mainThreads.has(key(e)) && e.cat === 'toplevel' && e.dur) busy.set(key(e), (busy.get(key(e)) ?? 0) + e.dur);
  }
  const thread = [...busy].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!thread) throw new Error('trace: no renderer main thread');
  return thread;
}

/** Events of that thread. */
export function pageThreadEvents(events: TraceEvent[], host: string): TraceEvent[] {
  const thread = pageThread(events, host);
  return events.filter((e) => key(e) === thread);
}

/** Figures of the main thread of the renderer that shows `host` (the busiest, should it have several). */
export function analyse(events: TraceEvent[], host: string): MainThreadFigures {
  const thread = pageThread(events, host);
  const own = events.filter((e) => key(e) === thread);
  const ready = own.find((e) => e.name === 'MarkDOMContent' && e.args?.data?.isMainFrame !== false)?.ts ?? 0;
  const tasks = outerTasks(own);
  const gc = gcSpans(own);
  const sampled = samples(events, thread).sort((a, b) => a.ts - b.ts);
  let cursor = 0;
  const figures = {
    longestAfterReady: 0,
    longestAfterReadyCpu: 0,
    tbtAfterReady: 0,
    longestExtensionTask: 0,
    longestExtensionTaskCpu: 0,
    extensionTbt: 0,
    longestExtensionTaskCpuNoGc: 0,
    longestExtensionTaskGcCpu: 0,
  };
  // Compiling a content script runs no JS, so a profiler sample may miss it: its evaluation event says whose it is.
  const evaluations = own
    .filter((e) => (e.name === 'EvaluateScript' || e.name === 'v8.compile') && e.args?.data?.url?.startsWith('chrome-extension://'))
    .map((e) => e.ts)
    .sort((a, b) => a - b);
  let evaluation = 0;
  for (const [start, end, cpu] of tasks) {
    const duration = end - start;
    while (cursor < sampled.length && (sampled[cursor] as { ts: number }).ts < start) cursor++;
    while (evaluation < evaluations.length && (evaluations[evaluation] as number) < start) evaluation++;
    let extension = evaluation < evaluations.length && (evaluations[evaluation] as number) <= end;
    for (let i = cursor; i < sampled.length && (sampled[i] as { ts: number }).ts <= end; i++) {
      if ((sampled[i] as { extension: boolean }).extension) extension = true;
    }
    if (ready && start >= ready) {
      figures.longestAfterReady = Math.max(figures.longestAfterReady, duration);
      figures.longestAfterReadyCpu = Math.max(figures.longestAfterReadyCpu, cpu);
      figures.tbtAfterReady += Math.max(0, duration - LONG_TASK_US);
    }
    if (extension) {
      const gcCpu = gc.filter(([from, to]) => from >= start && to <= end).reduce((sum, span) => sum + span[2], 0);
      if (cpu > figures.longestExtensionTaskCpu) figures.longestExtensionTaskGcCpu = gcCpu;
      figures.longestExtensionTaskCpuNoGc = Math.max(figures.longestExtensionTaskCpuNoGc, cpu - gcCpu);
      figures.longestExtensionTask = Math.max(figures.longestExtensionTask, duration);
      figures.longestExtensionTaskCpu = Math.max(figures.longestExtensionTaskCpu, cpu);
      figures.extensionTbt += Math.max(0, duration - LONG_TASK_US);
    }
  }
  const byFrame = new Map<string, number>();
  for (const x of sampled) if (x.frame) byFrame.set(x.frame, (byFrame.get(x.frame) ?? 0) + x.weight);
  const toMs = (us: number) => us / 1000;
  return {
    longestAfterReady: toMs(figures.longestAfterReady),
    longestAfterReadyCpu: toMs(figures.longestAfterReadyCpu),
    longestExtensionTaskCpu: toMs(figures.longestExtensionTaskCpu),
    tbtAfterReady: toMs(figures.tbtAfterReady),
    longestExtensionTask: toMs(figures.longestExtensionTask),
    extensionTbt: toMs(figures.extensionTbt),
    longestExtensionTaskCpuNoGc: toMs(figures.longestExtensionTaskCpuNoGc),
    longestExtensionTaskGcCpu: toMs(figures.longestExtensionTaskGcCpu),
    extensionCpu: toMs([...byFrame.values()].reduce((sum, w) => sum + w, 0)),
    hotspots: [...byFrame]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([name, us]) => ({ name, ms: toMs(us) })),
  };
}
