import type { Platform, Rect } from '@floating-ui/core';

/**
 * Floating UI's platform for the card: a fixed layer on the document element, so every rect is
 * already viewport-relative and the only boundary is the viewport. `@floating-ui/dom`'s platform
 * also walks offset parents and clipping ancestors, which this layer never has, at a size every
 * frame of every CRM tab would download.
 */
export const viewportPlatform: Platform = {
  getElementRects: ({ reference, floating }: { reference: Element; floating: HTMLElement }) => {
    const { x, y, width, height } = reference.getBoundingClientRect();
    return { reference: { x, y, width, height }, floating: { x: 0, y: 0, ...dimensions(floating) } };
  },
  getDimensions: (element: HTMLElement) => dimensions(element),
  getClippingRect: ({ element }: { element: Element }): Rect => {
    const root = element.ownerDocument.documentElement;
    return { x: 0, y: 0, width: root.clientWidth, height: root.clientHeight };
  },
};

function dimensions(element: HTMLElement): { width: number; height: number } {
  return { width: element.offsetWidth, height: element.offsetHeight };
}
