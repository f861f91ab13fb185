import type { Page } from 'playwright-core';
import type { ExtensionBrowser } from './browser';

export type OptionsAuth = { token: string } | { clientId: string; clientSecret: string; remember?: boolean };

export interface OptionsInput {
  auth: OptionsAuth;
  requesterOrgId: string;
  targetOrgId?: string;
  baseUrl?: string;
}

/**
 * Configures the extension the way a user does: options page, fields found by their labels,
 * Save, and the page's own confirmation. Returns the options page, still open.
 */
export async function configureThroughOptions(browser: ExtensionBrowser, input: OptionsInput): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(browser.extensionUrl('options.html'));
  if ('token' in input.auth) {
    await page.getByRole('radio', { name: 'Access token' }).check();
    await page.getByLabel('Access token', { exact: true }).and(page.locator('input:not([type=radio])')).fill(input.auth.token);
  } else {
    await page.getByRole('radio', { name: 'API client' }).check();
    await page.getByLabel('Client ID', { exact: true }).fill(input.auth.clientId);
    await page.getByLabel('Client secret', { exact: true }).fill(input.auth.clientSecret);
    await page.getByLabel('Remember on this device').setChecked(input.auth.remember ?? false);
  }
  if (input.baseUrl) await page.getByLabel('API base URL').fill(input.baseUrl);
  await page.getByLabel('Requester organization ID').fill(input.requesterOrgId);
  await page.getByLabel('Target organization ID').fill(input.targetOrgId ?? '');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Saved.', { exact: true }).waitFor({ timeout: 15_000 });
  return page;
}
