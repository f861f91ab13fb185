import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyRows } from '../../demo-sites/shared/demo-data';
import { settledRowProblems } from '../e2e/harness/expectations';
import { configureThroughOptions, startFirefoxHarness, type FirefoxHarness } from './harness/fixture';
import { checkCardFromInsideRows } from './harness/in-app';
import { readRows } from './harness/page-rows';
import { WebTab } from './harness/web-tab';

const LIST = '/lightning/o/Account/list';

/** A button of the app by its text, through open shadow roots. */
function button(page: WebTab, name: string) {
  return page.locate((name) => {
    const find = (root: ParentNode): Element | null => {
      for (const element of root.querySelectorAll('*')) {
        if (element.localName === 'button' && element.textContent?.trim() === name) return element;
        const inside = element.shadowRoot && find(element.shadowRoot);
        if (inside) return inside;
      }
      return null;
    };
    return find(document);
  }, name);
}

/**
 * A page in a new tab, once `count` rows (elements with `rowAttribute`) show: each row one badge
 * per known organization with its status, none for unknown IDs or record GUIDs, settled.
 */
async function openRows(h: FirefoxHarness, url: string, rowAttribute: string, count: (n: number) => boolean) {
  const page = await WebTab.open(h.firefox.bidi, url);
  const rows = async () => (await readRows(page, rowAttribute)).rows;
  const problems = () => settledRowProblems(h.sites.data, rows);
  await expect.poll(async () => count((await rows()).length)).toBe(true);
  await expect.poll(problems()).toEqual([]);
  /** Badges outside every row: left where a row went, or drawn where nothing known is shown. */
  const elsewhere = async () => (await readRows(page, rowAttribute)).elsewhere.map((b) => `${b.id} ${b.status}`);
  return { page, rows, problems, elsewhere };
}

// The UI frameworks the CRMs are built with, from npm, in Firefox: the content script sees each
// page through X-ray wrappers, not through the page's own patches of the DOM (LWC's synthetic
// shadow), and reaches native shadow roots on its own.
describe('Firefox: Lightning Web Components, Fluent UI and AG Grid pages', () => {
  let h: FirefoxHarness;
  beforeAll(async () => {
    h = await startFirefoxHarness();
    await (await configureThroughOptions(h)).close();
  });
  afterAll(async () => {
    await h?.close();
  });

  for (const { mode, host } of [
    { mode: 'synthetic shadow', host: 'acme.lightning.force.com' },
    { mode: 'native shadow', host: 'globex.lightning.force.com' },
  ]) {
    it(`LWC, ${mode}: one badge per row through a keyed re-sort and an edit in place; the card from inside the app`, async () => {
      const { data } = h.sites;
      const { page, rows, problems, elsewhere } = await openRows(h, `https://${host}${LIST}`, 'data-key', (n) => n === 16);
      // Outside the rows, only the parent account's link, alone on its line, has a badge.
      expect(await elsewhere()).toEqual([`${data.connected[20]!.id} connected`]);

      const tableKeys = async () => (await rows()).slice(0, 12).map((r) => r.key);
      const before = await tableKeys();
      await page.click(await button(page, 'Sort by name, Z to A'));
      await expect.poll(tableKeys).toEqual([...before].reverse());
      await expect.poll(problems()).toEqual([]);

      const first = (await tableKeys())[0]!;
      const replacement = data.disconnected[20]!.id;
      await page.click(await button(page, 'Edit first account'));
      await expect.poll(async () => (await rows()).find((r) => r.key === first)?.badges.map((b) => `${b.id} ${b.status}`)).toEqual([
        `${replacement} disconnected`,
      ]);
      await expect.poll(problems()).toEqual([]);
      expect(await elsewhere()).toEqual([`${data.connected[20]!.id} connected`]);

      await checkCardFromInsideRows(page, await rows(), 'data-key');
      expect(page.errors).toEqual([]);
      await page.close();
    });
  }

  it('Fluent UI DetailsList (Dynamics 365): one badge per row through virtual scrolling and a sort; the card from inside the grid', async () => {
    const { data } = h.sites;
    const ROW = 'data-item-index';
    const url = 'https://contoso.crm4.dynamics.com/main.aspx?pagetype=entitylist&etn=account';
    const { page, rows, problems, elsewhere } = await openRows(h, url, ROW, (n) => n > 10);
    expect(await elsewhere()).toEqual([]);

    await page.evaluate(() => {
      const grid = document.querySelector('.grid')!;
      grid.scrollTop = grid.scrollHeight;
    });
    await expect.poll(async () => Math.max(...(await rows()).map((r) => Number(r.key)))).toBeGreaterThan(150);
    await expect.poll(problems()).toEqual([]);
    await expect.poll(elsewhere).toEqual([]);
    await page.evaluate(() => (document.querySelector('.grid')!.scrollTop = 0));

    const lowest = companyRows(data).map((row) => row.orgId).sort()[0];
    await page.click(await page.locate(() => document.querySelector('[role="columnheader"][data-item-key="orgId"] [role="button"], [role="columnheader"][data-item-key="orgId"]')));
    await expect.poll(async () => (await rows()).find((r) => r.key === '0')?.shown[0]).toBe(lowest);
    await expect.poll(problems()).toEqual([]);
    await expect.poll(elsewhere).toEqual([]);

    await checkCardFromInsideRows(page, await rows(), ROW);
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('AG Grid (Attio): one badge per row through a cell changed in place and a sort; the card from inside the grid', async () => {
    const { data } = h.sites;
    const ROW = 'row-id';
    const { page, rows, problems, elsewhere } = await openRows(h, 'https://app.attio.com/acme/objects/companies', ROW, (n) => n > 10);
    expect(await elsewhere()).toEqual([]);

    const replacement = data.disconnected[20]!.id;
    const firstKey = companyRows(data)[0]!.key;
    await page.click(await button(page, 'Edit first company'));
    await expect.poll(async () => (await rows()).find((r) => r.key === firstKey)?.badges.map((b) => `${b.id} ${b.status}`)).toEqual([
      `${replacement} disconnected`,
    ]);
    await expect.poll(problems()).toEqual([]);
    await expect.poll(elsewhere).toEqual([]);

    await page.click(await page.locate(() => document.querySelector('[role="columnheader"][col-id="orgId"]')));
    const lowest = [...companyRows(data).slice(1).map((row) => row.orgId), replacement].sort()[0]!;
    await expect.poll(async () => (await rows()).some((r) => r.shown.includes(lowest))).toBe(true);
    await expect.poll(problems()).toEqual([]);
    await expect.poll(elsewhere).toEqual([]);

    // AG Grid moves focus from cell to cell itself: Tab from the company link lands on the ID's cell.
    await checkCardFromInsideRows(page, await rows(), ROW);
    expect(page.errors).toEqual([]);
    await page.close();
  });
});
