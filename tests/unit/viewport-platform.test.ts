// @vitest-environment happy-dom
import { computePosition, flip, offset, shift } from '@floating-ui/core';
import { afterEach, describe, expect, it } from 'vitest';
import { viewportPlatform } from '@/entrypoints/badges.content/viewport-platform';

// happy-dom lays nothing out, so the test gives the viewport, the badge and the card their sizes.
function sized<T extends HTMLElement>(element: T, width: number, height: number): T {
  Object.defineProperty(element, 'offsetWidth', { configurable: true, value: width });
  Object.defineProperty(element, 'offsetHeight', { configurable: true, value: height });
  return element;
}

function setViewport(width: number, height: number): void {
  const root = document.documentElement;
  Object.defineProperty(root, 'clientWidth', { configurable: true, value: width });
  Object.defineProperty(root, 'clientHeight', { configurable: true, value: height });
}

function badgeAt(x: number, y: number): HTMLElement {
  const badge = document.createElement('span');
  badge.getBoundingClientRect = () => DOMRect.fromRect({ x, y, width: 16, height: 16 });
  return badge;
}

async function place(badge: HTMLElement, card: HTMLElement): Promise<{ x: number; y: number }> {
  const { x, y } = await computePosition(badge, card, {
    platform: viewportPlatform,
    strategy: 'fixed',
    placement: 'bottom-start',
    middleware: [offset(6), flip({ padding: 8 }), shift({ padding: 8 })],
  });
  return { x, y };
}

afterEach(() => document.body.replaceChildren());

describe('viewportPlatform', () => {
  it('puts the card below and aligned with a badge that has room', async () => {
    setViewport(1200, 800);
    expect(await place(badgeAt(100, 50), sized(document.createElement('div'), 340, 180))).toEqual({ x: 100, y: 72 });
  });

  it('flips the card above a badge near the bottom right and ends it where the badge ends', async () => {
    setViewport(1200, 800);
    expect(await place(badgeAt(1150, 700), sized(document.createElement('div'), 340, 180))).toEqual({
      x: 1150 + 16 - 340,
      y: 700 - 6 - 180,
    });
  });

  it('shifts the card inside the viewport when no placement fits', async () => {
    setViewport(1200, 800);
    const { x } = await place(badgeAt(1180, 700), sized(document.createElement('div'), 340, 180));
    expect(x).toBe(1200 - 8 - 340);
  });

  it('measures the viewport without its scrollbar, from the element’s own document', () => {
    setViewport(985, 600);
    const card = document.createElement('div');
    expect(viewportPlatform.getClippingRect({ element: card, boundary: 'clippingAncestors', rootBoundary: 'viewport', strategy: 'fixed' })).toEqual({
      x: 0,
      y: 0,
      width: 985,
      height: 600,
    });
  });
});
