import { describe, expect, it } from 'vitest';
import { PriorityQueue } from '@/utils/priority-queue';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('PriorityQueue', () => {
  it('never runs more than its concurrency at once', async () => {
    const queue = new PriorityQueue(2);
    let running = 0;
    let peak = 0;
    const gates = Array.from({ length: 5 }, deferred);
    const tasks = gates.map((gate) =>
      queue.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await gate.promise;
        running--;
      }, 'idle'),
    );
    await flush();
    expect(queue.active).toBe(2);
    expect(queue.pending).toBe(3);
    gates.forEach((g) => g.resolve());
    await Promise.all(tasks.map((t) => t.promise));
    expect(peak).toBe(2);
  });

  it('starts visible work before idle work that waited longer', async () => {
    const queue = new PriorityQueue(1);
    const order: string[] = [];
    const gate = deferred();
    const first = queue.run(() => gate.promise, 'idle');
    const idle = queue.run(async () => void order.push('idle'), 'idle');
    const visible = queue.run(async () => void order.push('visible'), 'visible');
    gate.resolve();
    await Promise.all([first.promise, idle.promise, visible.promise]);
    expect(order).toEqual(['visible', 'idle']);
  });

  it('promote moves a queued task ahead of all the rest, promoted tasks in the order they were promoted', async () => {
    const queue = new PriorityQueue(1);
    const order: string[] = [];
    const gate = deferred();
    const first = queue.run(() => gate.promise, 'visible');
    const a = queue.run(async () => void order.push('a'), 'idle');
    const b = queue.run(async () => void order.push('b'), 'idle');
    const c = queue.run(async () => void order.push('c'), 'visible');
    const d = queue.run(async () => void order.push('d'), 'visible');
    b.promote();
    d.promote();
    gate.resolve();
    await Promise.all([first.promise, a.promise, b.promise, c.promise, d.promise]);
    expect(order).toEqual(['b', 'd', 'c', 'a']);
  });

  it('passes a task failure to its caller and carries on', async () => {
    const queue = new PriorityQueue(1);
    const failing = queue.run(async () => {
      throw new Error('boom');
    }, 'visible');
    const next = queue.run(async () => 'ok', 'visible');
    await expect(failing.promise).rejects.toThrow('boom');
    expect(await next.promise).toBe('ok');
  });
});
