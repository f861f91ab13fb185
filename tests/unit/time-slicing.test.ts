import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { after, whenIdle } from '@/entrypoints/badges.content/time-slicing';

type Later = (delayMs: number, task: () => void, signal: AbortSignal) => void;

// whenIdle as it runs where requestIdleCallback exists, and where it does not.
const schedulers: [string, Later, boolean][] = [
  ['after', after, false],
  ['whenIdle with idle callbacks', (_delay, task, signal) => whenIdle(task, signal), true],
  ['whenIdle without idle callbacks', (_delay, task, signal) => whenIdle(task, signal), false],
];

describe.each(schedulers)('%s', (_name, later, idleCallbacks) => {
  let control: AbortController;

  beforeEach(() => {
    vi.useFakeTimers();
    control = new AbortController();
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

  it('takes back its abort listener when the task runs', () => {
    const added = vi.spyOn(control.signal, 'addEventListener');
    const removed = vi.spyOn(control.signal, 'removeEventListener');
    for (let i = 0; i < 100; i++) {
      later(16, () => {}, control.signal);
      vi.runAllTimers();
    }
    expect(added).toHaveBeenCalledTimes(100);
    expect(removed.mock.calls.map(([type, listener]) => [type, listener])).toEqual(
      added.mock.calls.map(([type, listener]) => [type, listener]),
    );
  });
});
