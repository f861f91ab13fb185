import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBadges } from './harness/badges';
import { badgeProblems, expectedStatus } from './harness/expectations';
import { startHarness, type Harness } from './harness/fixture';
import { configureThroughOptions } from './harness/options-page';

const LONG_LIST = 'https://app.hubspot.com/contacts/4411/objects/0-2/views/long-list';
const ROWS = 10_000;
/** The rows of the second group of IDs, far down the list. */
const DEEP_FROM = 5000;

/** The IDs of the rows in the viewport. */
function idsInView(page: Page): Promise<string[]> {
  return page.locator('td.id').evaluateAll((cells) =>
    cells
      .filter((c) => {
        const box = c.getBoundingClientRect();
        return box.bottom > 0 && box.top < innerHeight;
      })
      .map((c) => c.textContent?.trim() ?? '')
      .filter(Boolean),
  );
}

/**
 * A list of 10,000 rows: 200 different IDs in its first rows, 60 more around row 5,000, a dash in
 * every other row. 260 IDs in all stay within a tab's budget of calls (lookup-budget.ts), so every
 * ID gets its call; the question is in which order.
 */
function longList(first: string[], deep: string[]): string {
  const rows: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    const id = i < first.length ? first[i] : i >= DEEP_FROM && i < DEEP_FROM + deep.length ? deep[i - DEEP_FROM] : '—';
    rows.push(`<tr><td>${i + 1}</td><td class="id">${id}</td></tr>`);
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Long list</title>
<style>body{margin:0;font:13px/1.4 system-ui,sans-serif}td{padding:3px 10px;border-bottom:1px solid #eaf0f6}</style></head>
<body><table aria-label="Organizations"><tbody>${rows.join('')}</tbody></table></body></html>`;
}

/**
 * A long list whose IDs must be looked up one by one (an account whose list cannot be read):
 * rows scrolled into view go to the front of the queue, ahead of the rows above them.
 */
describe('rows scrolled into view', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    const { clientId, clientSecret } = h.sites.api.devClient;
    const options = await configureThroughOptions(h.browser, { auth: { clientId, clientSecret }, requesterOrgId: h.sites.api.requesterOrgId });
    await options.close();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('are asked for ahead of the rest of the page, and badged while the rest still waits', { timeout: 120_000 }, async () => {
    const { data } = h.sites;
    const known = [...data.connected, ...data.disconnected, ...data.archived].map((o) => o.id);
    const unknown = [...data.notConnected, ...data.recordGuids];
    const first = [...known.slice(0, 50), ...unknown.slice(0, 150)];
    const deep = [...known.slice(50, 90), ...unknown.slice(150, 170)];
    h.sites.api.injectFault({ kind: 'status', status: 422, match: { method: 'GET', path: '/host-connections' } });
    h.sites.api.injectFault({ kind: 'latency', delayMs: 200, match: { method: 'GET', pathPrefix: '/host-connections/' } });

    const page = await h.browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.route(LONG_LIST, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: longList(first, deep) }));
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
    await page.goto(LONG_LIST);
    await expect.poll(async () => badgeProblems(data, await idsInView(page), await readBadges(page)), { timeout: 30_000 }).toEqual([]);

    const askedBefore = new Set(h.sites.api.requests.map((r) => r.path.split('/').pop()));
    const scrolledAt = await page.locator('tr').nth(DEEP_FROM + 20).evaluate((row) => {
      row.scrollIntoView({ block: 'center' });
      return Date.now();
    });
    const inView = await idsInView(page);
    expect(inView.length).toBeGreaterThan(20);
    // None of them had been asked of the API: they waited behind the rows above.
    expect(inView.filter((id) => askedBefore.has(id))).toEqual([]);
    await expect.poll(async () => badgeProblems(data, inView, await readBadges(page)), { timeout: 20_000, interval: 100 }).toEqual([]);

    const knownInView = inView.filter((id) => expectedStatus(data, id));
    const drawn = await page.evaluate(() => (window as unknown as { badgeDrawn: Record<string, number> }).badgeDrawn);
    const badged = Math.max(...knownInView.map((id) => drawn[id]!)) - scrolledAt;
    const firstBadged = Math.min(...knownInView.map((id) => drawn[id]!)) - scrolledAt;
    const calledAt = (id: string) => h.sites.api.requests.find((r) => r.path.endsWith(`/${id}`))!.time;
    const lastOfView = Math.max(...inView.map(calledAt));
    // Between the scroll and the last of the view's calls, the calls that went to other IDs: those
    // in flight, and those started before the view's lookup reached the background.
    const others = h.sites.api.requests.filter((r) => r.time >= scrolledAt && r.time <= lastOfView && !inView.includes(r.path.split('/').pop()!));
    const waiting = first.filter((id) => !h.sites.api.requests.some((r) => r.time <= lastOfView && r.path.endsWith(`/${id}`))).length;
    console.info(
      `[figure] a scroll to row 5,000 of a list answered one call per ID: its ${inView.length} IDs asked of the API within ${((lastOfView - scrolledAt) / 1000).toFixed(1)} s, ` +
        `the first badge in ${(firstBadged / 1000).toFixed(1)} s, all ${knownInView.length} in ${(badged / 1000).toFixed(1)} s, ` +
        `${others.length} calls for other IDs meanwhile, ${waiting} IDs of the rows above still waiting`,
    );
    expect(knownInView.length).toBeGreaterThan(10);
    // The view went ahead of the IDs queued before it: when its last call went, many of the rows
    // above were still waiting (none, in document order), and the calls for others meanwhile were
    // those in flight and the few rounds before its lookup reached the background.
    expect(waiting).toBeGreaterThan(20);
    expect(others.length).toBeLessThanOrEqual(40);
    await page.close();
  });
});
