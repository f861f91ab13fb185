/**
 * Functions the bench runs inside the page's main world (via Playwright, serialised as source):
 * each must stand alone, with no imports and no closures over Node-side values.
 */

export interface PageProbe {
  /** performance.now() of DOMContentLoaded's end. */
  ready: number;
  /** Org ID -> performance.now() when its first badge host appeared. */
  badgeTimes: Record<string, number>;
  longTasks: { start: number; duration: number }[];
  badgeCount: number;
}

/**
 * Installed before any page script: records long tasks, and from the moment the document is
 * parsed, when each badge host (`[data-mca-org-id]`) first appears. Watching only starts once the
 * parser is done, so the page's own million insertions are not observed.
 */
export function installProbe(): void {
  const probe = { ready: 0, badgeTimes: {} as Record<string, number>, longTasks: [] as { start: number; duration: number }[], hostsAdded: 0 };
  Object.assign(window, { __mcaProbe: probe });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) probe.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  const note = (el: Element) => {
    probe.hostsAdded++;
    const id = el.getAttribute('data-mca-org-id');
    if (id && !(id in probe.badgeTimes)) probe.badgeTimes[id] = performance.now();
  };
  const scan = (node: Node) => {
    if (!(node instanceof Element)) return;
    if (node.hasAttribute('data-mca-org-id')) note(node);
    if (node.firstElementChild) for (const el of node.querySelectorAll('[data-mca-org-id]')) note(el);
  };
  document.addEventListener('readystatechange', () => {
    if (document.readyState !== 'interactive') return;
    for (const el of document.querySelectorAll('[data-mca-org-id]')) note(el);
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === 'attributes') note(r.target as Element);
        else for (const n of r.addedNodes) scan(n);
      }
    }).observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-mca-org-id'] });
  });
  document.addEventListener('DOMContentLoaded', () => {
    probe.ready = performance.now();
  });
}

export function readProbe(): PageProbe {
  const probe = (window as unknown as { __mcaProbe: Omit<PageProbe, 'badgeCount'> }).__mcaProbe;
  return { ...probe, badgeCount: document.querySelectorAll('[data-mca-org-id]').length };
}

/**
 * How many badge hosts have been added so far: what the bench polls, so it counts the observer's
 * notes instead of querying a page of a million nodes several times a second (which would keep
 * its main thread busy).
 */
export function badgeCount(): number {
  return (window as unknown as { __mcaProbe: { hostsAdded: number } }).__mcaProbe.hostsAdded;
}

/** The IDs of the rows the viewport shows, from the ID column (the fourth cell). */
export function visibleRowIds(): string[] {
  const out: string[] = [];
  for (const row of document.querySelectorAll<HTMLTableRowElement>('#list tbody tr')) {
    const box = row.getBoundingClientRect();
    if (box.top >= window.innerHeight) break;
    if (box.bottom <= 0) continue;
    const cell = row.cells[3];
    const id = cell?.textContent?.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i)?.[0];
    if (id) out.push(id.toLowerCase());
  }
  return out;
}

/** Inserts rows at the top of the list, as a CRM does with new records, built from text only. */
export function prependRows(rows: string[][]): number {
  const body = document.querySelector('#list tbody');
  if (!body) throw new Error('no list');
  const fragment = document.createDocumentFragment();
  for (const cells of rows) {
    const tr = document.createElement('tr');
    for (const text of cells) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    fragment.append(tr);
  }
  const at = performance.now();
  body.prepend(fragment);
  return at;
}
