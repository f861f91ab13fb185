// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { BadgeRegistry } from '@/entrypoints/badges.content/badge-registry';
import type { LookupClient } from '@/entrypoints/badges.content/lookup-client';
import { badgeStatusOf } from '@/entrypoints/badges.content/badge-element';
import { SliceClock } from '@/entrypoints/badges.content/time-slicing';
import type { BadgeResult } from '@/utils/content-protocol';

function orgId(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** An observer the test answers for, as the browser would after layout. */
class TestObserver {
  /** The registry's in-view observer. */
  static made: TestObserver | undefined;
  static near = () => TestObserver.made!;
  readonly observed = new Set<Element>();
  constructor(private readonly callback: (entries: IntersectionObserverEntry[]) => void) {
    TestObserver.made = this;
  }
  observe(target: Element) {
    this.observed.add(target);
  }
  unobserve(target: Element) {
    this.observed.delete(target);
  }
  disconnect() {
    this.observed.clear();
  }
  /** Reports every watched element as in view. */
  answer() {
    this.report([...this.observed], true);
  }
  /** Reports `targets` in or out of view. */
  report(targets: Element[], isIntersecting: boolean) {
    this.callback(targets.map((target) => ({ target, isIntersecting }) as IntersectionObserverEntry));
  }
}

let requests: [string, string][];
/** The view's lifetime. */
let view: AbortController;

function setup(results = new Map<string, BadgeResult>()) {
  requests = [];
  const lookups = { results, state: undefined, request: (id: string, priority: string) => requests.push([id, priority]) };
  return new BadgeRegistry(lookups as unknown as LookupClient, { shown: () => {}, hidden: () => {} }, view.signal);
}

/** A cell showing `id`, added to the page; returns its text node. */
function row(id: string): Text {
  const cell = document.createElement('td');
  const text = document.createTextNode(id);
  cell.append(text);
  document.body.append(cell);
  return text;
}

const scan = (registry: BadgeRegistry, text: Text, inIdField = false) => registry.found(text, [{ id: text.data, anchor: text, inIdField }]);

/** Rows of one ID each, added to the page and to the registry as the scan would. */
function addRows(registry: BadgeRegistry, from: number, count: number): void {
  for (let n = from; n < from + count; n++) scan(registry, row(orgId(n)));
}

const priorityOf = (n: number) => requests.find(([id]) => id === orgId(n))?.[1];

beforeEach(() => {
  fakeBrowser.reset();
  TestObserver.made = undefined;
  view = new AbortController();
  vi.stubGlobal('IntersectionObserver', TestObserver);
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

describe('BadgeRegistry first sight', () => {
  it('asks about IDs past the first 300 at once at idle priority, the rest once the observer says where they are', () => {
    const registry = setup();
    addRows(registry, 1, 301);
    expect(requests).toEqual([[orgId(301), 'idle']]);
    TestObserver.near().answer();
    expect(priorityOf(1)).toBe('visible');
    expect(requests).toHaveLength(301);
  });

  it('watches rows added later again once the observer has answered for the first ones', () => {
    const registry = setup();
    addRows(registry, 1, 1000);
    TestObserver.near().answer();
    requests = [];
    addRows(registry, 5000, 100);
    expect(requests).toEqual([]);
    TestObserver.near().answer();
    expect(requests).toHaveLength(100);
    expect(new Set(requests.map(([, priority]) => priority))).toEqual(new Set(['visible']));
  });

  it('gives back the place of a row removed before the observer answered', () => {
    const registry = setup();
    addRows(registry, 1, 300);
    const first = document.body.firstChild!.firstChild as Text;
    registry.found(first, []);
    addRows(registry, 400, 1);
    expect(requests).toEqual([]);
  });
});

describe('BadgeRegistry dormant IDs (no badge needed: only the node and the ID are kept)', () => {
  let events: string[];
  let results: Map<string, BadgeResult>;

  function setupListened() {
    events = [];
    requests = [];
    results = new Map();
    // No layout in happy-dom: badges are drawn at once, without the visibility observer.
    vi.stubGlobal('IntersectionObserver', undefined);
    const lookups = { results, state: undefined, request: (id: string, priority: string) => requests.push([id, priority]) };
    return new BadgeRegistry(
      lookups as unknown as LookupClient,
      { shown: (id) => events.push(`shown ${id}`), hidden: (id) => events.push(`hidden ${id}`) },
      view.signal,
    );
  }

  function answer(registry: BadgeRegistry, id: string, result: BadgeResult) {
    results.set(id, result);
    registry.refresh([id]);
  }

  /** A row whose ID the service says is not connected: no badge, so it goes dormant. */
  function notConnectedRow(registry: BadgeRegistry, id: string): Text {
    const text = row(id);
    scan(registry, text);
    answer(registry, id, { status: 'not_connected' });
    return text;
  }

  const drawn = () => [...document.querySelectorAll('mca-badge')].map((b) => `${b.getAttribute('data-mca-org-id')} ${badgeStatusOf(b)}`);
  const connected = (id: string): BadgeResult => ({ status: 'connected', connection: { host_organization_id: id, host_name: 'Acme' } });

  it('lists an ID while any of its rows is on the page, however often rows are scanned again or moved', () => {
    const registry = setupListened();
    const [a1, a2, b] = [row(orgId(1)), row(orgId(1)), row(orgId(2))];
    for (const text of [a1, a2, b]) scan(registry, text);
    answer(registry, orgId(1), { status: 'not_connected' });
    answer(registry, orgId(2), { status: 'not_connected' });
    for (let i = 0; i < 3; i++) {
      for (const text of [a1, a2, b]) scan(registry, text);
      document.body.append(a1.parentElement!);
      registry.sweep();
    }
    expect(events).toEqual([`shown ${orgId(1)}`, `shown ${orgId(2)}`]);
    a1.parentElement!.remove();
    registry.sweep();
    expect(events).toHaveLength(2);
    a2.parentElement!.remove();
    registry.sweep();
    expect(events).toEqual([`shown ${orgId(1)}`, `shown ${orgId(2)}`, `hidden ${orgId(1)}`]);
    expect(registry.ids()).toEqual([orgId(2)]);
    expect(drawn()).toEqual([]);
  });

  it('draws the badge of an ID that needed none once its answer changes, asked before or after', () => {
    const registry = setupListened();
    const before = notConnectedRow(registry, orgId(1));
    const again = row(orgId(1));
    scan(registry, again);
    const unanswered = row(orgId(2));
    scan(registry, unanswered);
    expect(requests.map(([id]) => id)).toEqual([orgId(1), orgId(2)]);
    expect(drawn()).toEqual([]);
    answer(registry, orgId(1), connected(orgId(1)));
    answer(registry, orgId(2), { status: 'archived', connection: { host_organization_id: orgId(2), host_name: 'Old' } });
    expect(drawn()).toEqual([`${orgId(1)} connected`, `${orgId(1)} connected`, `${orgId(2)} archived`]);
    expect(before.nextSibling?.nodeName.toLowerCase()).toBe('mca-badge');
    answer(registry, orgId(1), { status: 'not_connected' });
    expect(drawn()).toEqual([`${orgId(2)} archived`]);
    again.parentElement!.remove();
    registry.sweep();
    expect(registry.ids().sort()).toEqual([orgId(1), orgId(2)]);
  });

  it('follows a text node the page reuses for another ID, or for none', () => {
    const registry = setupListened();
    const text = notConnectedRow(registry, orgId(1));
    results.set(orgId(2), connected(orgId(2)));
    text.data = orgId(2);
    scan(registry, text);
    expect(events).toEqual([`shown ${orgId(1)}`, `shown ${orgId(2)}`, `hidden ${orgId(1)}`]);
    expect(drawn()).toEqual([`${orgId(2)} connected`]);
    text.data = 'no ID any more';
    registry.found(text, []);
    expect(events.at(-1)).toBe(`hidden ${orgId(2)}`);
    expect(drawn()).toEqual([]);
  });

  it('shows "not connected" once a rescan finds the ID inside a site-rule field', () => {
    const registry = setupListened();
    const text = notConnectedRow(registry, orgId(1));
    scan(registry, text, true);
    expect(drawn()).toEqual([`${orgId(1)} not-connected`]);
    scan(registry, text, false);
    expect(drawn()).toEqual([]);
  });

  it('finds a row to reveal for an ID without a badge, and none once the row has gone', () => {
    const registry = setupListened();
    const text = notConnectedRow(registry, orgId(1));
    expect(registry.shownHit(orgId(1))?.anchor).toBe(text);
    text.parentElement!.remove();
    expect(registry.shownHit(orgId(1))).toBeUndefined();
  });
});

describe('BadgeRegistry drawing the rest (each drawing costs the page a layout of the list)', () => {
  let results: Map<string, BadgeResult>;
  let registry: BadgeRegistry;

  const connected = (n: number): BadgeResult => ({
    status: 'connected',
    connection: { host_organization_id: orgId(n), host_name: `Host ${n}` },
  });

  /** Rows from…from+count-1 with connected IDs, answered and waiting for the observer; their cells. */
  function waitingRows(from: number, count: number): Element[] {
    const cells: Element[] = [];
    for (let n = from; n < from + count; n++) {
      results.set(orgId(n), connected(n));
      const text = row(orgId(n));
      scan(registry, text);
      cells.push(text.parentElement!);
    }
    return cells;
  }

  const badged = () => [...document.querySelectorAll('mca-badge')].map((b) => b.getAttribute('data-mca-org-id'));
  const ids = (...numbers: number[]) => numbers.map(orgId);
  /** Badges put in, by the task (the batch of mutation records) that put them in. */
  function insertionsByTask(): number[] {
    const batches: number[] = [];
    new MutationObserver((records) => {
      const added = records.flatMap((r) => [...r.addedNodes]).filter((n) => n.nodeName.toLowerCase() === 'mca-badge');
      if (added.length) batches.push(added.length);
    }).observe(document.body, { childList: true, subtree: true });
    return batches;
  }
  /** Every look at the slice clock finds the slice used up: each row is built in a task of its own. */
  const oneRowPerSlice = () => vi.spyOn(SliceClock.prototype, 'expired').mockReturnValue(true);

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    results = new Map();
    registry = setup(results);
  });

  afterEach(() => {
    view.abort();
    vi.useRealTimers();
  });

  it('draws those in view at once, and the rest together once no badge has begun to wait for a second', async () => {
    const cells = waitingRows(1, 4);
    TestObserver.near().report([cells[0]!], true);
    expect(badged()).toEqual(ids(1));
    await vi.advanceTimersByTimeAsync(600);
    waitingRows(5, 1);
    await vi.advanceTimersByTimeAsync(900);
    expect(badged()).toEqual(ids(1));
    await vi.advanceTimersByTimeAsync(200);
    expect(badged()).toEqual(ids(1, 2, 3, 4, 5));
    expect(TestObserver.near().observed).toEqual(new Set());
  });

  it('builds them off the page a slice of work at a time, and puts them all in within one task', async () => {
    const batches = insertionsByTask();
    const expired = oneRowPerSlice();
    waitingRows(1, 6);
    await vi.advanceTimersByTimeAsync(5000);
    expect(expired).toHaveBeenCalledTimes(6);
    expect(badged()).toEqual(ids(1, 2, 3, 4, 5, 6));
    expect(batches).toEqual([6]);
  });

  it('leaves out a badge whose answer changed while it was built, and draws it with its new answer in the next go', async () => {
    oneRowPerSlice();
    waitingRows(1, 3);
    // The quiet second, then the idle callback's fallback delay: the first row is built.
    await vi.advanceTimersByTimeAsync(1050);
    results.set(orgId(1), { status: 'archived', connection: { host_organization_id: orgId(1), host_name: 'Old' } });
    registry.refresh([orgId(1)]);
    await vi.advanceTimersByTimeAsync(50);
    expect(badged()).toEqual(ids(2, 3));
    await vi.advanceTimersByTimeAsync(2000);
    const first = document.querySelector(`[data-mca-org-id="${orgId(1)}"]`);
    expect(first && badgeStatusOf(first)).toBe('archived');
  });

  it('does not draw again a badge that came into view while the rest were built', async () => {
    oneRowPerSlice();
    const cells = waitingRows(1, 3);
    await vi.advanceTimersByTimeAsync(1050);
    TestObserver.near().report([cells[0]!], true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(badged()).toEqual(ids(1, 2, 3));
  });

  it('does not draw a badge for an ID the page took away while the rest were built', async () => {
    oneRowPerSlice();
    waitingRows(1, 3);
    await vi.advanceTimersByTimeAsync(1050);
    const text = document.body.firstChild!.firstChild as Text;
    text.data = 'no ID any more';
    registry.found(text, []);
    await vi.advanceTimersByTimeAsync(5000);
    expect(badged()).toEqual(ids(2, 3));
  });

  it('puts nothing in once the view has gone', async () => {
    oneRowPerSlice();
    waitingRows(1, 3);
    await vi.advanceTimersByTimeAsync(1050);
    view.abort();
    registry.clear();
    await vi.advanceTimersByTimeAsync(5000);
    expect(badged()).toEqual([]);
  });
});
