import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badgeProblems } from '../e2e/harness/expectations';
import { configureThroughOptions, startFirefoxHarness, type FirefoxHarness } from './harness/fixture';
import { WebTab } from './harness/web-tab';

const COMPANIES = 'https://app.hubspot.com/contacts/4411/objects/0-2/views/all/list';

describe('Firefox: set-up and badges', () => {
  let h: FirefoxHarness;
  beforeAll(async () => {
    h = await startFirefoxHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is set up through the options page', async () => {
    const options = await configureThroughOptions(h);
    await options.click('//button[normalize-space(.)="Test connection"]');
    await options.waitForText(`Connection works: this account sees ${h.sites.api.connections.length} connections.`);
    await options.close();
  });

  it('HubSpot (React): the right badges', async () => {
    const page = await WebTab.open(h.firefox.bidi, COMPANIES);
    const ids = () => page.evaluate(() => [...document.querySelectorAll('table[aria-label="Companies"] td.org-id')].map((c) => (c.firstChild?.textContent ?? '').trim()));
    await expect.poll(async () => (await ids()).length).toBe(20);
    await expect.poll(async () => badgeProblems(h.sites.data, await ids(), await page.badges())).toEqual([]);
    expect(page.errors).toEqual([]);
    await page.close();
  });
});
