import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'wxt/browser';
import { readBadges } from './harness/badges';
import { startHarness, type Harness } from './harness/fixture';
import { configureThroughOptions } from './harness/options-page';
import { STRANGER_HOST } from './harness/stranger-host';

/** The extension API as seen from inside one of its pages (code passed to `page.evaluate`). */
declare const chrome: typeof Browser;

const STRANGER_URL = `https://${STRANGER_HOST}/v1-beta`;

/**
 * The user's credentials go to the API they were entered for and nowhere else, in the real
 * browser with the production build: a stranger's host, served under its own name, logs all it
 * receives (headers and bodies).
 */
describe('credentials never go to another host than the one they were entered for', () => {
  let h: Harness;
  let options: Page;
  const secret = () => h.sites.api.devClient.clientSecret;

  /** Everything the stranger received, as text, to search for a credential. */
  const strangerHeard = () => JSON.stringify(h.sites.stranger.requests);

  beforeAll(async () => {
    h = await startHarness();
    const { clientId, clientSecret } = h.sites.api.devClient;
    options = await configureThroughOptions(h.browser, { auth: { clientId, clientSecret, remember: true }, requesterOrgId: h.sites.api.requesterOrgId });
  });
  afterAll(async () => {
    await h?.close();
  });

  /** A CRM page with connected IDs, looked up by the content script; the badges it shows. */
  async function browseCrm(): Promise<Page> {
    const page = await h.browser.context.newPage();
    await page.goto(h.sites.origin('app.hubspot.com'));
    return page;
  }

  it('works against its own API first', async () => {
    const page = await browseCrm();
    await expect.poll(async () => (await readBadges(page)).filter((b) => b.status === 'connected').length).toBeGreaterThan(0);
    await page.close();
    expect(h.sites.stranger.requests).toEqual([]);
  });

  it('a base URL rewritten in storage, as a content script can on Firefox: the stranger receives nothing, the options page asks again', async () => {
    await options.evaluate(async (baseUrl) => {
      const { settings } = await chrome.storage.local.get('settings');
      await chrome.storage.local.set({ settings: { ...(settings as object), baseUrl } });
    }, STRANGER_URL);
    // Everything that could call the API: a CRM page's lookups, a lookup by hand, the connection test.
    const page = await browseCrm();
    await options.evaluate(async (id) => chrome.runtime.sendMessage({ type: 'lookupOne', id, refresh: true }), h.sites.data.connected[0]!.id);
    await options.reload();
    await options.getByText(/^Your credentials were entered for https:\/\/api\.mycreditapp\.ai/).waitFor();
    await options.getByRole('button', { name: 'Test connection' }).click();
    await options.getByTestId('test-result').filter({ hasNotText: 'Testing' }).waitFor();
    // Pages show no badge where nothing could be asked; give the page's lookups time to have gone out.
    await expect.poll(async () => (await page.evaluate(() => document.querySelectorAll('[data-mca-org-id]').length))).toBe(0);
    await page.waitForTimeout(1000);
    expect(h.sites.stranger.requests).toEqual([]);
    expect(strangerHeard()).not.toContain(secret());
    await page.close();
  });

  it('a base URL changed in the options page without entering the credentials again is not saved, and the stranger receives nothing', async () => {
    // Back to the address the credentials were entered for.
    await options.evaluate(async (baseUrl) => {
      const { settings } = await chrome.storage.local.get('settings');
      await chrome.storage.local.set({ settings: { ...(settings as object), baseUrl } });
    }, 'https://api.mycreditapp.ai/v1-beta');
    await options.reload();
    await options.getByText(/^API client .* is saved\./).waitFor();
    await options.getByLabel('API base URL').fill(STRANGER_URL);
    await options.getByRole('button', { name: 'Save', exact: true }).click();
    await options.getByText('The API address has changed: enter the credentials for it again.').waitFor();
    const stored = await options.evaluate(async () => ((await chrome.storage.local.get('settings')).settings as { baseUrl: string }).baseUrl);
    expect(stored).toBe('https://api.mycreditapp.ai/v1-beta');
    await options.getByRole('button', { name: 'Test connection' }).click();
    await options.getByText(/^Connection works/).waitFor();
    expect(h.sites.stranger.requests).toEqual([]);
  });
});
