import { describe, expect, it } from 'vitest';
import { gcSpans, outerTasks, type TraceEvent } from '../../bench/trace';

function event(name: string, cat: string, ts: number, dur: number, tdur?: number): TraceEvent {
  return { name, cat, ph: 'X', pid: 1, tid: 1, ts, dur, tdur };
}

describe('the bench trace', () => {
  it('takes a task’s thread time, but never more than its wall time', () => {
    const tasks = outerTasks([
      event('RunTask', 'toplevel', 0, 10_000, 8_000),
      // Seen in Chromium's traces: 57 µs of wall time carrying 116 ms of thread time.
      event('RunTask', 'toplevel', 20_000, 57, 115_799),
      event('RunTask', 'toplevel', 30_000, 4_000),
    ]);
    expect(tasks).toEqual([
      [0, 10_000, 8_000],
      [20_000, 20_057, 57],
      [30_000, 34_000, 4_000],
    ]);
  });

  it('counts a nested top-level event within its parent, and a collection within the outermost one', () => {
    expect(outerTasks([event('RunTask', 'toplevel', 0, 10_000, 9_000), event('Inner', 'toplevel', 2_000, 3_000, 3_000)])).toEqual([[0, 10_000, 9_000]]);
    const gc = gcSpans([
      event('MajorGC', 'v8', 100, 5_000, 20_000),
      event('V8.GC_MARK_COMPACTOR', 'v8', 200, 4_000, 4_000),
      event('MinorGC', 'v8', 7_000, 1_000, 900),
      event('Layout', 'devtools.timeline', 9_000, 1_000, 1_000),
    ]);
    expect(gc).toEqual([
      [100, 5_100, 5_000],
      [7_000, 8_000, 900],
    ]);
  });
});
