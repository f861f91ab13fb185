import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, type ExtensionBrowser } from './browser';
import { configureThroughOptions } from './options-page';
import { startSites, type Sites } from './sites';

export const ARTIFACTS_DIR = path.resolve(import.meta.dirname, '../../../artifacts');

export interface Harness {
  sites: Sites;
  browser: ExtensionBrowser;
  close(): Promise<void>;
}

/** The local sites and API, and a fresh Chromium pointed at them: one per test file. */
export async function startHarness(): Promise<Harness> {
  const sites = await startSites();
  try {
    const browser = await launchBrowser({ hostResolverRules: sites.hostResolverRules });
    return {
      sites,
      browser,
      async close() {
        await browser.close();
        await sites.close();
      },
    };
  } catch (error) {
    await sites.close();
    throw error;
  }
}

/** A harness whose extension a user has set up through the options page, with a fresh token. */
export async function startConfiguredHarness(): Promise<Harness> {
  const h = await startHarness();
  try {
    const options = await configureThroughOptions(h.browser, { auth: { token: h.sites.api.mintToken() }, requesterOrgId: h.sites.api.requesterOrgId });
    await options.close();
    return h;
  } catch (error) {
    await h.close();
    throw error;
  }
}

/** Saves a screenshot as a test artifact: artifacts/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = path.join(ARTIFACTS_DIR, 'screenshots');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
