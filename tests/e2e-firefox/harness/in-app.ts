import { expect } from 'vitest';
import type { RowReading } from '../../e2e/harness/badges';
import { KEYS, type ElementRef, type NodeValue, type WebTab } from './web-tab';

/** Whether the card overlay shows. */
export function cardShown(page: WebTab): Promise<boolean> {
  return page.evaluateInOwnWorld(() => (document.querySelector('[data-mca-card]') as HTMLElement | null)?.style.display === 'block');
}

/** The ID the card shows (its extension page's fragment), or undefined while it is closed. */
export async function shownCardId(page: WebTab): Promise<string | undefined> {
  if (!(await cardShown(page))) return undefined;
  const [frame] = await page.frameUrls('moz-extension:');
  return frame && new URL(frame).hash.slice(1);
}

/** The height the card's frame is given (its style, inside the card's closed shadow root), in CSS pixels. */
export async function cardFrameHeight(page: WebTab): Promise<number | undefined> {
  const host = (await page.serializedInOwnWorld(() => document.querySelector('[data-mca-card]'), [], 2)) as NodeValue | undefined;
  const frame = host?.value?.shadowRoot?.value?.children?.find((child) => child.value?.localName === 'iframe');
  const match = /(?:^|;)\s*height:\s*(\d+(?:\.\d+)?)px/.exec(frame?.value?.attributes?.style ?? '');
  return match ? Number(match[1]) : undefined;
}

/**
 * The ID of the badge that has keyboard focus, if one has: open shadow roots are followed down to
 * the badge, and so are the page's closed roots it keeps in `window.closedRoots`.
 */
export async function focusedBadgeId(page: WebTab): Promise<string | null> {
  const inClosed = await page.evaluate(() => {
    const roots = (window as unknown as { closedRoots?: ShadowRoot[] }).closedRoots ?? [];
    return roots.map((root) => root.activeElement?.getAttribute('data-mca-org-id')).find(Boolean) ?? null;
  });
  return (
    inClosed ??
    page.evaluateInOwnWorld(() => {
      let element = document.activeElement;
      while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
      return element?.getAttribute('data-mca-org-id') ?? null;
    })
  );
}

/** Whether keyboard focus is in the card. */
export function cardHasFocus(page: WebTab): Promise<boolean> {
  return page.evaluateInOwnWorld(() => document.activeElement?.hasAttribute('data-mca-card') ?? false);
}

/** The first element matching `selector` in the row whose `rowAttribute` is `key`, through open shadow roots. */
export function inRow(page: WebTab, rowAttribute: string, key: string, selector: string): Promise<ElementRef> {
  return page.locate(
    (rowAttribute, key, selector) => {
      const find = (root: ParentNode, test: (element: Element) => boolean): Element | null => {
        for (const element of root.querySelectorAll('*')) {
          if (test(element)) return element;
          const inside = element.shadowRoot && find(element.shadowRoot, test);
          if (inside) return inside;
        }
        return null;
      };
      const row = find(document, (element) => element.getAttribute(rowAttribute) === key);
      return row && find(row, (element) => element.matches(selector));
    },
    rowAttribute,
    key,
    selector,
  );
}

/** Focuses `element` from a script, as an app moves focus to its own controls. */
export async function focus(page: WebTab, element: ElementRef): Promise<void> {
  await page.withElement(element, (target) => (target as HTMLElement).focus());
}

/**
 * The card as a person reaches it inside an app, with real input: the pointer comes onto the badge
 * from an element of the app, moves on to another badge, and back into the app; the keyboard tabs
 * onto the badge (or a grid's keyboard onto the ID's cell) from inside the app, Escape closes the
 * card; Enter takes focus into it, and Escape there gives focus back to the badge, which leaves it
 * closed. The second row with a badge is the target, the first the other badge (above it, so the
 * pointer does not cross the card, which opens below its badge); pointer and keyboard start from
 * `from` in the target's row.
 */
export async function checkCardFromInsideRows(page: WebTab, rows: RowReading[], rowAttribute: string, from = 'a'): Promise<void> {
  const [other, target] = rows.filter((r) => r.badges.length);
  if (!other || !target) throw new Error('fewer than two rows with a badge');
  const id = target.badges[0]!.id;
  const element = (key: string, selector: string) => inRow(page, rowAttribute, key, selector);

  await page.pointAt(await element(target.key, from));
  await page.pointAt(await element(target.key, '[data-mca-org-id]'));
  await expect.poll(() => shownCardId(page), { message: 'the pointer coming from inside the app opens the card' }).toBe(id);
  await page.pointAt(await element(other.key, '[data-mca-org-id]'));
  await expect.poll(() => shownCardId(page), { message: 'the card switches to the badge the pointer moved to' }).toBe(other.badges[0]!.id);
  await page.pointAt(await element(target.key, from));
  await expect.poll(() => cardShown(page), { message: 'the card closes when the pointer moves back into the app' }).toBe(false);

  await focus(page, await element(target.key, from));
  await page.press(KEYS.Tab);
  await expect.poll(() => shownCardId(page), { message: 'focus coming from inside the app opens the card' }).toBe(id);
  await page.press(KEYS.Escape);
  await expect.poll(() => cardShown(page), { message: 'Escape closes the card' }).toBe(false);
  expect(await focusedBadgeId(page)).toBe(id);

  await page.press(KEYS.Enter);
  await expect.poll(() => cardHasFocus(page), { message: 'Enter moves focus into the card' }).toBe(true);
  await page.press(KEYS.Escape);
  await expect.poll(() => cardShown(page), { message: 'Escape in the card closes it, and focus back on the badge does not reopen it' }).toBe(false);
  await expect.poll(() => focusedBadgeId(page)).toBe(id);
}
