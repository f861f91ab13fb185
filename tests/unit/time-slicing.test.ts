import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { after, whenIdle } from '@/entrypoints/badges.content/time-slicing';

type Later = (delayMs: number, task: () => void, signal: AbortSignal) => void;

/**
 * `scheduler.postTask` as the browser gives it: the task runs after the delay unless the signal
 * is aborted by then, when the promise rejects instead. Nothing is added to the signal.
 */
function fakePostTask(task: () => void, { delay, signal }: { delay: number; signal: AbortSignal }): Promise<void> {
  return new Promise((resolve, reject) => {
    setTimeout(() => {
      if (signal.aborted) reject(new DOMException('The task was aborted', 'AbortError'));
      else resolve(task());
    }, delay);
  });
}

// after where scheduler.postTask exists and where it does not; whenIdle where
// requestIdleCallback exists and where it does not.
const schedulers: [string, Later, { idleCallbacks: boolean; postTask: boolean }][] = [
  ['after with setTimeout', after, { idleCallbacks: false, postTask: false }],
  ['after with scheduler.postTask', after, { idleCallbacks: false, postTask: true }],
  ['whenIdle with idle callbacks', (_delay, task, signal) => whenIdle(task, signal), { idleCallbacks: true, postTask: false }],
  ['whenIdle without idle callbacks', (_delay, task, signal) => whenIdle(task, signal), { idleCallbacks: false, postTask: false }],
];

describe.each(schedulers)('%s', (_name, later, { idleCallbacks, postTask }) => {
  let control: AbortController;

  beforeEach(() => {
    vi.useFakeTimers();
    control = new AbortController();
    vi.stubGlobal('scheduler', postTask ? { postTask: vi.fn(fakePostTask) } : undefined);
    if (idleCallbacks) {
      vi.stubGlobal('requestIdleCallback', (run: () => void) => setTimeout(run, 30));
      vi.stubGlobal('cancelIdleCallback', (handle: ReturnType<typeof setTimeout>) => clearTimeout(handle));
    } else {
      vi.stubGlobal('requestIdleCallback', undefined);
    }
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('runs the task once, later', () => {
    const task = vi.fn();
    later(16, task, control.signal);
    expect(task).not.toHaveBeenCalled();
    vi.runAllTimers();
    expect(task).toHaveBeenCalledOnce();
  });

  it('never runs the task once the signal is aborted', () => {
    const task = vi.fn();
    later(16, task, control.signal);
    control.abort();
    vi.runAllTimers();
    expect(task).not.toHaveBeenCalled();
  });

  it('never runs the task when the signal was aborted before', () => {
    const task = vi.fn();
    control.abort();
    later(16, task, control.signal);
    vi.runAllTimers();
    expect(task).not.toHaveBeenCalled();
  });

  it('leaves no abort listener behind once the task ran', () => {
    const added = vi.spyOn(control.signal, 'addEventListener');
    const removed = vi.spyOn(control.signal, 'removeEventListener');
    for (let i = 0; i < 100; i++) {
      later(16, () => {}, control.signal);
      vi.runAllTimers();
    }
    // The scheduler watches the signal itself; without it, each call adds a listener and takes it back.
    expect(added).toHaveBeenCalledTimes(postTask ? 0 : 100);
    expect(removed.mock.calls.map(([type, listener]) => [type, listener])).toEqual(
      added.mock.calls.map(([type, listener]) => [type, listener]),
    );
  });
});

describe('after with scheduler.postTask', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('hands the delay and the signal to the scheduler, and sets no timer', () => {
    vi.useFakeTimers();
    const postTask = vi.fn(fakePostTask);
    vi.stubGlobal('scheduler', { postTask });
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const control = new AbortController();
    const task = vi.fn();
    after(250, task, control.signal);
    expect(postTask).toHaveBeenCalledExactlyOnceWith(task, { delay: 250, signal: control.signal });
    expect(timers).toHaveBeenCalledTimes(1); // the fake scheduler's own
    vi.advanceTimersByTime(249);
    expect(task).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(task).toHaveBeenCalledOnce();
  });
});
