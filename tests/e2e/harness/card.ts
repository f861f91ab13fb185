import type { Frame, Locator, Page } from 'playwright-core';

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

/** Whether the card overlay shows. */
export function cardShown(page: Page): Promise<boolean> {
  return page.locator('[data-mca-card]').first().isVisible().catch(() => false);
}

/** The ID the card shows, or undefined while it is closed. */
export async function shownCardId(page: Page): Promise<string | undefined> {
  if (!(await cardShown(page))) return undefined;
  const frame = page.frames().find((f) => f.url().includes('/card.html#'));
  return frame && new URL(frame.url()).hash.slice(1);
}

/** Moves the real pointer to the middle of what `target` points at. */
export async function pointAt(page: Page, target: Locator): Promise<void> {
  await target.scrollIntoViewIfNeeded();
  const box = await target.boundingBox();
  if (!box) throw new Error('nothing to point at');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 2 });
}

/**
 * Evaluates `expression` in a world of its own in the page, where the page's patches of the DOM
 * (LWC's synthetic shadow patches `activeElement`) do not apply.
 */
async function inOwnWorld<T>(page: Page, expression: string): Promise<T> {
  const session = await page.context().newCDPSession(page);
  try {
    const { frameTree } = (await session.send('Page.getFrameTree')) as { frameTree: { frame: { id: string } } };
    const { executionContextId } = (await session.send('Page.createIsolatedWorld', { frameId: frameTree.frame.id, worldName: 'mca-test' })) as {
      executionContextId: number;
    };
    const { result } = (await session.send('Runtime.evaluate', { expression, contextId: executionContextId, returnByValue: true })) as {
      result: { value: T };
    };
    return result.value;
  } finally {
    await session.detach();
  }
}

/** The ID of the badge that has keyboard focus, if one has: open shadow roots are followed down to the badge host. */
export function focusedBadgeId(page: Page): Promise<string | null> {
  return inOwnWorld(
    page,
    `(() => {
      let element = document.activeElement;
      while (element && element.shadowRoot && element.shadowRoot.activeElement) element = element.shadowRoot.activeElement;
      return element ? element.getAttribute('data-mca-org-id') : null;
    })()`,
  );
}

/** Whether keyboard focus is in the card. */
export function cardHasFocus(page: Page): Promise<boolean> {
  return inOwnWorld(page, `document.activeElement !== null && document.activeElement.hasAttribute('data-mca-card')`);
}
