import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness/fixture';
import { watchPageErrors } from './harness/page-errors';

// The demo CRM pages themselves, with the extension loaded: each renders its framework's view,
// reached under its real host name, and nothing on it throws.
describe('demo CRM pages', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('HubSpot-like React app: table, sort, paging, pushState views', async () => {
    const page = await h.browser.context.newPage();
    const errors = watchPageErrors(page);
    await page.goto('https://app.hubspot.com/contacts/4411/objects/0-2/views/all/list');
    const table = page.getByRole('table', { name: 'Companies' });
    await expect.poll(() => table.getByRole('row').count()).toBe(21);
    const firstName = () => table.getByRole('row').nth(1).getByRole('cell').first().textContent();
    const before = await firstName();
    await page.getByRole('button', { name: /Company name/ }).click();
    await expect.poll(firstName).not.toBe(before);
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => page.getByText('Page 2 of').count()).toBe(1);
    await page.getByRole('link', { name: 'Notes' }).click();
    await expect.poll(() => page.url()).toMatch(/\/notes$/);
    await expect.poll(() => page.getByRole('textbox', { name: 'New note' }).count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Salesforce-like Lit page renders into shadow roots and frames a cross-origin Visualforce page', async () => {
    const page = await h.browser.context.newPage();
    const errors = watchPageErrors(page);
    const record = h.sites.data.connected[0]!;
    await page.goto(`https://acme.lightning.force.com/lightning/r/Account/${record.id}/view`);
    await expect.poll(() => page.getByRole('heading', { name: record.name }).count()).toBe(1);
    expect(await page.evaluate(() => document.body.innerText.includes('MyCreditApp org ID'))).toBe(false);
    const frame = page.frameLocator('iframe[title="Credit panel (Visualforce)"]');
    await expect.poll(() => frame.getByText(h.sites.data.disconnected[1]!.id).count()).toBe(1);
    expect(page.frames().some((f) => f.url().startsWith('https://acme--c.visualforce.com/apex/'))).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Dynamics-like grid and the 10,000-row list render', async () => {
    const page = await h.browser.context.newPage();
    const errors = watchPageErrors(page);
    await page.goto('https://acme.crm.dynamics.com/main.aspx?pagetype=entitylist&etn=account');
    await expect.poll(() => page.locator('[data-id="cell-mca_orgid"]').count()).toBe(30);
    await page.goto('https://app.hubspot.com/large-list');
    await expect.poll(() => page.locator('td.id').count(), { timeout: 20_000 }).toBe(10_000);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Lightning Web Components (synthetic and native shadow), Fluent UI DetailsList and AG Grid pages render', async () => {
    const page = await h.browser.context.newPage();
    const errors = watchPageErrors(page);
    for (const host of ['acme.lightning.force.com', 'globex.lightning.force.com']) {
      await page.goto(`https://${host}/lightning/o/Account/list`);
      // Locators pierce native shadow roots; synthetic shadow keeps everything in the page's tree.
      await expect.poll(() => page.locator('table[aria-label="Accounts"] tbody tr').count()).toBe(12);
      await expect.poll(() => page.getByRole('heading', { name: 'Recently viewed' }).count()).toBe(1);
    }
    await page.goto('https://contoso.crm4.dynamics.com/main.aspx?pagetype=entitylist&etn=account');
    await expect.poll(() => page.locator('[role="row"][data-item-index]').count()).toBeGreaterThan(10);
    await page.goto('https://app.attio.com/acme/objects/companies');
    await expect.poll(() => page.locator('.ag-row[row-id]').count()).toBeGreaterThan(10);
    expect(errors).toEqual([]);
    await page.close();
  });
});
