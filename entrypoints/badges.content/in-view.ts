import type { BadgeRegistry } from './badge-registry';
import type { LookupClient } from './lookup-client';
import { after, SliceClock } from './time-slicing';

/** How long the page must stop scrolling before the rows it shows are looked at. */
const SETTLED_MS = 100;

/** Rows this close to the viewport count as in view, as for drawing badges (badge-registry.ts). */
const MARGIN_PX = 200;

/** The walk from the first row in view stops after this many rows below it in a row. */
const WALK_PAST = 20;

/**
 * Sends the IDs a scroll brought into view ahead of everything still waiting for an answer.
 * Only the first IDs of a page are watched for visibility as they are found (badge-registry.ts);
 * the rest are asked for in document order, so on a long page that must be looked up ID by ID
 * a row scrolled into the middle would wait behind all the rows above it. Once the scrolling
 * settles, the IDs still awaited are measured where they are shown (a text node through a Range,
 * so no element is held for it) and those in view are promoted.
 */
export class InViewPromoter {
  private due = false;
  private lastScroll = 0;

  constructor(
    private readonly registry: BadgeRegistry,
    private readonly lookups: LookupClient,
    private readonly signal: AbortSignal,
  ) {
    // Capture: a scroll of any scrolling element, not only the document's, reaches the window.
    addEventListener('scroll', () => this.onScroll(), { capture: true, passive: true, signal });
  }

  private onScroll(): void {
    this.lastScroll = performance.now();
    if (this.due) return;
    this.due = true;
    after(SETTLED_MS, () => this.whenSettled(), this.signal);
  }

  private whenSettled(): void {
    const quiet = performance.now() - this.lastScroll;
    if (quiet < SETTLED_MS) {
      after(SETTLED_MS - quiet, () => this.whenSettled(), this.signal);
      return;
    }
    this.due = false;
    void this.promoteInView();
  }

  private async promoteInView(): Promise<void> {
    const awaited = this.lookups.awaitingInView();
    if (!awaited.length) return;
    const range = document.createRange();
    const near = this.nearView(awaited, range);
    if (near.length) {
      this.lookups.promote(near);
      return;
    }
    await this.scanAll(awaited, range);
  }

  /**
   * The IDs in view, then those just outside it, found by bisection: the IDs were asked for in
   * document order, which on a list is the order of its rows top to bottom, so a few measurements
   * find the first row in view and a walk from there the rest. Empty when the page is not laid
   * out that way (then `scanAll`).
   */
  private nearView(awaited: string[], range: Range): string[] {
    let low = 0;
    let high = awaited.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const rect = this.rectOf(awaited[middle]!, range);
      if (!rect || rect.bottom < -MARGIN_PX) low = middle + 1;
      else high = middle;
    }
    const shown: string[] = [];
    const near: string[] = [];
    let below = 0;
    for (let index = low; index < awaited.length && below < WALK_PAST; index++) {
      const rect = this.rectOf(awaited[index]!, range);
      if (rect && inView(rect, 0)) shown.push(awaited[index]!);
      else if (rect && inView(rect, MARGIN_PX)) near.push(awaited[index]!);
      if (rect && rect.top > innerHeight + MARGIN_PX) below++;
      else below = 0;
    }
    return [...shown, ...near];
  }

  /** Every awaited ID measured, in slices of work; what was found goes out after each slice. */
  private async scanAll(awaited: string[], range: Range): Promise<void> {
    const clock = new SliceClock();
    let found: string[] = [];
    for (const id of awaited) {
      const rect = this.rectOf(id, range);
      if (rect && inView(rect, MARGIN_PX)) found.push(id);
      if (!clock.expired()) continue;
      this.lookups.promote(found);
      found = [];
      if (!(await clock.next(this.signal)) || this.due) return;
    }
    this.lookups.promote(found);
  }

  /** Where the first place `id` is shown lies in the viewport; undefined where it is not laid out. */
  private rectOf(id: string, range: Range): DOMRect | undefined {
    for (const anchor of this.registry.anchorsOf(id)) {
      if (!anchor.isConnected) continue;
      let rect: DOMRect;
      if (anchor.nodeType === Node.TEXT_NODE) {
        range.selectNodeContents(anchor);
        rect = range.getBoundingClientRect();
      } else {
        rect = (anchor as Element).getBoundingClientRect();
      }
      if (rect.width > 0 || rect.height > 0) return rect;
    }
    return undefined;
  }
}

function inView(rect: DOMRect, margin: number): boolean {
  return rect.bottom >= -margin && rect.top <= innerHeight + margin && rect.right >= 0 && rect.left <= innerWidth;
}
