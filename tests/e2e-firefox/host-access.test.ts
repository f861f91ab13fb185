import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badgeProblems } from '../e2e/harness/expectations';
import { button, ExtensionTab } from './harness/extension-tab';
import { configureThroughOptions, startFirefoxHarness, type FirefoxHarness } from './harness/fixture';
import { WebTab } from './harness/web-tab';

const COMPANIES = 'https://app.hubspot.com/contacts/4411/objects/0-2/views/all/list';
const WITHHELD = ['https://app.hubspot.com/*', 'https://api.mycreditapp.ai/*'];

describe('Firefox: host access the user withholds', () => {
  let h: FirefoxHarness;
  let options: ExtensionTab;
  beforeAll(async () => {
    h = await startFirefoxHarness();
    options = await configureThroughOptions(h);
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Accepts the browser's own permission prompt, as the user's click on "Allow" does. */
  const acceptPermissionPrompt = () =>
    h.firefox.chrome<boolean>(`
      for (const browser of gBrowser.browsers) {
        const prompt = PopupNotifications.getNotification('addon-webext-permissions', browser);
        if (prompt) {
          prompt.mainAction.callback();
          return true;
        }
      }
      return false;`);

  it('says which sites and which API it may not reach, in the options page and the popup, and asks for them back', async () => {
    // What the user does in Firefox's extensions panel ("Allow on app.hubspot.com" unticked) comes to this.
    await options.run((origins) => browser.permissions.remove({ origins }), WITHHELD);
    await options.waitForText('The browser does not let MyCreditApp read pages on HubSpot, so no badges are shown there.');
    await options.waitForText('The browser does not let MyCreditApp reach its API at api.mycreditapp.ai, so lookups may fail.');

    const page = await WebTab.open(h.firefox.bidi, COMPANIES);
    await expect.poll(() => page.evaluate(() => document.querySelectorAll('td.org-id').length)).toBe(20);
    await page.activate();
    const popup = await ExtensionTab.open(h.firefox, 'popup.html');
    await popup.waitForText('The browser does not let MyCreditApp read pages on HubSpot, so no badges are shown there.');
    await popup.waitForText('api.mycreditapp.ai');
    // No badge could show: the content script never ran on the page.
    expect(await page.badges()).toEqual([]);

    await popup.click(button('Allow access'));
    await expect.poll(acceptPermissionPrompt).toBe(true);
    const granted = await popup.run(() => browser.permissions.getAll().then((p) => p.origins));
    expect(granted).toEqual(expect.arrayContaining(WITHHELD));
    await expect.poll(async () => (await popup.text()).includes('The browser does not let')).toBe(false);
    // The page open meanwhile is reloaded, and gets its badges.
    const ids = () => page.evaluate(() => [...document.querySelectorAll('td.org-id')].map((c) => (c.firstChild?.textContent ?? '').trim()));
    await expect.poll(async () => (await ids()).length).toBe(20);
    await expect.poll(async () => badgeProblems(h.sites.data, await ids(), await page.badges()), { timeout: 30_000 }).toEqual([]);
    expect(await options.text()).not.toContain('The browser does not let');
    await popup.close();
    await page.close();
  });

  it('a site switched off in the settings is not asked for', async () => {
    await options.run((origins) => browser.permissions.remove({ origins }), ['https://app.hubspot.com/*']);
    await options.waitForText('read pages on HubSpot');
    await options.click('//label[normalize-space(.)="HubSpot"]//input');
    await expect.poll(async () => (await options.text()).includes('The browser does not let')).toBe(false);
  });
});
