import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBadges } from './harness/badges';
import { browserCommands, browserMenuItems, clickMenuItem, profilePath, runCommand, selectText, windowType } from './harness/context-menu';
import { screenshot, startConfiguredHarness, type Harness } from './harness/fixture';
import { watchPageErrors } from './harness/page-errors';

const MENU_ID = 'mca-lookup';
const COMPANIES = 'https://app.hubspot.com/contacts/4411/objects/0-2/views/all/list';

describe('"Look up in MyCreditApp" in the context menu, and the keyboard command', () => {
  let h: Harness;
  let companies: Page;

  /** The connection the mock API holds for an org, and the status its card shows. */
  const connectionOf = (id: string) => {
    const connection = h.sites.api.connections.find((c) => c.host_organization_id === id);
    if (!connection) throw new Error(`No connection for ${id} in the mock API`);
    return { name: connection.host_name, status: connection.archived ? 'archived' : connection.status };
  };

  /** A row of the companies table whose organization has the given card status. */
  const rowWith = async (status: string) => {
    const ids = await companies.locator('td.org-id').allInnerTexts();
    const id = ids.map((text) => text.trim()).find((candidate) => h.sites.api.connections.some((c) => c.host_organization_id === candidate && connectionOf(candidate).status === status));
    if (!id) throw new Error(`No ${status} organization on the first page of companies`);
    return { id, row: companies.locator('tbody tr').filter({ has: companies.locator('td.org-id', { hasText: id }) }) };
  };

  beforeAll(async () => {
    h = await startConfiguredHarness();
    companies = await h.browser.context.newPage();
    await companies.goto(COMPANIES);
    await companies.locator('td.org-id').first().waitFor();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is registered with the browser once, titled "Look up in MyCreditApp", for selections and links', async () => {
    const profile = await profilePath(h.browser);
    await expect.poll(() => browserMenuItems(profile, h.browser.extensionId)).toEqual([{ id: MENU_ID, title: 'Look up in MyCreditApp', contexts: ['selection', 'link'] }]);
  });

  it('on selected text: opens a lookup window for the ID in it, with its connection from the API', async () => {
    const { id, row } = await rowWith('connected');
    const selectionText = await selectText(row);
    expect(selectionText).toContain(id);
    expect(selectionText.trim()).not.toBe(id);

    const lookup = await clickMenuItem(h.browser, companies, MENU_ID, { selectionText });
    const errors = watchPageErrors(lookup);
    expect(new URL(lookup.url()).pathname).toBe('/popup.html');
    // Only the ID travels from the page's text into the window.
    expect(new URL(lookup.url()).hash).toBe(`#lookup=${id}`);
    expect(await windowType(h.browser, lookup)).toBe('popup');
    const card = lookup.locator('article.mca-card[data-status="connected"]');
    await card.waitFor();
    expect(await card.innerText()).toContain(connectionOf(id).name);
    await screenshot(lookup, 'context-menu-selection');
    expect(errors).toEqual([]);
    await lookup.close();
  });

  it('on a link to a record: opens the lookup window for the ID in the link', async () => {
    const { id, row } = await rowWith('disconnected');
    const linkUrl = await row.getByRole('link').evaluate((a) => (a as HTMLAnchorElement).href);
    expect(linkUrl).toContain(`/company/${id}`);

    const lookup = await clickMenuItem(h.browser, companies, MENU_ID, { linkUrl });
    expect(new URL(lookup.url()).hash).toBe(`#lookup=${id}`);
    const card = lookup.locator('article.mca-card[data-status="disconnected"]');
    await card.waitFor();
    expect(await card.innerText()).toContain(connectionOf(id).name);
    await lookup.close();
  });

  it('on text without an ID: the window says that none was found', async () => {
    const selectionText = await selectText(companies.getByRole('heading', { name: 'Companies' }));
    expect(selectionText.trim()).toBe('Companies');
    const lookup = await clickMenuItem(h.browser, companies, MENU_ID, { selectionText });
    await lookup.getByText('No organization ID found. An ID looks like 3f2504e0-4f89-11d3-9a0c-0305e82c3301.').waitFor();
    expect(await lookup.locator('article.mca-card').count()).toBe(0);
    await lookup.close();
  });

  it('the keyboard command Alt+Shift+K switches the badges of the active tab off and on again', async () => {
    expect(await browserCommands(h.browser)).toContainEqual({ name: 'toggle-badges', shortcut: 'Alt+Shift+K' });
    await expect.poll(async () => (await readBadges(companies)).length).toBeGreaterThan(5);
    await runCommand(h.browser, companies, 'toggle-badges');
    await expect.poll(async () => (await readBadges(companies)).length).toBe(0);
    await runCommand(h.browser, companies, 'toggle-badges');
    await expect.poll(async () => (await readBadges(companies)).length).toBeGreaterThan(5);
  });
});
