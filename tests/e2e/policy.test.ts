import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_REQUESTER_ORG_ID } from '../../mock-api/seed';
import { readBadges } from './harness/badges';
import { extensionDir } from './harness/browser';
import { openPopupFor } from './harness/extension-pages';
import { screenshot, startHarness, type Harness } from './harness/fixture';
import { reloadPolicies, unpackedExtensionId, writeExtensionPolicy, type ExtensionPolicy } from './harness/policy';
import { fakeUuid } from './harness/sites';

const LOCKED = 'Set by your organization';
const COMPANIES = 'https://app.hubspot.com/contacts/4411/objects/0-2/views/all/list';
const CUSTOM_SITE = 'https://admin.internal.test/*';
const SITE_RULE = { pattern: CUSTOM_SITE, attribute: 'data-org-id' };
/** Not a field of the policy schema: Chromium must drop it, and the extension must never see it. */
const SMUGGLED_SECRET = 'policy-secret-that-must-not-arrive';

/** The extension's managed storage, as its own pages read it. */
async function managedStorage(page: Page): Promise<Record<string, unknown>> {
  return page.evaluate(() =>
    (globalThis as unknown as { chrome: { storage: { managed: { get(k: null): Promise<Record<string, unknown>> } } } }).chrome.storage.managed.get(null),
  );
}

/** The text of the elements that describe a field (aria-describedby), as a screen reader reads them. */
async function description(field: Locator): Promise<string> {
  return field.evaluate((element) =>
    (element.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' '),
  );
}

describe('settings managed by an administrator through Chromium policy', () => {
  let h: Harness;
  let policy: ExtensionPolicy | undefined;
  let adminPolicy: Record<string, unknown>;
  const extensionId = unpackedExtensionId(extensionDir());

  beforeAll(async () => {
    // In place before the browser starts, as on a managed machine.
    adminPolicy = {
      baseUrl: 'https://api.mycreditapp.ai/v1-beta',
      requesterOrgId: DEV_REQUESTER_ORG_ID,
      targetOrgId: '',
      disabledBuiltinSites: ['hubspot'],
      customSites: [CUSTOM_SITE],
      siteRules: [SITE_RULE],
      clientSecret: SMUGGLED_SECRET,
    };
    policy = await writeExtensionPolicy(extensionId, adminPolicy);
    h = await startHarness();
  });
  afterAll(async () => {
    await policy?.remove();
    await h?.close();
  });

  it('loads the extension under the ID the policy names', () => {
    expect(h.browser.extensionId).toBe(extensionId);
  });

  it('shows the locked settings as set by the organization, not editable, and takes no secret from policy', async () => {
    const options = await h.browser.context.newPage();
    await options.goto(h.browser.extensionUrl('options.html'));
    await options.getByText('Your organization manages some of these settings.').waitFor();

    const fields = {
      'API base URL': adminPolicy.baseUrl,
      'Requester organization ID': adminPolicy.requesterOrgId,
      'Target organization ID': '',
    };
    for (const [label, value] of Object.entries(fields)) {
      const field = options.getByLabel(label, { exact: true });
      expect(await field.inputValue()).toBe(value);
      expect(await field.isEditable()).toBe(false);
      expect(await description(field)).toContain(LOCKED);
    }
    // Sites and site rules: the switches are off limits, and nothing can be added or removed.
    const hubspot = options.getByRole('switch', { name: 'HubSpot' });
    expect(await hubspot.isChecked()).toBe(false);
    expect(await hubspot.isEnabled()).toBe(false);
    expect(await description(hubspot)).toContain(LOCKED);
    expect(await options.getByRole('switch', { name: 'Salesforce' }).isEnabled()).toBe(false);
    expect(await options.getByText(CUSTOM_SITE, { exact: true }).count()).toBeGreaterThan(0);
    expect(await options.getByRole('button', { name: /^Remove/ }).count()).toBe(0);
    expect(await options.getByText(LOCKED, { exact: true }).count()).toBeGreaterThanOrEqual(6);

    // The schema has no field for a credential, so Chromium hands none to the extension.
    const managed = await managedStorage(options);
    expect(managed).toMatchObject({ requesterOrgId: adminPolicy.requesterOrgId, customSites: [CUSTOM_SITE], siteRules: [SITE_RULE] });
    expect(JSON.stringify(managed)).not.toContain(SMUGGLED_SECRET);
    await options.getByText('No credentials saved.').waitFor();
    const schema = await readFile(path.join(extensionDir(), 'managed-schema.json'), 'utf8');
    expect(Object.keys((JSON.parse(schema) as { properties: object }).properties).filter((k) => /token|secret|password|credential|client/i.test(k))).toEqual([]);
    await screenshot(options, 'options-managed');
    await options.close();
  });

  it("puts the policy's values in effect: the API gets its organization IDs, switched-off CRMs get no badges", async () => {
    const options = await h.browser.context.newPage();
    await options.goto(h.browser.extensionUrl('options.html'));
    await options.getByRole('radio', { name: 'Access token' }).check();
    await options.getByLabel('Access token', { exact: true }).and(options.locator('input:not([type=radio])')).fill(h.sites.api.mintToken());
    await options.getByRole('button', { name: 'Save', exact: true }).click();
    await options.getByText('Saved.', { exact: true }).waitFor();
    h.sites.api.clearRequests();
    await options.getByRole('button', { name: 'Test connection' }).click();
    await options.getByText(/^Connection works/).waitFor();
    const calls = h.sites.api.requests.filter((r) => r.path.startsWith('/v1-beta/host-connections'));
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call.headers['requester-organization-id']).toBe(adminPolicy.requesterOrgId);
      expect(call.headers['target-organization-id']).toBe(adminPolicy.requesterOrgId);
    }
    await options.close();

    // Salesforce is on and shows badges; HubSpot is switched off by policy.
    const accounts = await h.browser.context.newPage();
    await accounts.goto(`https://acme.lightning.force.com/lightning/r/Account/${h.sites.data.connected[0]!.id}/view`);
    await expect.poll(async () => (await readBadges(accounts)).length).toBeGreaterThan(0);
    await accounts.close();
    const companies = await h.browser.context.newPage();
    await companies.goto(COMPANIES);
    await companies.getByRole('table', { name: 'Companies' }).waitFor();
    const popup = await openPopupFor(h.browser, companies);
    await popup.getByText('Badges do not run on app.hubspot.com.', { exact: false }).waitFor();
    expect(await readBadges(companies)).toEqual([]);
    await popup.close();
    await companies.close();
  });

  it('applies a changed policy live, and unlocks the settings when the policy goes', async () => {
    const options = await h.browser.context.newPage();
    await options.goto(h.browser.extensionUrl('options.html'));
    const requester = options.getByLabel('Requester organization ID', { exact: true });
    await expect.poll(() => requester.inputValue()).toBe(adminPolicy.requesterOrgId);

    // The administrator moves the users to another organization: the open page follows, and the
    // next call names it (the API refuses, since the token belongs to the first one).
    const otherOrg = fakeUuid('policy-other-requester');
    await policy!.set({ ...adminPolicy, requesterOrgId: otherOrg });
    await reloadPolicies(h.browser.context);
    await expect.poll(() => requester.inputValue()).toBe(otherOrg);
    expect(await requester.isEditable()).toBe(false);
    h.sites.api.clearRequests();
    await options.getByRole('button', { name: 'Test connection' }).click();
    await options.getByText(/^Forbidden:/).waitFor();
    const calls = h.sites.api.requests.filter((r) => r.path.startsWith('/v1-beta/host-connections'));
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((r) => r.headers['requester-organization-id'] === otherOrg)).toBe(true);

    // No policy: nothing is locked any more, on the open page too.
    await policy!.remove();
    await reloadPolicies(h.browser.context);
    await expect.poll(() => options.getByText('Your organization manages some of these settings.').count()).toBe(0);
    expect(await requester.isEditable()).toBe(true);
    expect(await options.getByRole('switch', { name: 'HubSpot' }).isEnabled()).toBe(true);
    expect(await options.getByText(LOCKED, { exact: true }).count()).toBe(0);
    await options.close();
  });
});
