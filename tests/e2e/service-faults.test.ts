import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readBadges } from './harness/badges';
import { openCardByHover } from './harness/card';
import { actionTitle, openPopupFor } from './harness/extension-pages';
import { badgeProblems } from './harness/expectations';
import { startHarness, type Harness } from './harness/fixture';
import { configureThroughOptions } from './harness/options-page';
import { watchPageErrors } from './harness/page-errors';

const COMPANIES = 'https://app.hubspot.com/contacts/4411/objects/0-2/views/all/list';
const LARGE_LIST = 'https://app.hubspot.com/large-list';
const LIST_PATH = '/v1-beta/host-connections';
/** A requester organization the API's tokens do not belong to. */
const OTHER_REQUESTER = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

/**
 * Problems that concern every ID (a refused requester, a refused token, an outage, a rate limit)
 * against the local API's fault injection: what the page shows, how few calls it costs, and what
 * the toolbar, the popup and "Test connection" say. Each prints its figures.
 */
describe('when the API misbehaves for everyone', () => {
  let h: Harness;
  let options: Page;

  const singleCalls = () => h.sites.api.requests.filter((r) => r.path.startsWith(`${LIST_PATH}/`));
  const listCalls = () => h.sites.api.requests.filter((r) => r.path === LIST_PATH);
  const lookupCalls = () => h.sites.api.requests.filter((r) => r.path.startsWith(LIST_PATH));
  const tokenCalls = () => h.sites.api.requests.filter((r) => r.path.endsWith('/oauth2/token'));
  const figure = (line: string) => console.info(`[figure] ${line}`);

  async function clearCache() {
    await options.bringToFront();
    await options.getByRole('button', { name: 'Clear cache' }).click();
    await options.getByText('Cache cleared.').waitFor();
  }

  /** Saves credentials and organization through the options page, as a user does. */
  async function configure(auth: 'client' | 'token', requesterOrgId = h.sites.api.requesterOrgId) {
    const { clientId, clientSecret } = h.sites.api.devClient;
    const page = await configureThroughOptions(h.browser, {
      auth: auth === 'client' ? { clientId, clientSecret } : { token: h.sites.api.mintToken() },
      requesterOrgId,
    });
    await page.close();
  }

  /** What "Test connection" on the options page says now. */
  async function connectionTest(): Promise<string> {
    await options.reload();
    await options.getByRole('button', { name: 'Test connection' }).click();
    const result = options.getByTestId('test-result').filter({ hasNotText: /^Testing/ });
    await result.waitFor();
    return result.innerText();
  }

  /** What the popup's banner says for `tab`; empty when it shows none. */
  async function popupBanner(tab: Page): Promise<string> {
    const popup = await openPopupFor(h.browser, tab);
    try {
      await popup.getByRole('heading', { name: 'Look up an organization' }).waitFor();
      const banner = popup.locator('.banner');
      await banner.waitFor({ timeout: 5000 }).catch(() => undefined);
      return (await banner.count()) ? await banner.innerText() : '';
    } finally {
      await popup.close();
    }
  }

  async function open(url: string): Promise<Page> {
    const page = await h.browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 1300 });
    await page.goto(url);
    return page;
  }

  const companyIds = (page: Page) =>
    page.locator('td.org-id').evaluateAll((cells) => cells.map((c) => c.firstChild?.textContent?.trim() ?? ''));
  const firstRows = async (page: Page, n = 40) =>
    (await page.locator('td.id').evaluateAll((cells, n) => cells.slice(0, n).map((c) => c.textContent?.trim() ?? ''), n)).filter(Boolean);

  /** Waits until no lookup call has come for `quietMs`, so counts read afterwards are final. */
  async function settled(quietMs = 1500) {
    await expect
      .poll(() => {
        const last = lookupCalls().at(-1);
        return !last || Date.now() - last.time >= quietMs;
      }, { timeout: 30_000 })
      .toBe(true);
  }

  beforeAll(async () => {
    h = await startHarness();
    const { clientId, clientSecret } = h.sites.api.devClient;
    options = await configureThroughOptions(h.browser, { auth: { clientId, clientSecret }, requesterOrgId: h.sites.api.requesterOrgId });
  });
  beforeEach(async () => {
    h.sites.api.clearFaults();
    await clearCache();
    h.sites.api.clearRequests();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('one malformed item in the list costs that ID alone: the rest comes from the list, the broken one shows as an error', async () => {
    const broken = h.sites.data.connected[0]!.id;
    h.sites.api.injectFault({ kind: 'bad-items', ids: [broken], match: { method: 'GET', path: '/host-connections' } });
    const page = await open(LARGE_LIST);
    const errors = watchPageErrors(page);
    const shown = async () => (await firstRows(page)).filter((id) => id !== broken);
    await expect.poll(async () => badgeProblems(h.sites.data, await shown(), await readBadges(page)), { timeout: 30_000 }).toEqual([]);
    await expect.poll(async () => (await readBadges(page)).filter((b) => b.id === broken).map((b) => b.status)[0]).toBe('error');
    await settled();
    figure(`calls for the 10,000-row page with one malformed list item: ${lookupCalls().length} (${listCalls().length} list pages, ${singleCalls().length} single)`);
    expect(singleCalls()).toEqual([]);
    expect(listCalls().length).toBeLessThanOrEqual(4);

    const card = await openCardByHover(page, broken);
    expect(await card.locator('article.mca-card').getAttribute('data-status')).toBe('error');
    expect(await card.locator('article.mca-card').innerText()).toMatch(/host_name/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a 403 that names the requester is one message in the toolbar, popup and options, never a badge per ID', async () => {
    await configure('client', OTHER_REQUESTER);
    h.sites.api.clearRequests();
    const page = await open(COMPANIES);
    try {
      await expect.poll(async () => (await companyIds(page)).length).toBe(20);
      await expect.poll(() => lookupCalls().filter((r) => r.status === 403).length).toBeGreaterThan(0);
      await settled();
      figure(`calls for a 20-row page when the requester does not match the token (403): ${lookupCalls().length}`);
      expect(await readBadges(page)).toEqual([]);
      expect(lookupCalls().length).toBeLessThanOrEqual(4);

      expect(await actionTitle(h.browser)).toMatch(/Requester organization ID/);
      expect(await popupBanner(page)).toMatch(/Requester organization ID/);
      expect(await connectionTest()).toMatch(/Requester organization ID/);
      // Reloading asks nothing more: the settings have not changed.
      const before = lookupCalls().length;
      await page.reload();
      await expect.poll(async () => (await companyIds(page)).length).toBe(20);
      await settled();
      expect(lookupCalls().length).toBe(before);
      expect(await readBadges(page)).toEqual([]);
    } finally {
      await configure('client');
    }
    // Fixed settings: the same page gets its badges.
    await page.reload();
    await expect.poll(async () => badgeProblems(h.sites.data, await companyIds(page), await readBadges(page)), { timeout: 30_000 }).toEqual([]);
    expect(await actionTitle(h.browser)).toBe('MyCreditApp Connection Badges');
    await page.close();
  });

  it('a 403 only one organization gets stays on that organization', async () => {
    const forbidden = h.sites.data.connected[3]!.id;
    // The list cannot be read, so the ID is asked for on its own.
    h.sites.api.injectFault({ kind: 'status', status: 422, match: { method: 'GET', path: '/host-connections' } });
    h.sites.api.injectFault({ kind: 'status', status: 403, match: { method: 'GET', path: `/host-connections/${forbidden}` } });
    const popup = await h.browser.context.newPage();
    await popup.goto(h.browser.extensionUrl('popup.html'));
    await popup.getByLabel('Organization ID').fill(forbidden);
    await popup.getByRole('button', { name: 'Look up' }).click();
    await expect.poll(() => popup.locator('article.mca-card').getAttribute('data-status')).toBe('error');
    expect(await popup.locator('article.mca-card').innerText()).toMatch(/does not include this organization/);
    expect(await popup.locator('.banner').count()).toBe(0);
    expect(await actionTitle(h.browser)).toBe('MyCreditApp Connection Badges');
    await popup.close();
  });

  it('a pasted token the API refuses is not used again until the credentials change', async () => {
    await configure('token');
    try {
      // The list is refused, so every ID would need a call of its own: the worst case.
      h.sites.api.injectFault({ kind: 'status', status: 422, match: { method: 'GET', path: '/host-connections' } });
      h.sites.api.injectFault({ kind: 'status', status: 401, code: 'token_invalid', match: { method: 'GET', pathPrefix: '/host-connections/' } });
      h.sites.api.clearRequests();
      const page = await open(LARGE_LIST);
      await expect.poll(() => singleCalls().filter((r) => r.status === 401).length).toBeGreaterThan(0);
      await settled();
      const rejected = singleCalls().filter((r) => r.status === 401).length;
      figure(`calls answered 401 after a pasted token was refused, 10,000-row page: ${rejected}`);
      expect(rejected).toBeLessThanOrEqual(4);
      expect(await readBadges(page)).toEqual([]);
      expect(await actionTitle(h.browser)).toMatch(/refused your access token/);
      expect(await popupBanner(page)).toMatch(/Paste a new one in the settings/);

      const before = lookupCalls().length;
      await page.reload();
      await expect.poll(() => page.locator('td.id').count()).toBe(10_000);
      await settled();
      expect(lookupCalls().length).toBe(before);

      h.sites.api.clearFaults();
      await configure('token');
      await expect.poll(async () => badgeProblems(h.sites.data, await firstRows(page), await readBadges(page)), { timeout: 30_000 }).toEqual([]);
      await page.close();
    } finally {
      h.sites.api.clearFaults();
      await configure('client');
    }
  });

  it('drops the queued lookups of a tab that was closed and of a page that was left', async () => {
    h.sites.api.injectFault({ kind: 'status', status: 422, match: { method: 'GET', path: '/host-connections' } });
    h.sites.api.injectFault({ kind: 'latency', delayMs: 300, match: { method: 'GET', pathPrefix: '/host-connections/' } });
    const arrivedAfter = (at: number) => singleCalls().filter((r) => r.time > at + 200).length;

    const closed = await open(LARGE_LIST);
    await expect.poll(() => singleCalls().filter((r) => r.status !== null).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(8);
    await closed.close();
    const closedAt = Date.now();
    await settled(2000);
    figure(`calls that reached the API after the tab with 360 queued lookups was closed: ${arrivedAfter(closedAt)}`);
    expect(arrivedAfter(closedAt)).toBeLessThanOrEqual(4);

    await clearCache();
    h.sites.api.clearRequests();
    const left = await open(LARGE_LIST);
    await expect.poll(() => singleCalls().filter((r) => r.status !== null).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(8);
    await left.goto('about:blank');
    const leftAt = Date.now();
    await settled(2000);
    figure(`calls that reached the API after the page with 360 queued lookups was left: ${arrivedAfter(leftAt)}`);
    expect(arrivedAfter(leftAt)).toBeLessThanOrEqual(4);
    await left.close();
  });

  it('an outage that ends: an open page heals within 15 s, a reload 5 s after shows its badges, probes back off meanwhile', { timeout: 150_000 }, async () => {
    const outageMs = 30_000;
    const start = Date.now();
    h.sites.api.injectFault({ kind: 'status', status: 503, forMs: outageMs, match: { method: 'GET', pathPrefix: '/host-connections' } });
    const back = start + outageMs;
    const left = await open(COMPANIES);
    await expect.poll(async () => (await companyIds(left)).length).toBe(20);
    await expect.poll(() => lookupCalls().filter((r) => r.status === 503).length).toBeGreaterThan(0);
    await settled(500);
    // What the toolbar and the popup say during the outage, checked once it is over.
    const title = await actionTitle(h.browser);
    const banner = await popupBanner(left);
    expect((await readBadges(left)).filter((b) => b.status !== 'loading')).toEqual([]);

    await expect.poll(() => Date.now() >= back + 5000, { timeout: outageMs + 10_000, interval: 250 }).toBe(true);
    const reloaded = await open(COMPANIES);
    await expect.poll(async () => badgeProblems(h.sites.data, await companyIds(reloaded), await readBadges(reloaded)), { timeout: 10_000 }).toEqual([]);
    figure(`seconds from the end of a 30 s outage to correct badges on a page opened 5 s after: ${((Date.now() - back) / 1000).toFixed(1)}`);
    await reloaded.close();

    await expect.poll(async () => badgeProblems(h.sites.data, await companyIds(left), await readBadges(left)), { timeout: back + 15_000 - Date.now() }).toEqual([]);
    figure(`seconds from the end of a 30 s outage to correct badges on a page left open: ${((Date.now() - back) / 1000).toFixed(1)}`);
    expect(Date.now() - back).toBeLessThanOrEqual(15_000);

    const during = lookupCalls().filter((r) => r.time < back);
    const late = during.filter((r) => r.time >= back - 15_000);
    figure(`calls during a 30 s outage with one page open: ${during.length} (${late.length} in its last 15 s)`);
    expect(late.length).toBeLessThanOrEqual(6);
    expect(title).toMatch(/not available right now.*tries again at/);
    expect(banner).toMatch(/tries again at/);
    expect(await actionTitle(h.browser)).toBe('MyCreditApp Connection Badges');
    await left.close();
  });

  it('a 429 storm: no badge per ID, one message saying when lookups resume, badges once it is over', { timeout: 90_000 }, async () => {
    const stormMs = 12_000;
    h.sites.api.injectFault({ kind: 'retry-after', retryAfter: '5', forMs: stormMs, match: { method: 'GET', pathPrefix: '/host-connections' } });
    const end = Date.now() + stormMs;
    const page = await open(COMPANIES);
    await expect.poll(async () => (await companyIds(page)).length).toBe(20);
    await expect.poll(() => lookupCalls().filter((r) => r.status === 429).length).toBeGreaterThan(0);
    // The client waits out a Retry-After twice before it gives up: what is said once it did.
    const ready = 'MyCreditApp Connection Badges';
    await expect.poll(() => actionTitle(h.browser), { timeout: 20_000 }).not.toBe(ready).catch(() => undefined);
    const title = await actionTitle(h.browser);
    const banner = await popupBanner(page);
    expect((await readBadges(page)).filter((b) => b.status === 'error')).toEqual([]);
    await expect.poll(() => Date.now() >= end, { timeout: stormMs + 5000, interval: 250 }).toBe(true);
    const stormCalls = lookupCalls().filter((r) => r.time < end).length;
    figure(`calls during a 12 s 429 storm (Retry-After: 5) with a 20-row page open: ${stormCalls}`);
    expect(stormCalls).toBeLessThanOrEqual(8);
    await expect.poll(async () => badgeProblems(h.sites.data, await companyIds(page), await readBadges(page)), { timeout: 20_000 }).toEqual([]);
    expect(title).toMatch(/slow down.*resume at/);
    expect(banner).toMatch(/resume at/);
    expect(await actionTitle(h.browser)).toBe('MyCreditApp Connection Badges');
    await page.close();
  });

  // Last: re-saving the same client credentials is what ends it, which changes nothing in storage.
  it('client credentials the API keeps refusing: one renewal, one retry, then quiet', async () => {
    h.sites.api.injectFault({ kind: 'status', status: 422, match: { method: 'GET', path: '/host-connections' } });
    h.sites.api.injectFault({ kind: 'status', status: 401, code: 'token_invalid', match: { method: 'GET', pathPrefix: '/host-connections/' } });
    try {
      const page = await open(LARGE_LIST);
      await expect.poll(() => singleCalls().filter((r) => r.status === 401).length).toBeGreaterThan(0);
      await settled();
      const rejected = singleCalls().filter((r) => r.status === 401).length;
      figure(`client credentials refused on every call, 10,000-row page: ${rejected} calls answered 401, ${tokenCalls().length} token request`);
      expect(tokenCalls().length).toBeLessThanOrEqual(1);
      expect(rejected).toBeLessThanOrEqual(8);
      expect(await actionTitle(h.browser)).toMatch(/refused the API client/);
      expect(await popupBanner(page)).toMatch(/client ID and secret/);
      await page.close();
    } finally {
      h.sites.api.clearFaults();
      await configure('client');
    }
  });
});
