import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { RowReading } from './badges';
import { cardHasFocus, cardShown, focusedBadgeId, pointAt, shownCardId } from './card';

export interface InsideTheApp {
  /** The badge to reach, and its ID. */
  id: string;
  badge: Locator;
  /** An element of the app in the same shadow tree as the badge (or its component's): the pointer comes from there. */
  pointerFrom: Locator;
  /** Another badge in the app: the card switches to it. */
  other: { id: string; badge: Locator };
  /**
   * A control of the app right before the badge in tab order; in a grid that moves focus from cell
   * to cell itself, the cell before the ID's.
   */
  tabFrom: Locator;
}

/**
 * The card as a person reaches it inside an app: the pointer comes onto the badge from an element
 * of the app, moves on to another badge, and back into the app; the keyboard tabs onto the badge
 * (or a grid's keyboard onto the ID's cell) from inside the app, Escape closes the card; Enter takes
 * focus into it, and Escape there gives focus back to the badge, which leaves it closed.
 */
export async function checkCardFromInside(page: Page, app: InsideTheApp): Promise<void> {
  await pointAt(page, app.pointerFrom);
  await pointAt(page, app.badge);
  await expect.poll(() => shownCardId(page), { message: 'the pointer coming from inside the app opens the card' }).toBe(app.id);
  await pointAt(page, app.other.badge);
  await expect.poll(() => shownCardId(page), { message: 'the card switches to the badge the pointer moved to' }).toBe(app.other.id);
  await pointAt(page, app.pointerFrom);
  await expect.poll(() => cardShown(page), { message: 'the card closes when the pointer moves back into the app' }).toBe(false);

  await app.tabFrom.focus();
  await page.keyboard.press('Tab');
  await expect.poll(() => shownCardId(page), { message: 'focus coming from inside the app opens the card' }).toBe(app.id);
  await page.keyboard.press('Escape');
  await expect.poll(() => cardShown(page), { message: 'Escape closes the card' }).toBe(false);
  expect(await focusedBadgeId(page)).toBe(app.id);

  // Enter takes focus into the card; Escape there gives it back to the badge, which must not reopen it.
  await page.keyboard.press('Enter');
  await expect.poll(() => cardHasFocus(page), { message: 'Enter moves focus into the card' }).toBe(true);
  await page.keyboard.press('Escape');
  await expect.poll(() => cardShown(page), { message: 'Escape in the card closes it, and focus back on the badge does not reopen it' }).toBe(false);
  await expect.poll(() => focusedBadgeId(page)).toBe(app.id);
}

/**
 * The same walk in a table or grid whose rows carry `rowAttribute`: the second row with a badge is
 * the target, the first the other badge (above it, so the pointer does not cross the card, which
 * opens below its badge). Pointer and keyboard start from `from` in the target's row.
 */
export async function checkCardFromInsideRows(page: Page, rows: RowReading[], rowAttribute: string, from = 'a'): Promise<void> {
  const [other, target] = rows.filter((r) => r.badges.length);
  if (!other || !target) throw new Error('fewer than two rows with a badge');
  const inRow = (key: string, selector: string) => page.locator(`[${rowAttribute}="${key}"] ${selector}`).first();
  await checkCardFromInside(page, {
    id: target.badges[0]!.id,
    badge: inRow(target.key, '[data-mca-org-id]'),
    pointerFrom: inRow(target.key, from),
    other: { id: other.badges[0]!.id, badge: inRow(other.key, '[data-mca-org-id]') },
    tabFrom: inRow(target.key, from),
  });
}
