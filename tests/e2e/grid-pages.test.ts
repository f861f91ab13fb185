import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyRows } from '../../demo-sites/shared/demo-data';
import { readBadges, readRows } from './harness/badges';
import { checkCardFromInsideRows } from './harness/card-inside-app';
import { settledRowProblems, unknownBadges } from './harness/expectations';
import { screenshot, startConfiguredHarness, type Harness } from './harness/fixture';
import { watchPageErrors } from './harness/page-errors';

/**
 * A grid page in a new tab, once its first rows show: each row one badge per known organization,
 * none for unknown IDs, and none after the "Open in MyCreditApp" link of a row that shows its ID.
 */
async function openGrid(h: Harness, url: string, rowAttribute: string, shot: string) {
  const { data } = h.sites;
  const page = await h.browser.context.newPage();
  const errors = watchPageErrors(page);
  await page.goto(url);
  const rows = () => readRows(page, rowAttribute);
  const problems = () => settledRowProblems(data, rows);
  await expect.poll(async () => (await rows()).length).toBeGreaterThan(10);
  await expect.poll(problems()).toEqual([]);
  expect(unknownBadges(data, await readBadges(page))).toEqual([]);
  expect(await page.locator(`[${rowAttribute}] a[href*="mycreditapp"] + [data-mca-org-id]`).count()).toBe(0);
  await screenshot(page, shot);
  return { data, page, errors, rows, problems };
}

/** Badges outside every row: left behind by a row the grid took away or reused. */
async function strayBadges(page: Page, rowAttribute: string): Promise<number> {
  const inRows = (await readRows(page, rowAttribute)).reduce((n, row) => n + row.badges.length, 0);
  return (await readBadges(page)).length - inRows;
}

// The grids CRMs are built with, from npm: Fluent UI's DetailsList (Dynamics 365) and AG Grid. Both
// virtualize their rows and reuse row elements for other records as they scroll and sort: every
// rendered row shows one badge per known organization, and nothing is left where a row went.
describe('CRM grids: Fluent UI DetailsList and AG Grid', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startConfiguredHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('Fluent UI DetailsList (Dynamics 365): one badge per row through virtual scrolling, a sort and a column resize', async () => {
    const ROW = 'data-item-index';
    const url = 'https://contoso.crm4.dynamics.com/main.aspx?pagetype=entitylist&etn=account';
    const { data, page, errors, rows, problems } = await openGrid(h, url, ROW, 'dynamics-fluent');

    // Virtualization: the list renders the rows near the viewport, and drops those far above.
    const grid = page.locator('.grid');
    await grid.evaluate((element) => (element.scrollTop = element.scrollHeight));
    await expect.poll(async () => Math.max(...(await rows()).map((r) => Number(r.key)))).toBeGreaterThan(150);
    await expect.poll(problems()).toEqual([]);
    await expect.poll(() => strayBadges(page, ROW)).toBe(0);
    await grid.evaluate((element) => (element.scrollTop = 0));

    // Sorting by ID gives the row elements other records; the lowest ID comes first.
    const lowest = companyRows(data).map((row) => row.orgId).sort()[0];
    await page.getByRole('columnheader', { name: 'MyCreditApp org ID' }).click();
    await expect.poll(async () => (await rows()).find((r) => r.key === '0')?.shown[0]).toBe(lowest);
    await expect.poll(problems()).toEqual([]);
    await expect.poll(() => strayBadges(page, ROW)).toBe(0);

    // Resizing a column: Fluent re-renders every row at the new width.
    const header = page.locator('[role="columnheader"][data-item-key="orgId"]');
    const width = async () => (await header.boundingBox())!.width;
    const before = await width();
    const sizer = (await header.boundingBox())!;
    await page.mouse.move(sizer.x + sizer.width - 1, sizer.y + sizer.height / 2);
    await page.mouse.down();
    await page.mouse.move(sizer.x + sizer.width + 80, sizer.y + sizer.height / 2, { steps: 4 });
    await page.mouse.up();
    await expect.poll(width).toBeGreaterThan(before + 40);
    await expect.poll(problems()).toEqual([]);

    await checkCardFromInsideRows(page, await rows(), ROW);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('AG Grid (Attio): one badge per row through virtual scrolling, a sort, a quick filter and a cell changed in place', async () => {
    const ROW = 'row-id';
    const { data, page, errors, rows, problems } = await openGrid(h, 'https://app.attio.com/acme/objects/companies', ROW, 'attio-ag-grid');

    const viewport = page.locator('.ag-grid-viewport');
    await viewport.evaluate((element) => (element.scrollTop = element.scrollHeight));
    await expect.poll(async () => (await rows()).some((r) => r.shown.includes(data.notConnected[39]!))).toBe(true);
    await expect.poll(problems()).toEqual([]);
    await expect.poll(() => strayBadges(page, ROW)).toBe(0);
    await viewport.evaluate((element) => (element.scrollTop = 0));

    // A quick filter: the rows that no longer match go, with their badges.
    const kept = data.connected[1]!;
    await page.getByRole('textbox', { name: 'Search companies' }).fill(kept.name);
    // Rows are keyed by their organization.
    await expect.poll(async () => (await rows()).map((r) => r.key)).toEqual([kept.id]);
    await expect.poll(async () => (await readBadges(page)).map((b) => b.id)).toEqual([kept.id]);
    await page.getByRole('textbox', { name: 'Search companies' }).fill('');
    await expect.poll(async () => (await rows()).length).toBeGreaterThan(10);

    // The grid rewrites the first row's cells in place: its new organization gets the only badge.
    const replacement = data.disconnected[20]!.id;
    const firstKey = companyRows(data)[0]!.key;
    await page.getByRole('button', { name: 'Edit first company' }).click();
    await expect.poll(async () => (await rows()).find((r) => r.key === firstKey)?.badges.map((b) => [b.id, b.status])).toEqual([
      [replacement, 'disconnected'],
    ]);
    await expect.poll(problems()).toEqual([]);
    await expect.poll(() => strayBadges(page, ROW)).toBe(0);

    // A sort moves the rows; the lowest ID comes into view at the top.
    await page.getByRole('columnheader', { name: 'MyCreditApp org ID' }).click();
    const lowest = [...companyRows(data).slice(1).map((row) => row.orgId), replacement].sort()[0]!;
    await expect.poll(async () => (await rows()).some((r) => r.shown.includes(lowest))).toBe(true);
    await expect.poll(problems()).toEqual([]);
    await expect.poll(() => strayBadges(page, ROW)).toBe(0);

    // AG Grid moves focus from cell to cell itself: Tab from the company link lands on the ID's cell.
    await checkCardFromInsideRows(page, await rows(), ROW);
    expect(errors).toEqual([]);
    await page.close();
  });
});
