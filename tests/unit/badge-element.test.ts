// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { badgeStatusOf, createBadge, setBadgeStatus } from '@/entrypoints/badges.content/badge-element';

const ID = '00000000-0000-4000-8000-000000000001';

/** The badge's closed shadow root, caught as it is made. */
function badgeWithRoot() {
  let root: ShadowRoot | undefined;
  const attach = Element.prototype.attachShadow;
  vi.spyOn(Element.prototype, 'attachShadow').mockImplementation(function (this: Element, init: ShadowRootInit) {
    root = attach.call(this, init);
    return root;
  });
  const host = createBadge(ID, 'connected', 'Acme');
  return { host, root: root! };
}

beforeEach(() => fakeBrowser.reset());
afterEach(() => vi.restoreAllMocks());

describe('badge status changes', () => {
  // A new element inside a badge makes the browser lay out the list around it; attributes do not.
  it('changes attributes of the same elements only, the mark going with the status', () => {
    const { host, root } = badgeWithRoot();
    const elements = () => [...root.querySelectorAll('*')];
    const before = elements();
    const mark = () => root.querySelector('.mark')!.getAttribute('d');
    expect(mark()).not.toBeNull();

    setBadgeStatus(host, 'not-connected');
    expect(elements()).toEqual(before);
    expect(badgeStatusOf(host)).toBe('not-connected');
    expect(mark()).toBeNull();

    setBadgeStatus(host, 'archived', 'Old');
    expect(elements()).toEqual(before);
    expect(mark()).toMatch(/^M/);
  });
});
