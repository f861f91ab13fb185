import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBadges } from './harness/badges';
import { badgeProblems, expectedStatus } from './harness/expectations';
import { startHarness, type Harness } from './harness/fixture';
import { configureThroughOptions } from './harness/options-page';

const LARGE_LIST = 'https://app.hubspot.com/large-list';

/** The IDs of the rows in the viewport. */
function idsInView(page: Page): Promise<string[]> {
  return page.locator('td.id').evaluateAll((cells) =>
    cells
      .filter((c) => {
        const box = c.getBoundingClientRect();
        return box.bottom > 0 && box.top < innerHeight;
      })
      .map((c) => c.textContent?.trim() ?? ''),
  );
}

/**
 * A 10,000-row list whose IDs are nearly all different and must be asked one by one (an account
 * whose list cannot be read): rows scrolled into view go to the front of the queue.
 */
describe('rows scrolled into view', () => {
  let h: Harness;

  beforeAll(async () => {
    // 2,500 known organizations and 7,500 record GUIDs: a row in the middle shows an ID no row above it has.
    h = await startHarness({ apiOptions: { connections: 3000 }, sizes: { perStatus: 1200, notConnected: 50, records: 7500 } });
    const { clientId, clientSecret } = h.sites.api.devClient;
    const options = await configureThroughOptions(h.browser, { auth: { clientId, clientSecret }, requesterOrgId: h.sites.api.requesterOrgId });
    await options.close();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('are asked for ahead of the rest of the page, and badged while the rest still waits', { timeout: 120_000 }, async () => {
    h.sites.api.injectFault({ kind: 'status', status: 422, match: { method: 'GET', path: '/host-connections' } });
    h.sites.api.injectFault({ kind: 'latency', delayMs: 100, match: { method: 'GET', pathPrefix: '/host-connections/' } });
    const page = await h.browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    // The page's own world notes when each ID's badge goes in, so the time is not the test's reading.
    await page.addInitScript(() => {
      const drawn: Record<string, number> = ((window as unknown as { badgeDrawn: Record<string, number> }).badgeDrawn = {});
      new MutationObserver((records) => {
        for (const node of records.flatMap((r) => [...r.addedNodes])) {
          const id = node instanceof Element ? node.getAttribute('data-mca-org-id') : null;
          if (id && !(id in drawn)) drawn[id] = Date.now();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(LARGE_LIST);
    await expect.poll(() => page.locator('td.id').count()).toBe(10_000);
    await expect.poll(async () => badgeProblems(h.sites.data, await idsInView(page), await readBadges(page)), { timeout: 30_000 }).toEqual([]);

    const askedBefore = new Set(h.sites.api.requests.map((r) => r.path.split('/').pop()));
    const scrolledAt = await page.locator('tr').nth(5000).evaluate((row) => {
      row.scrollIntoView({ block: 'center' });
      return Date.now();
    });
    const inView = await idsInView(page);
    // None of them had been asked of the API: they waited behind half the page.
    expect(inView.filter((id) => askedBefore.has(id))).toEqual([]);
    await expect.poll(async () => badgeProblems(h.sites.data, inView, await readBadges(page)), { timeout: 20_000, interval: 100 }).toEqual([]);

    const known = inView.filter((id) => expectedStatus(h.sites.data, id));
    const drawn = await page.evaluate(() => (window as unknown as { badgeDrawn: Record<string, number> }).badgeDrawn);
    const badged = Math.max(...known.map((id) => drawn[id]!)) - scrolledAt;
    const calledAt = (id: string) => h.sites.api.requests.find((r) => r.path.endsWith(`/${id}`))!.time;
    const called = Math.max(...inView.map(calledAt)) - scrolledAt;
    const firstBadged = Math.min(...known.map((id) => drawn[id]!)) - scrolledAt;
    const answered = h.sites.api.requests.filter((r) => r.path.includes('/host-connections/') && r.status !== null).length;
    // Between the scroll and the last of its calls, the calls that went to other IDs: those in
    // flight, and those started before the view's lookup reached the background.
    const lastOfView = Math.max(...inView.map(calledAt));
    const others = h.sites.api.requests.filter((r) => r.time >= scrolledAt && r.time <= lastOfView && !inView.includes(r.path.split('/').pop()!));
    console.info(
      `[figure] a scroll to the middle of a 10,000-row page answered one call per ID: its ${inView.length} IDs asked of the API within ${(called / 1000).toFixed(1)} s, ` +
        `the first badge in ${(firstBadged / 1000).toFixed(1)} s, all ${known.length} in ${(badged / 1000).toFixed(1)} s, ` +
        `${others.length} calls for other IDs meanwhile, while ${answered} of about 9,900 IDs had been answered`,
    );
    expect(known.length).toBeGreaterThan(5);
    // The view went ahead of the thousands of IDs queued before it: at most the calls in flight
    // and a few rounds more, whatever the load of the machine.
    expect(others.length).toBeLessThanOrEqual(16);
    expect(answered).toBeLessThan(5000);
    await page.close();
  });
});
