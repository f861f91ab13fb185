import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { SessionMirror } from '@/entrypoints/background/session-mirror';

function counter() {
  return new SessionMirror<{ n: number }>({
    key: 'session:counter',
    load: (raw) => (typeof (raw as { n?: unknown } | null)?.n === 'number' ? (raw as { n: number }) : { n: 0 }),
    save: (value) => value,
  });
}

beforeEach(() => {
  fakeBrowser.reset();
});

describe('SessionMirror', () => {
  it('writes a burst of changes behind, in at most two writes, and flush waits for the last', async () => {
    const mirror = counter();
    const set = vi.spyOn(fakeBrowser.storage.session, 'set');
    await mirror.get();
    await Promise.all(Array.from({ length: 50 }, () => mirror.update((value) => ({ n: value.n + 1 }))));
    await mirror.flush();
    expect(set.mock.calls.length).toBeLessThanOrEqual(2);
    expect(await fakeBrowser.storage.session.get('counter')).toEqual({ counter: { n: 50 } });
  });

  it('a new mirror (a restarted worker) reads what the last one stored', async () => {
    const first = counter();
    await first.update(() => ({ n: 7 }));
    await first.flush();
    expect(await counter().get()).toEqual({ n: 7 });
  });

  it('falls back when storage holds something it cannot read', async () => {
    await fakeBrowser.storage.session.set({ counter: 'garbage' });
    expect(await counter().get()).toEqual({ n: 0 });
  });
});
