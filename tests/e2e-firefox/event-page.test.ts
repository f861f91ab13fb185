import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badgeProblems } from '../e2e/harness/expectations';
import { configureThroughOptions, startFirefoxHarness, type FirefoxHarness } from './harness/fixture';
import { WebTab } from './harness/web-tab';

const COMPANIES = 'https://app.hubspot.com/contacts/4411/objects/0-2/views/all/list';
/** Firefox suspends an idle event page after this long (its default is 30 s). */
const IDLE_MS = 1500;

describe('Firefox: the event page is suspended when idle and answers from its cache when woken', () => {
  let h: FirefoxHarness;
  beforeAll(async () => {
    h = await startFirefoxHarness({ 'extensions.background.idle.timeout': IDLE_MS });
    await (await configureThroughOptions(h)).close();
  });
  afterAll(async () => {
    await h?.close();
  });

  /** The background's state as Firefox keeps it: "running", "suspending", "stopped", ... */
  const backgroundState = () =>
    h.firefox.chrome<string>('return String(WebExtensionPolicy.getByID(arguments[0]).extension.backgroundState)', h.firefox.extensionId);

  async function companiesWithBadges(): Promise<WebTab> {
    const page = await WebTab.open(h.firefox.bidi, COMPANIES);
    const ids = () => page.evaluate(() => [...document.querySelectorAll('td.org-id')].map((c) => (c.firstChild?.textContent ?? '').trim()));
    await expect.poll(async () => (await ids()).length).toBe(20);
    await expect.poll(async () => badgeProblems(h.sites.data, await ids(), await page.badges()), { timeout: 30_000 }).toEqual([]);
    return page;
  }

  it('a suspended background page wakes for the page and answers from storage.session, without calling the API', async () => {
    await (await companiesWithBadges()).close();
    expect(h.sites.api.requests.some((r) => r.path.startsWith('/v1-beta/host-connections'))).toBe(true);

    // Nothing talks to the background now: Firefox suspends it, and its memory goes with it.
    await expect.poll(backgroundState, { timeout: 30_000 }).toBe('stopped');
    h.sites.api.clearRequests();
    // The new page's content script wakes a fresh background, which has only storage.session.
    const page = await companiesWithBadges();
    expect(h.sites.api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([]);
    expect(page.errors).toEqual([]);
    await page.close();
  });

});
