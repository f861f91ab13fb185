/** Work per task stays well under the 50 ms long-task bar so the page keeps responding. */
export const SLICE_MS = 8;

/** The Prioritized Task Scheduling API, where the browser has it (not every browser has all of it). */
interface Scheduler {
  yield(): Promise<void>;
  postTask(task: () => void, options: { delay: number; signal: AbortSignal }): Promise<void>;
}

function browserScheduler(): Partial<Scheduler> | undefined {
  return (globalThis as { scheduler?: Partial<Scheduler> }).scheduler;
}

/** Gives the main thread back to the page: `scheduler.yield()` where present, else a new task. */
export function yieldToPage(): Promise<void> {
  const scheduler = browserScheduler();
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Tells a long loop when its slice is used up. */
export class SliceClock {
  private deadline = performance.now() + SLICE_MS;

  expired(): boolean {
    return performance.now() >= this.deadline;
  }

  /** Yields to the page, then starts a fresh slice; resolves false once `signal` is aborted. */
  async next(signal: AbortSignal): Promise<boolean> {
    await yieldToPage();
    this.deadline = performance.now() + SLICE_MS;
    return !signal.aborted;
  }
}

/**
 * Runs `task` once `start` calls it, unless `signal` is aborted first (then `stop` cancels it).
 * The abort listener goes when the task runs: a signal that lives as long as the view would
 * otherwise collect one per call, and each new listener costs the browser a look at all the
 * earlier ones.
 */
function unlessAborted<Handle>(
  signal: AbortSignal,
  task: () => void,
  start: (run: () => void) => Handle,
  stop: (handle: Handle) => void,
): void {
  if (signal.aborted) return;
  const cancel = () => stop(handle);
  const handle = start(() => {
    signal.removeEventListener('abort', cancel);
    task();
  });
  signal.addEventListener('abort', cancel, { once: true });
}

/**
 * Runs `task` once after `delayMs`, unless `signal` is aborted first. `scheduler.postTask` takes
 * the signal itself, and it spares our task a cost of `setTimeout` on big pages: on a page of a
 * million nodes, one call of it took 27-615 ms at times, without the extension too (see the
 * benchmark findings).
 */
export function after(delayMs: number, task: () => void, signal: AbortSignal): void {
  const scheduler = browserScheduler();
  if (typeof scheduler?.postTask !== 'function') {
    unlessAborted(signal, task, (run) => setTimeout(run, delayMs), clearTimeout);
    return;
  }
  if (signal.aborted) return;
  scheduler.postTask(task, { delay: delayMs, signal }).catch((error: unknown) => {
    // Cancelled as asked; anything else the task threw stays as loud as it would from a timer.
    if (!signal.aborted) throw error;
  });
}

/** Runs `task` when the page is idle (or soon, where idle callbacks do not exist), unless `signal` is aborted first. */
export function whenIdle(task: () => void, signal: AbortSignal): void {
  if (typeof requestIdleCallback !== 'function') after(50, task, signal);
  else unlessAborted(signal, task, (run) => requestIdleCallback(run, { timeout: 2000 }), cancelIdleCallback);
}
