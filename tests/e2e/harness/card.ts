import type { Frame, Page } from 'playwright-core';

/** The card frame showing `id` (an extension page inside the card's closed shadow root). */
export function cardFrame(page: Page, id: string): Frame | undefined {
  return page.frames().find((f) => f.url().includes(`/card.html#${id}`));
}

/** Hovers the first badge of `id` and waits until its card has an answer to show. */
export async function openCardByHover(page: Page, id: string): Promise<Frame> {
  await page.locator(`[data-mca-org-id="${id}"]`).first().hover();
  await page.locator('[data-mca-card]').first().waitFor({ state: 'visible', timeout: 15_000 });
  const deadline = Date.now() + 15_000;
  let frame = cardFrame(page, id);
  while (!frame && Date.now() < deadline) {
    await page.waitForEvent('framenavigated', { timeout: deadline - Date.now() }).catch(() => undefined);
    frame = cardFrame(page, id);
  }
  if (!frame) throw new Error(`no card frame for ${id}`);
  await frame.locator('article.mca-card:not([data-status="loading"])').waitFor({ timeout: 15_000 });
  return frame;
}
