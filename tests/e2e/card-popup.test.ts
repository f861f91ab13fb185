import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeProblems } from './harness/axe';
import { readBadges, readRows } from './harness/badges';
import { cardHasFocus, cardShown, openCardByHover, shownCardId } from './harness/card';
import { checkCardFromInsideRows } from './harness/card-inside-app';
import { openPopupFor } from './harness/extension-pages';
import { expectedStatus } from './harness/expectations';
import { screenshot, startHarness, type Harness } from './harness/fixture';
import { configureThroughOptions } from './harness/options-page';
import { watchPageErrors } from './harness/page-errors';

const COMPANIES = 'https://app.hubspot.com/contacts/4411/objects/0-2/views/all/list';

/**
 * Everything a page script can reach: the DOM with open shadow roots and same-origin frames,
 * every attribute, web storage, cookies, and the values of window's own properties.
 */
async function pageReachableText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts: string[] = [document.cookie, JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage })];
    const visit = (root: Document | ShadowRoot) => {
      for (const element of root.querySelectorAll('*')) {
        parts.push(element.textContent ?? '');
        for (const attribute of element.attributes) parts.push(attribute.value);
        if (element.shadowRoot) visit(element.shadowRoot);
        if (element instanceof HTMLIFrameElement) {
          try {
            if (element.contentDocument) visit(element.contentDocument);
          } catch {
            // Cross-origin: out of the page's reach, which is the point.
          }
        }
      }
    };
    visit(document);
    for (const key of Object.getOwnPropertyNames(window)) {
      try {
        const value = (window as unknown as Record<string, unknown>)[key];
        if (typeof value === 'string') parts.push(value);
        else if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) parts.push(JSON.stringify(value));
      } catch {
        // Some getters throw; they hold nothing of ours.
      }
    }
    return parts.join('\n');
  });
}

describe('the card, the popup, and what the page can see', () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await startHarness();
    token = h.sites.api.mintToken();
    const options = await configureThroughOptions(h.browser, { auth: { token }, requesterOrgId: h.sites.api.requesterOrgId });
    expect(await axeProblems(options)).toEqual([]);
    await options.close();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("opens a card with the connection's details on hover, out of the page's reach", async () => {
    const page = await h.browser.context.newPage();
    const errors = watchPageErrors(page);
    await page.goto(COMPANIES);
    const org = h.sites.api.connections.find((c) => c.status === 'connected' && !c.archived && /^[\w ]+$/.test(c.host_name))!;
    await page.getByRole('button', { name: /Company name/ }).waitFor();
    // The org must be on the first page: look it up among the IDs shown.
    const shownIds = await page.locator('td.org-id').evaluateAll((cells) => cells.map((c) => c.firstChild?.textContent?.trim()));
    const target = h.sites.api.connections.find((c) => shownIds.includes(c.host_organization_id) && c.status === 'connected' && !c.archived) ?? org;
    await expect.poll(async () => (await readBadges(page)).some((r) => r.id === target.host_organization_id && r.status === 'connected')).toBe(true);

    const card = await openCardByHover(page, target.host_organization_id);
    const text = await card.locator('article.mca-card').innerText();
    expect(text).toContain(target.host_name);
    expect(text).toContain(target.owner_email);
    expect(await card.locator('article.mca-card').getAttribute('data-status')).toBe('connected');
    await screenshot(page, 'hubspot-card');

    const reachable = await pageReachableText(page);
    expect(reachable).not.toContain(target.owner_email);
    expect(reachable).not.toContain(token);
    expect(reachable).not.toContain(token.split('.')[2]!);
    expect(await page.evaluate(() => document.querySelector('[data-mca-card]')?.shadowRoot ?? null)).toBeNull();

    const cardShown = () => page.locator('[data-mca-card]').first().isVisible().catch(() => false);
    await page.mouse.move(0, 0);
    await expect.poll(cardShown).toBe(false);

    // Keyboard: Tab from the company link reaches its badge; Enter opens, Escape closes and
    // gives focus back to the badge.
    await page.getByRole('link', { name: target.host_name, exact: true }).focus();
    await page.keyboard.press('Tab');
    const focusedId = () => page.evaluate(() => document.activeElement?.getAttribute('data-mca-org-id'));
    expect(await focusedId()).toBe(target.host_organization_id);
    await page.keyboard.press('Enter');
    await expect.poll(cardShown).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(cardShown).toBe(false);
    expect(await focusedId()).toBe(target.host_organization_id);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('in the React app, the pointer and Tab from the company link open the card; it switches, closes, and Escape closes it', async () => {
    const page = await h.browser.context.newPage();
    const errors = watchPageErrors(page);
    await page.goto(COMPANIES);
    const rows = () => readRows(page, 'data-key');
    await expect.poll(async () => (await rows()).filter((r) => r.badges.length).length).toBeGreaterThan(3);
    await checkCardFromInsideRows(page, await rows(), 'data-key');
    expect(errors).toEqual([]);
    await page.close();
  });

  it("in a page's closed shadow root: a click pins the card without following the link around the badge, a second closes it; Enter and Escape work there", async () => {
    const id = h.sites.data.connected[6]!.id;
    const page = await h.browser.context.newPage();
    const errors = watchPageErrors(page);
    await page.goto('https://app.hubspot.com/contacts/4411/notes');
    // A native component's closed root: only the page's own script keeps it (the test reads through it).
    await page.evaluate((id) => {
      const host = document.createElement('x-closed-record');
      const root = host.attachShadow({ mode: 'closed' });
      const link = document.createElement('a');
      link.href = '#followed';
      const shown = document.createElement('span');
      shown.textContent = id;
      link.append('Account ', shown);
      const next = document.createElement('button');
      next.textContent = 'Next';
      root.append(link, ' ', next);
      document.body.prepend(host);
      (window as unknown as { closedRoots: ShadowRoot[] }).closedRoots = [root];
    }, id);
    const inRoot = (selector: string) =>
      page.evaluate((selector) => {
        const element = (window as unknown as { closedRoots: ShadowRoot[] }).closedRoots[0]!.querySelector(selector);
        if (!element) return null;
        const { x, y, width, height } = element.getBoundingClientRect();
        return { x: x + width / 2, y: y + height / 2 };
      }, selector);
    await expect.poll(() => inRoot('[data-mca-org-id]')).not.toBeNull();
    const next = (await inRoot('button'))!;
    const badge = (await inRoot('[data-mca-org-id]'))!;
    const hash = () => page.evaluate(() => location.hash);
    const focusedInRoot = () =>
      page.evaluate(() => (window as unknown as { closedRoots: ShadowRoot[] }).closedRoots[0]!.activeElement?.getAttribute('data-mca-org-id') ?? null);

    await page.mouse.move(next.x, next.y);
    await page.mouse.click(badge.x, badge.y);
    await expect.poll(() => shownCardId(page)).toBe(id);
    expect(await hash()).toBe('');
    await page.mouse.click(badge.x, badge.y);
    await expect.poll(() => cardShown(page)).toBe(false);
    expect(await hash()).toBe('');

    await page.mouse.move(next.x, next.y);
    await page.evaluate(() => ((window as unknown as { closedRoots: ShadowRoot[] }).closedRoots[0]!.querySelector('a') as HTMLElement).focus());
    await page.keyboard.press('Tab');
    await expect.poll(() => shownCardId(page)).toBe(id);
    await page.keyboard.press('Enter');
    await expect.poll(() => cardHasFocus(page), { message: 'Enter moves focus into the card' }).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => cardShown(page)).toBe(false);
    await expect.poll(focusedInRoot).toBe(id);
    expect(await hash()).toBe('');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the card page passes axe', async () => {
    const id = h.sites.data.connected[0]!.id;
    const page = await h.browser.context.newPage();
    await page.goto(h.browser.extensionUrl(`card.html#${id}`));
    await page.locator('article.mca-card:not([data-status="loading"])').waitFor();
    expect(await axeProblems(page)).toEqual([]);
    await page.close();
  });

  it('the popup lists the IDs on the page, looks up a pasted link, and passes axe', async () => {
    const page = await h.browser.context.newPage();
    await page.goto(COMPANIES);
    await expect.poll(async () => (await readBadges(page)).length).toBeGreaterThan(5);
    const popup = await openPopupFor(h.browser, page);
    const errors = watchPageErrors(popup);
    await popup.getByRole('heading', { name: 'On this page' }).waitFor();
    const known = h.sites.data.connected.find((o) => o.name === 'Acme Corp') ?? h.sites.data.connected[0]!;
    await expect.poll(() => popup.getByRole('button', { name: new RegExp(known.id) }).count()).toBeGreaterThan(0);

    const other = h.sites.data.disconnected[3]!;
    await popup.getByLabel('Organization ID').fill(`https://app.hubspot.com/contacts/4411/company/${other.id}`);
    await popup.getByRole('button', { name: 'Look up' }).click();
    await popup.locator('article.mca-card[data-status="disconnected"]').waitFor();
    expect(await popup.locator('article.mca-card').innerText()).toContain(other.name);
    await screenshot(popup, 'popup');
    expect(await axeProblems(popup)).toEqual([]);
    expect(errors).toEqual([]);
    await popup.close();
    await page.close();
  });

  it('the popup lists IDs without a badge while their rows show, scrolls to one, and drops them with their rows', async () => {
    const page = await h.browser.context.newPage();
    // Short, so the table scrolls: most of it is out of view.
    await page.setViewportSize({ width: 1280, height: 360 });
    await page.goto(COMPANIES);
    await expect.poll(async () => (await readBadges(page)).length).toBeGreaterThan(5);
    const tableIds = () =>
      page.locator('table[aria-label="Companies"] td.org-id').evaluateAll((cells) => cells.map((c) => c.firstChild?.textContent?.trim() ?? ''));
    const unknownInTable = async () => (await tableIds()).filter((id) => id && !expectedStatus(h.sites.data, id));
    // The first page holds known organizations only: page on to one with IDs the API does not know.
    let leaving: string[] = [];
    for (let n = 2; leaving.length < 2 && n < 10; n++) {
      await page.getByRole('button', { name: 'Next page' }).click();
      await page.getByText(`Page ${n} of`).waitFor();
      leaving = await unknownInTable();
    }
    expect(leaving.length).toBeGreaterThan(1);
    const popup = await openPopupFor(h.browser, page);
    /** Which of `ids` the popup lists, read afresh (the page reports its IDs a moment after a change). */
    const listedOf = async (ids: string[]) => {
      await popup.reload();
      await popup.locator('section[aria-labelledby="page-heading"] :is(.id-list, .hint)').first().waitFor();
      const text = await popup.locator('section[aria-labelledby="page-heading"]').innerText();
      return ids.filter((id) => text.includes(id));
    };
    await expect.poll(() => listedOf(leaving)).toEqual(leaving);

    const last = leaving.at(-1)!;
    await popup.getByRole('button', { name: new RegExp(last) }).click();
    const inView = () =>
      page.evaluate((id) => {
        const cell = [...document.querySelectorAll('td.org-id')].find((c) => c.textContent?.includes(id));
        const box = cell?.getBoundingClientRect();
        return !!box && box.top >= 0 && box.bottom <= innerHeight;
      }, last);
    await expect.poll(inView).toBe(true);

    // Paging re-renders the same table: the rows of that page leave, those of the next one come.
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(async () => (await unknownInTable()).some((id) => leaving.includes(id))).toBe(false);
    const coming = await unknownInTable();
    expect(coming.length).toBeGreaterThan(0);
    const gone: string[] = [];
    for (const id of leaving) if (!(await page.evaluate((id) => document.body.textContent!.includes(id), id))) gone.push(id);
    expect(gone.length).toBeGreaterThan(0);
    await expect.poll(async () => ({ gone: await listedOf(gone), coming: await listedOf(coming) }), { timeout: 15_000 }).toEqual({
      gone: [],
      coming,
    });
    await popup.close();
    await page.close();
  });

  it('the popup switches badges off for the site and back on', async () => {
    const page = await h.browser.context.newPage();
    await page.goto(COMPANIES);
    await expect.poll(async () => (await readBadges(page)).length).toBeGreaterThan(5);
    let popup = await openPopupFor(h.browser, page);
    const toggle = () => popup.getByRole('switch', { name: 'Show badges on this site' });
    await expect.poll(() => toggle().isChecked()).toBe(true);
    await toggle().uncheck();
    await expect.poll(async () => (await readBadges(page)).length).toBe(0);
    await popup.close();

    // Still off after a reload, until switched on again.
    await page.reload();
    await page.getByRole('table', { name: 'Companies' }).waitFor();
    popup = await openPopupFor(h.browser, page);
    await expect.poll(() => toggle().isChecked()).toBe(false);
    expect((await readBadges(page)).length).toBe(0);
    await toggle().check();
    await expect.poll(async () => (await readBadges(page)).length).toBeGreaterThan(5);
    await popup.close();
    await page.close();
  });

  it('the popup lookup names an unknown ID as not connected and text without an ID as such', async () => {
    const popup = await h.browser.context.newPage();
    const errors = watchPageErrors(popup);
    await popup.goto(h.browser.extensionUrl('popup.html'));
    const field = popup.getByLabel('Organization ID');
    const unknown = h.sites.data.notConnected[0]!;
    await field.fill(`urn:uuid:${unknown.toUpperCase()}`);
    await popup.getByRole('button', { name: 'Look up' }).click();
    await popup.locator('article.mca-card[data-status="not_connected"]').waitFor();
    expect(await popup.locator('article.mca-card').innerText()).toContain('This organization has no connection with your MyCreditApp account.');

    await field.fill('3f2504e0-4f89-11d3-9a0c-0305e82c330');
    await field.press('Enter');
    await popup.getByText('No organization ID found. An ID looks like 3f2504e0-4f89-11d3-9a0c-0305e82c3301.').waitFor();
    expect(await popup.locator('article.mca-card').count()).toBe(0);
    expect(await field.inputValue()).toBe('3f2504e0-4f89-11d3-9a0c-0305e82c330');
    expect(errors).toEqual([]);
    await popup.close();
  });
});
