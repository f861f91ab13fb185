import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyRows } from '../../demo-sites/shared/demo-data';
import { readBadges, readRows } from './harness/badges';
import { badgeProblems, expectedStatus, settledRowProblems } from './harness/expectations';
import { screenshot, startConfiguredHarness, type Harness } from './harness/fixture';
import { watchPageErrors } from './harness/page-errors';
import type { Page } from 'playwright-core';

const HUBSPOT = 'https://app.hubspot.com/contacts/4411';

async function idsIn(page: Page, selector: string, onlyInViewport = false): Promise<string[]> {
  return page.locator(selector).evaluateAll(
    (cells, onlyInViewport) =>
      cells
        .filter((c) => {
          const box = c.getBoundingClientRect();
          return !onlyInViewport || (box.bottom > 0 && box.top < innerHeight);
        })
        .map((c) => (c.firstChild?.textContent ?? '').trim()),
    onlyInViewport,
  );
}

describe('badges on the demo CRM pages', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startConfiguredHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  /**
   * The 10,000-row demo list in a new tab, once its first rows are badged. The page's own world
   * counts the badges each task puts in (`badgeBatches`).
   */
  async function openLargeList() {
    const page = await h.browser.context.newPage();
    const errors = watchPageErrors(page);
    await page.addInitScript(() => {
      const batches: number[] = ((window as unknown as { badgeBatches: number[] }).badgeBatches = []);
      new MutationObserver((records) => {
        const added = records.flatMap((r) => [...r.addedNodes]).filter((n) => n.nodeName === 'MCA-BADGE').length;
        if (added) batches.push(added);
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto('https://app.hubspot.com/large-list');
    await expect.poll(() => page.locator('td.id').count()).toBe(10_000);
    const firstRows = async () => (await idsIn(page, 'td.id')).slice(0, 20);
    await expect.poll(async () => badgeProblems(h.sites.data, await firstRows(), await readBadges(page)), { timeout: 30_000 }).toEqual([]);
    return { page, errors };
  }

  it('HubSpot (React): right status on every known ID, none on unknown ones, through sort, paging and infinite scroll', async () => {
    const page = await h.browser.context.newPage();
    // Tall enough for the whole table: rows outside the viewport are badged once they scroll in.
    await page.setViewportSize({ width: 1280, height: 1300 });
    const errors = watchPageErrors(page);
    await page.goto(`${HUBSPOT}/objects/0-2/views/all/list`);
    const tableIds = () => idsIn(page, 'table[aria-label="Companies"] td.org-id');
    await expect.poll(async () => (await tableIds()).length).toBe(20);
    await expect.poll(async () => badgeProblems(h.sites.data, await tableIds(), await readBadges(page))).toEqual([]);
    await screenshot(page, 'hubspot-companies');

    await page.getByRole('button', { name: /Company name/ }).click();
    await expect.poll(async () => badgeProblems(h.sites.data, await tableIds(), await readBadges(page))).toEqual([]);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2 of').waitFor();
    await expect.poll(async () => badgeProblems(h.sites.data, await tableIds(), await readBadges(page))).toEqual([]);
    // One badge per row, after the ID (not after the company link too); none left from rows that went.
    await expect.poll(settledRowProblems(h.sites.data, () => readRows(page, 'data-key'))).toEqual([]);
    expect(await page.locator('table[aria-label="Companies"] a + [data-mca-org-id]').count()).toBe(0);

    await page.locator('[data-feed-item="14"]').scrollIntoViewIfNeeded();
    await expect.poll(() => page.locator('[data-feed-item]').count()).toBeGreaterThan(15);
    await page.locator('[data-feed-item="20"]').scrollIntoViewIfNeeded();
    const newlyLoaded = async () => (await idsIn(page, '[data-feed-item] .org-id', true)).filter(Boolean);
    expect((await newlyLoaded()).length).toBeGreaterThan(3);
    await expect.poll(async () => badgeProblems(h.sites.data, await newlyLoaded(), await readBadges(page))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('HubSpot notes: no badge inside a textarea or a rich-text editor; saved notes get theirs; React keeps working', async () => {
    const page = await h.browser.context.newPage();
    const errors = watchPageErrors(page);
    const rows = companyRows(h.sites.data);
    const [inTextarea, inSavedNote, inEditor] = [rows[0]!.orgId, rows[1]!.orgId, rows[2]!.orgId];
    await page.goto(`${HUBSPOT}/notes`);
    await expect.poll(async () => (await readBadges(page)).map((r) => r.id)).toContain(inSavedNote);
    const ids = (await readBadges(page)).map((r) => r.id);
    expect(ids).not.toContain(inTextarea);
    expect(ids).not.toContain(inEditor);
    expect(await page.locator('textarea [data-mca-org-id], [contenteditable] [data-mca-org-id]').count()).toBe(0);

    // Typing in the editor after the page was badged: React must not trip over our nodes.
    await page.getByRole('textbox', { name: 'Rich text note' }).click();
    await page.keyboard.type(' Checked.');
    await page.getByRole('button', { name: 'Save note' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Saved notes' }).getByRole('listitem').count()).toBe(2);
    await expect.poll(async () => (await readBadges(page)).filter((r) => r.id === inTextarea).length).toBe(1);
    expect(await page.locator('textarea [data-mca-org-id], [contenteditable] [data-mca-org-id]').count()).toBe(0);

    // A pushState view change: the old view's badges go, the new view's come.
    await page.getByRole('link', { name: 'Companies' }).click();
    await expect.poll(async () => (await readBadges(page)).length).toBeGreaterThan(10);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Salesforce (Lit): IDs in shadow roots and in the cross-origin Visualforce frame; not the record GUID or unknown IDs', async () => {
    const page = await h.browser.context.newPage();
    const errors = watchPageErrors(page);
    const { data } = h.sites;
    const record = data.connected[0]!;
    await page.goto(`https://acme.lightning.force.com/lightning/r/Account/${record.id}/view`);
    const shown = [record.id, data.connected[1]!.id, data.disconnected[0]!.id, data.archived[0]!.id, data.notConnected[0]!, data.recordGuids[0]!];
    await expect.poll(async () => badgeProblems(data, shown, await readBadges(page))).toEqual([]);

    const frame = () => page.frames().find((f) => f.url().startsWith('https://acme--c.visualforce.com/'));
    await expect.poll(() => Boolean(frame())).toBe(true);
    const framed = [data.disconnected[1]!.id, data.connected[2]!.id];
    await expect.poll(async () => badgeProblems(data, framed, await readBadges(frame()!))).toEqual([]);
    await screenshot(page, 'salesforce-record');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Dynamics: record GUIDs stay bare; a site rule makes the ID column show "not connected" too', async () => {
    const page = await h.browser.context.newPage();
    await page.setViewportSize({ width: 1400, height: 1300 });
    const errors = watchPageErrors(page);
    const { data } = h.sites;
    await page.goto('https://acme.crm.dynamics.com/main.aspx?pagetype=entitylist&etn=account');
    const orgColumn = () => idsIn(page, '[data-id="cell-mca_orgid"]');
    await expect.poll(async () => (await orgColumn()).filter(Boolean).length).toBe(25);
    await expect.poll(async () => badgeProblems(data, [...(await orgColumn()).filter(Boolean), ...data.recordGuids.slice(0, 90)], await readBadges(page))).toEqual([]);

    const options = await h.browser.context.newPage();
    await options.goto(h.browser.extensionUrl('options.html'));
    await options.getByLabel('Rule site pattern').fill('https://acme.crm.dynamics.com/*');
    await options.getByRole('textbox', { name: 'CSS selector' }).fill('[data-id="cell-mca_orgid"]');
    await options.getByRole('button', { name: 'Add rule' }).click();
    await options.getByText('fields matching [data-id="cell-mca_orgid"]').waitFor();
    await options.close();

    await page.reload();
    const unknownInColumn = data.notConnected.slice(0, 10);
    await expect.poll(async () => {
      const readings = await readBadges(page);
      return unknownInColumn.map((id) => readings.find((r) => r.id === id)?.status);
    }).toEqual(unknownInColumn.map(() => 'not-connected'));
    const readings = await readBadges(page);
    expect(readings.filter((r) => data.recordGuids.includes(r.id))).toEqual([]);
    await screenshot(page, 'dynamics-grid');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a 10,000-row list: visible rows badged first, the rows below too, in few API calls', async () => {
    h.sites.api.clearRequests();
    const { page, errors } = await openLargeList();
    await page.locator('tr').last().scrollIntoViewIfNeeded();
    const lastRows = async () => (await idsIn(page, 'td.id')).slice(-20);
    await expect.poll(async () => badgeProblems(h.sites.data, await lastRows(), await readBadges(page)), { timeout: 30_000 }).toEqual([]);
    const apiCalls = h.sites.api.requests.filter((r) => r.path.startsWith('/v1-beta/host-connections'));
    // 10,000 rows, 290 distinct IDs: batched into list calls, not one call per ID.
    expect(apiCalls.length).toBeLessThan(100);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a 10,000-row list: the badges out of view go in together once the answers stop, and scrolling draws none', async () => {
    const { page, errors } = await openLargeList();
    const unbadgedKnownCells = () =>
      page
        .locator('td.id')
        .evaluateAll((cells) => cells.map((c) => ({ id: (c.firstChild?.textContent ?? '').trim(), badged: c.querySelector('[data-mca-org-id]') !== null })))
        .then((cells) => cells.filter((c) => !c.badged && expectedStatus(h.sites.data, c.id) !== undefined).map((c) => c.id));
    await expect.poll(unbadgedKnownCells, { timeout: 30_000 }).toEqual([]);
    const batches = () => page.evaluate(() => (window as unknown as { badgeBatches: number[] }).badgeBatches);
    const drawn = await batches();
    const total = drawn.reduce((sum, n) => sum + n, 0);
    // The rows in view come first, as their answers arrive; all the rest in one go.
    expect(total).toBeGreaterThan(200);
    expect(Math.max(...drawn)).toBeGreaterThan(total - 50);
    for (let step = 0; step < 30; step++) await page.evaluate(() => scrollBy(0, innerHeight));
    await page.waitForTimeout(1500);
    expect(await batches()).toEqual(drawn);
    // Each badge with a paint layer of its own (as `contain` gives it) made every hit test and
    // paint of the page go over all of them.
    expect(await page.locator('[data-mca-org-id]').first().evaluate((badge) => getComputedStyle(badge).contain)).toBe('none');
    expect(errors).toEqual([]);
    await page.close();
  });
});
