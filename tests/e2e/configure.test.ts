import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionBadgeText } from './harness/extension-pages';
import { screenshot, startHarness, type Harness } from './harness/fixture';
import { configureThroughOptions } from './harness/options-page';
import { watchPageErrors } from './harness/page-errors';

/** Everything the extension keeps in storage that a page could ever reach (local, sync). */
async function persistentStorage(h: Harness): Promise<string> {
  const page = await h.browser.context.newPage();
  await page.goto(h.browser.extensionUrl('options.html'));
  const dump = await page.evaluate(async () => {
    const api = (globalThis as unknown as { chrome: { storage: Record<'local' | 'sync', { get(k: null): Promise<unknown> }> } }).chrome;
    return JSON.stringify([await api.storage.local.get(null), await api.storage.sync.get(null)]);
  });
  await page.close();
  return dump;
}

describe('first run and configuration through the options page', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('starts unconfigured: "!" on the toolbar button and no API call', async () => {
    await expect.poll(() => actionBadgeText(h.browser)).toBe('!');
    const options = await h.browser.context.newPage();
    await options.goto(h.browser.extensionUrl('options.html'));
    await options.getByText('No credentials saved.').waitFor();
    await options.close();
    expect(h.sites.api.requests).toEqual([]);
  });

  it('saves a pasted token, tests the connection, and keeps the token out of persistent storage', async () => {
    const token = h.sites.api.mintToken();
    const options = await configureThroughOptions(h.browser, { auth: { token }, requesterOrgId: h.sites.api.requesterOrgId });
    const errors = watchPageErrors(options);
    await expect.poll(() => options.getByLabel('Access token', { exact: true }).and(options.locator('input:not([type=radio])')).inputValue()).toBe('');
    await options.getByRole('button', { name: 'Test connection' }).click();
    await options.getByText(`Connection works: this account sees ${h.sites.api.connections.length} connections.`).waitFor();
    const calls = h.sites.api.requests.filter((r) => r.path.startsWith('/v1-beta/host-connections'));
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call.hasAuthorization).toBe(true);
      expect(call.headers['requester-organization-id']).toBe(h.sites.api.requesterOrgId);
      expect(call.headers['target-organization-id']).toBe(h.sites.api.requesterOrgId);
    }
    await expect.poll(() => actionBadgeText(h.browser)).toBe('');
    await screenshot(options, 'options-configured');
    expect(await persistentStorage(h)).not.toContain(token);
    expect(errors).toEqual([]);
    await options.close();
  });

  it('switches to API client credentials: the background mints its own token', async () => {
    h.sites.api.clearRequests();
    const { clientId, clientSecret } = h.sites.api.devClient;
    const options = await configureThroughOptions(h.browser, { auth: { clientId, clientSecret }, requesterOrgId: h.sites.api.requesterOrgId });
    await options.getByText(`API client ${clientId} is saved.`).waitFor();
    await options.getByRole('button', { name: 'Test connection' }).click();
    await options.getByText(/^Connection works/).waitFor();
    expect(h.sites.api.requests.some((r) => r.method === 'POST' && r.path === '/v1-beta/oauth2/token')).toBe(true);
    // Not remembered: the secret lives in session storage only.
    expect(await persistentStorage(h)).not.toContain(clientSecret);
    await options.close();
  });

  it('refuses an expired token at once, and names a token the API rejects', async () => {
    const options = await h.browser.context.newPage();
    await options.goto(h.browser.extensionUrl('options.html'));
    const tokenField = options.getByLabel('Access token', { exact: true }).and(options.locator('input:not([type=radio])'));
    await options.getByLabel('Requester organization ID').fill(h.sites.api.requesterOrgId);
    await options.getByRole('radio', { name: 'Access token' }).check();
    await tokenField.fill(h.sites.api.mintToken({ expiresInSeconds: -60 }));
    await options.getByRole('button', { name: 'Save', exact: true }).click();
    // Caught on the page (the token's own expiry) or by the background: either way, not saved.
    await options.getByText(/^(This token has already expired|These credentials were not accepted)/).waitFor();
    await options.getByText(/^Nothing was saved|^These credentials were not accepted/).first().waitFor();

    // Well-formed and not expired, but signed with another key: only the API can tell.
    const valid = h.sites.api.mintToken();
    const forged = valid.slice(0, valid.lastIndexOf('.') + 1) + 'A'.repeat(43);
    await tokenField.fill(forged);
    await options.getByRole('button', { name: 'Save', exact: true }).click();
    await options.getByText('Saved.', { exact: true }).waitFor();
    await options.getByRole('button', { name: 'Test connection' }).click();
    await options.getByText(/^Unauthorized: MyCreditApp rejected the credentials/).waitFor();
    await expect.poll(() => actionBadgeText(h.browser)).toBe('!');
    await options.close();
  });

  it('a pasted token that runs out: the popup warns before, and says so after', async () => {
    const token = h.sites.api.mintToken({ expiresInSeconds: 20 });
    const options = await configureThroughOptions(h.browser, { auth: { token }, requesterOrgId: h.sites.api.requesterOrgId });
    await options.close();
    const popup = await h.browser.context.newPage();
    await popup.goto(h.browser.extensionUrl('popup.html'));
    await popup.getByText(/^Your access token expires /).waitFor();
    const expiredBanner = popup.getByText('Your access token has expired. Paste a new one in the settings.');
    await expect
      .poll(
        async () => {
          await popup.reload();
          await popup.getByRole('heading', { name: 'Look up an organization' }).waitFor();
          return expiredBanner.count();
        },
        { timeout: 40_000, interval: 2000 },
      )
      .toBe(1);
    await popup.getByRole('button', { name: 'Open settings' }).first().waitFor();
    await popup.close();
  });
});
