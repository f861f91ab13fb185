// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DomWatch, summarize, type Changes } from '@/entrypoints/badges.content/dom-watch';

/** The records one synchronous change produces. */
function recordsOf(change: () => void): MutationRecord[] {
  const observer = new MutationObserver(() => undefined);
  observer.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
  change();
  const records = observer.takeRecords();
  observer.disconnect();
  return records;
}

afterEach(() => {
  vi.useRealTimers();
  document.body.replaceChildren();
});

describe('summarize', () => {
  it('keeps only the outermost of nodes added together', () => {
    const table = document.createElement('table');
    document.body.append(table);
    const records = recordsOf(() => {
      const row = document.createElement('tr');
      table.append(row);
      const cell = document.createElement('td');
      row.append(cell);
      cell.append(document.createElement('div'));
    });
    const { added, changed, removed } = summarize(records);
    expect(added).toEqual([table.firstChild]);
    expect(changed).toEqual([]);
    expect(removed).toBe(false);
  });

  it('ignores the extension’s own badges and card', () => {
    const p = document.createElement('p');
    document.body.append(p);
    const records = recordsOf(() => {
      p.append(document.createElement('mca-badge'));
      document.body.append(document.createElement('mca-card'));
      p.querySelector('mca-badge')!.remove();
    });
    expect(summarize(records)).toEqual({ added: [], changed: [], removed: false });
  });

  it('rescans the whole inline run around edited or added text', () => {
    const p = document.createElement('p');
    const span = document.createElement('span');
    span.append('abc');
    p.append(span);
    document.body.append(p);
    const records = recordsOf(() => {
      (span.firstChild as Text).data = 'def';
      span.append('ghi');
    });
    expect(summarize(records).changed).toEqual([p]);
  });

  it('notices removals and drops changes to nodes no longer in the page', () => {
    const div = document.createElement('div');
    div.append(document.createElement('section'));
    document.body.append(div);
    const records = recordsOf(() => {
      div.firstElementChild!.setAttribute('hidden', '');
      div.remove();
    });
    expect(summarize(records)).toEqual({ added: [], changed: [], removed: true });
  });
});

describe('DomWatch', () => {
  /** Lets the observer's callback (a microtask) run. */
  const delivered = () => new Promise<void>((resolve) => queueMicrotask(resolve));

  function watching() {
    const seen: Changes[] = [];
    const rescan = vi.fn();
    const control = new AbortController();
    new DomWatch([], { changes: (_root, changes) => seen.push(changes), rescan }, control.signal).watch(document);
    return { seen, rescan, control };
  }

  it('backs off a page that thrashes: past 50 callbacks in 10 s its changes wait, then come as one batch', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const list = document.createElement('ul');
    document.body.append(list);
    const { seen, control } = watching();
    const added: Node[] = [];
    for (let i = 0; i < 80; i++) {
      added.push(list.appendChild(document.createElement('li')));
      await delivered();
      vi.advanceTimersByTime(20);
    }
    // The first 50 are followed one by one; the other 30 are held, not chased.
    expect(seen).toHaveLength(50);
    expect(seen.flatMap((c) => c.added)).toEqual(added.slice(0, 50));
    vi.advanceTimersByTime(2000);
    expect(seen).toHaveLength(51);
    expect(seen[50]!.added).toEqual(added.slice(50));
    // After the pause the count starts again: a quiet page is followed at once.
    const late = list.appendChild(document.createElement('li'));
    await delivered();
    expect(seen).toHaveLength(52);
    expect(seen[51]!.added).toEqual([late]);
    control.abort();
  });

  it('counts callbacks in a sliding window: a steady page is never backed off', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const list = document.createElement('ul');
    document.body.append(list);
    const { seen, control } = watching();
    for (let i = 0; i < 120; i++) {
      list.append(document.createElement('li'));
      await delivered();
      vi.advanceTimersByTime(250);
    }
    expect(seen).toHaveLength(120);
    control.abort();
  });

  it('takes the extension’s own badges going in, however many at once, for no change and no activity of the page', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const cells = Array.from({ length: 1001 }, () => document.body.appendChild(document.createElement('td')));
    const { seen, rescan, control } = watching();
    // One batch over HUGE_BATCH, then more batches than a page may send in the window.
    for (let round = 0; round < 51; round++) {
      for (const cell of round ? cells.slice(0, 1) : cells) cell.append(document.createElement('mca-badge'));
      await delivered();
    }
    expect(rescan).not.toHaveBeenCalled();
    expect(seen).toEqual([]);
    // Not backed off either: the page's own next change comes at once.
    const late = document.body.appendChild(document.createElement('li'));
    await delivered();
    expect(seen.flatMap((c) => c.added)).toEqual([late]);
    control.abort();
  });

  it('stops with its signal, dropping what it held', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const list = document.createElement('ul');
    document.body.append(list);
    const { seen, rescan, control } = watching();
    for (let i = 0; i < 60; i++) {
      list.append(document.createElement('li'));
      await delivered();
    }
    expect(seen).toHaveLength(50);
    control.abort();
    vi.advanceTimersByTime(5000);
    list.append(document.createElement('li'));
    await delivered();
    expect(seen).toHaveLength(50);
    expect(rescan).not.toHaveBeenCalled();
  });
});
