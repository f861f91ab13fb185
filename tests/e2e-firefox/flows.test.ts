import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badgeProblems } from '../e2e/harness/expectations';
import { button, cardText, ExtensionTab } from './harness/extension-tab';
import { configureThroughOptions, startFirefoxHarness, type FirefoxHarness } from './harness/fixture';
import { cardFrameHeight, cardHasFocus, cardShown, focusedBadgeId, shownCardId } from './harness/in-app';
import { KEYS, WebTab } from './harness/web-tab';

const COMPANIES = 'https://app.hubspot.com/contacts/4411/objects/0-2/views/all/list';

/** The IDs in the companies table, in order. */
const tableIds = (page: WebTab) =>
  page.evaluate(() => [...document.querySelectorAll('table[aria-label="Companies"] td.org-id')].map((c) => (c.firstChild?.textContent ?? '').trim()));

describe('Firefox: the flows a rep uses', () => {
  let h: FirefoxHarness;
  beforeAll(async () => {
    h = await startFirefoxHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is set up through the options page, and the connection test works', async () => {
    const token = h.sites.api.mintToken();
    const options = await configureThroughOptions(h, token);
    await options.click(button('Test connection'));
    await options.waitForText(`Connection works: this account sees ${h.sites.api.connections.length} connections.`);
    const calls = h.sites.api.requests.filter((r) => r.path.startsWith('/v1-beta/host-connections'));
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((c) => c.hasAuthorization && c.headers['requester-organization-id'] === h.sites.api.requesterOrgId)).toBe(true);
    // Firefox lets content scripts read storage.local (it has no setAccessLevel): the token must not be there.
    const persistent = await options.run(async () => JSON.stringify([await browser.storage.local.get(null), await browser.storage.sync.get(null)]));
    expect(persistent).not.toContain(token);
    await options.close();
  });

  it('HubSpot (React): the right status on every known ID, none on unknown ones, across pages', async () => {
    const page = await WebTab.open(h.firefox.bidi, COMPANIES);
    await expect.poll(async () => (await tableIds(page)).length).toBe(20);
    await expect.poll(async () => badgeProblems(h.sites.data, await tableIds(page), await page.badges())).toEqual([]);
    await page.evaluate(() => [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Next page')!.click());
    await expect.poll(() => page.evaluate(() => document.body.textContent!.includes('Page 2 of'))).toBe(true);
    await expect.poll(async () => badgeProblems(h.sites.data, await tableIds(page), await page.badges())).toEqual([]);
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it("a component's closed shadow root (as a native component makes them): its IDs get badges, which a click, Enter and Escape reach there", async () => {
    const { data } = h.sites;
    const page = await WebTab.open(h.firefox.bidi, `https://app.hubspot.com/contacts/4411/notes`);
    const [inside, unknown, linked] = [data.connected[5]!.id, data.notConnected[5]!, data.connected[6]!.id];
    // The page's own script makes the component; only it keeps the root (the test reads through it).
    await page.evaluate(
      (inside, unknown, linked) => {
        const host = document.createElement('x-closed-record');
        const root = host.attachShadow({ mode: 'closed' });
        const line = document.createElement('p');
        line.textContent = `Account ${inside}, also ${unknown}`;
        const link = document.createElement('a');
        link.href = '#followed';
        const shown = document.createElement('span');
        shown.textContent = linked;
        link.append('Parent ', shown);
        const next = document.createElement('button');
        next.textContent = 'Next';
        root.append(line, link, ' ', next);
        document.body.append(host);
        (window as unknown as { closedRoots: ShadowRoot[] }).closedRoots = [root];
        return true;
      },
      inside,
      unknown,
      linked,
    );
    await expect.poll(async () => badgeProblems(data, [inside, unknown, linked], await page.badges(page.context, 'window.closedRoots'))).toEqual([]);

    // Heard where they happen: the badge shows to no listener outside the closed root.
    const inRoot = (selector: string) =>
      page.locateInPage((selector) => (window as unknown as { closedRoots: ShadowRoot[] }).closedRoots[0]!.querySelector(`a ${selector}`), selector);
    const hash = () => page.evaluate(() => location.hash);
    await page.pointAt(await page.locateInPage(() => (window as unknown as { closedRoots: ShadowRoot[] }).closedRoots[0]!.querySelector('button')));
    await page.click(await inRoot('[data-mca-org-id]'));
    await expect.poll(() => shownCardId(page), { message: 'a click on the badge pins its card' }).toBe(linked);
    expect(await hash(), 'the link around the badge is not followed').toBe('');
    await page.click(await inRoot('[data-mca-org-id]'));
    await expect.poll(() => cardShown(page), { message: 'a second click closes it' }).toBe(false);
    expect(await hash()).toBe('');

    await page.pointAt(await page.locateInPage(() => (window as unknown as { closedRoots: ShadowRoot[] }).closedRoots[0]!.querySelector('button')));
    await page.evaluate(() => ((window as unknown as { closedRoots: ShadowRoot[] }).closedRoots[0]!.querySelector('a') as HTMLElement).focus());
    await page.press(KEYS.Tab);
    await expect.poll(() => shownCardId(page)).toBe(linked);
    await page.press(KEYS.Enter);
    await expect.poll(() => cardHasFocus(page), { message: 'Enter moves focus into the card' }).toBe(true);
    await page.press(KEYS.Escape);
    await expect.poll(() => cardShown(page), { message: 'Escape in the card closes it' }).toBe(false);
    await expect.poll(() => focusedBadgeId(page)).toBe(linked);
    expect(await hash()).toBe('');
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('Salesforce (Lit): IDs in shadow roots and in the cross-origin Visualforce frame; not the record GUID or unknown IDs', async () => {
    const { data } = h.sites;
    const record = data.connected[0]!;
    const page = await WebTab.open(h.firefox.bidi, `https://acme.lightning.force.com/lightning/r/Account/${record.id}/view`);
    const shown = [record.id, data.connected[1]!.id, data.disconnected[0]!.id, data.archived[0]!.id, data.notConnected[0]!, data.recordGuids[0]!];
    await expect.poll(async () => badgeProblems(data, shown, await page.badges())).toEqual([]);
    await expect.poll(async () => (await page.frames('https://acme--c.visualforce.com/')).length).toBe(1);
    const [frame] = await page.frames('https://acme--c.visualforce.com/');
    const framed = [data.disconnected[1]!.id, data.connected[2]!.id];
    await expect.poll(async () => badgeProblems(data, framed, await page.badges(frame))).toEqual([]);
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('Dynamics (grid): organization IDs get badges, the record GUIDs around them stay bare', async () => {
    const { data } = h.sites;
    const page = await WebTab.open(h.firefox.bidi, 'https://acme.crm.dynamics.com/main.aspx?pagetype=entitylist&etn=account');
    const orgColumn = () =>
      page.evaluate(() => [...document.querySelectorAll('[data-id="cell-mca_orgid"]')].map((c) => (c.firstChild?.textContent ?? '').trim()).filter(Boolean));
    await expect.poll(async () => (await orgColumn()).length).toBe(25);
    await expect.poll(async () => badgeProblems(data, [...(await orgColumn()), ...data.recordGuids.slice(0, 90)], await page.badges())).toEqual([]);
    expect((await page.badges()).filter((r) => data.recordGuids.includes(r.id))).toEqual([]);
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it("the card: opens on hover with the connection's details, by focus, and by keyboard; Escape gives focus back", async () => {
    const page = await WebTab.open(h.firefox.bidi, COMPANIES);
    await expect.poll(async () => (await tableIds(page)).length).toBe(20);
    const shown = await tableIds(page);
    const target = h.sites.api.connections.find((c) => shown.includes(c.host_organization_id) && c.status === 'connected' && !c.archived)!;
    const id = target.host_organization_id;
    await expect.poll(async () => (await page.badges()).some((r) => r.id === id && r.status === 'connected')).toBe(true);
    const cardShown = () => page.evaluate(() => (document.querySelector('[data-mca-card]') as HTMLElement | null)?.style.display === 'block');

    await page.hover(`[data-mca-org-id="${id}"]`);
    await expect.poll(cardShown).toBe(true);
    const card = await cardText(h.firefox, page.context);
    expect(card.status).toBe('connected');
    expect(card.text).toContain(target.host_name);
    expect(card.text).toContain(target.owner_email);
    // The card page reports its height; the frame around it fits it.
    await expect.poll(() => cardFrameHeight(page)).toBe(card.height);
    // The card is an extension page: the page's scripts cannot read what it shows.
    expect(await page.evaluate(() => document.documentElement.innerText)).not.toContain(target.owner_email);
    expect(await page.evaluate(() => document.querySelector('[data-mca-card]')?.shadowRoot ?? null)).toBeNull();
    await page.moveMouse(1, 1);
    await expect.poll(cardShown).toBe(false);

    // Keyboard: Tab from the company's link reaches its badge (focus opens the card), Enter pins
    // it, Escape closes it and gives focus back to the badge.
    await page.evaluate((name) => ([...document.querySelectorAll('a')].find((a) => a.textContent?.trim() === name) as HTMLElement).focus(), target.host_name);
    await page.press(KEYS.Tab);
    const focusedId = () => page.evaluate(() => document.activeElement?.getAttribute('data-mca-org-id') ?? null);
    expect(await focusedId()).toBe(id);
    await expect.poll(cardShown).toBe(true);
    await page.press(KEYS.Enter);
    await expect.poll(cardShown).toBe(true);
    await page.press(KEYS.Escape);
    await expect.poll(cardShown).toBe(false);
    expect(await focusedId()).toBe(id);
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('the popup: looks up a pasted link and lists the IDs on this page', async () => {
    const page = await WebTab.open(h.firefox.bidi, COMPANIES);
    await expect.poll(async () => (await page.badges()).length).toBeGreaterThan(5);
    await page.activate();
    const known = (await page.badges()).find((r) => r.status === 'connected')!;
    const popup = await ExtensionTab.open(h.firefox, 'popup.html');
    await popup.waitForText('On this page');
    await popup.waitForText(known.id);

    const other = h.sites.data.disconnected[3]!;
    await popup.fill('Organization ID', `https://app.hubspot.com/contacts/4411/company/${other.id}`);
    await popup.click(button('Look up'));
    await expect.poll(() => popup.run(() => document.querySelector('article.mca-card')?.getAttribute('data-status') ?? null)).toBe('disconnected');
    expect(await popup.text('//article')).toContain(other.name);
    await popup.close();
    await page.close();
  });

  it('the popup switches badges off for the site and back on', async () => {
    const page = await WebTab.open(h.firefox.bidi, COMPANIES);
    await expect.poll(async () => (await page.badges()).length).toBeGreaterThan(5);
    await page.activate();
    let popup = await ExtensionTab.open(h.firefox, 'popup.html');
    const toggle = '//label[normalize-space(.)="Show badges on this site"]//input';
    await expect.poll(() => popup.isChecked(toggle)).toBe(true);
    await popup.click(toggle);
    await expect.poll(async () => (await page.badges()).length).toBe(0);
    await popup.close();

    await page.reload();
    await page.activate();
    popup = await ExtensionTab.open(h.firefox, 'popup.html');
    await expect.poll(() => popup.isChecked(toggle)).toBe(false);
    expect((await page.badges()).length).toBe(0);
    await popup.click(toggle);
    await expect.poll(async () => (await page.badges()).length).toBeGreaterThan(5);
    await popup.close();
    await page.close();
  });
});
