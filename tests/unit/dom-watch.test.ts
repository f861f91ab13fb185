// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { summarize } from '@/entrypoints/badges.content/dom-watch';

/** The records one synchronous change produces. */
function recordsOf(change: () => void): MutationRecord[] {
  const observer = new MutationObserver(() => undefined);
  observer.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
  change();
  const records = observer.takeRecords();
  observer.disconnect();
  return records;
}

afterEach(() => document.body.replaceChildren());

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
