// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { BadgeRegistry } from '@/entrypoints/badges.content/badge-registry';
import type { LookupClient } from '@/entrypoints/badges.content/lookup-client';

function orgId(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** An observer the test answers for, as the browser would after layout. */
class TestObserver {
  static current: TestObserver | undefined;
  readonly observed = new Set<Element>();
  constructor(private readonly callback: (entries: IntersectionObserverEntry[]) => void) {
    TestObserver.current = this;
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
    this.callback([...this.observed].map((target) => ({ target, isIntersecting: true }) as IntersectionObserverEntry));
  }
}

let requests: [string, string][];

function setup() {
  requests = [];
  const lookups = { results: new Map(), state: undefined, request: (id: string, priority: string) => requests.push([id, priority]) };
  return new BadgeRegistry(lookups as unknown as LookupClient, { shown: () => {}, hidden: () => {} });
}

/** Rows of one ID each, added to the page and to the registry as the scan would. */
function addRows(registry: BadgeRegistry, from: number, count: number): void {
  for (let n = from; n < from + count; n++) {
    const cell = document.createElement('td');
    const text = document.createTextNode(orgId(n));
    cell.append(text);
    document.body.append(cell);
    registry.found(text, [{ id: orgId(n), anchor: text, inIdField: false }]);
  }
}

const priorityOf = (n: number) => requests.find(([id]) => id === orgId(n))?.[1];

beforeEach(() => {
  fakeBrowser.reset();
  vi.stubGlobal('IntersectionObserver', TestObserver);
});

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

describe('BadgeRegistry first sight', () => {
  it('asks about IDs past the first 300 at once at idle priority, the rest once the observer says where they are', () => {
    const registry = setup();
    addRows(registry, 1, 301);
    expect(requests).toEqual([[orgId(301), 'idle']]);
    TestObserver.current!.answer();
    expect(priorityOf(1)).toBe('visible');
    expect(requests).toHaveLength(301);
  });

  it('watches rows added later again once the observer has answered for the first ones', () => {
    const registry = setup();
    addRows(registry, 1, 1000);
    TestObserver.current!.answer();
    requests = [];
    addRows(registry, 5000, 100);
    expect(requests).toEqual([]);
    TestObserver.current!.answer();
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
