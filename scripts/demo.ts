/**
 * `npm run demo`: builds the extension and the demo CRM pages, starts the local API and the
 * HTTPS demo sites, starts Chromium with the extension, configures it through its options page as
 * a user would, and opens the demo pages. With a display the window stays until Ctrl-C; without
 * one it writes screenshots into demo-output/ and exits.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, type ExtensionBrowser } from '../tests/e2e/harness/browser';
import { openCardByHover } from '../tests/e2e/harness/card';
import { openPopupFor } from '../tests/e2e/harness/extension-pages';
import { removeStalePolicyFiles } from '../tests/e2e/harness/policy';
import { configureThroughOptions } from '../tests/e2e/harness/options-page';
import { startSites, type Sites } from '../tests/e2e/harness/sites';

const root = path.resolve(import.meta.dirname, '..');
const outputDir = path.join(root, 'demo-output');
const headful = Boolean(process.env.DISPLAY);

function build() {
  const run = (args: string[]) => execFileSync('npx', args, { cwd: root, stdio: 'inherit', timeout: 300_000 });
  if (!process.env.EXTENSION_DIR) {
    console.log('Building the extension (.output/chrome-mv3) …');
    run(['wxt', 'build']);
  }
  console.log('Building the demo CRM pages (demo-sites/dist) …');
  run(['vite', 'build', '--config', 'demo-sites/vite.config.ts']);
}

function demoPages(sites: Sites) {
  const record = sites.data.connected[0]!;
  return [
    { name: 'hubspot-companies', url: 'https://app.hubspot.com/contacts/4411/objects/0-2/views/all/list' },
    { name: 'salesforce-record', url: `https://acme.lightning.force.com/lightning/r/Account/${record.id}/view` },
    { name: 'lightning-lwc', url: 'https://acme.lightning.force.com/lightning/o/Account/list' },
    { name: 'dynamics-fluent', url: 'https://contoso.crm4.dynamics.com/main.aspx?pagetype=entitylist&etn=account' },
    { name: 'attio-ag-grid', url: 'https://app.attio.com/acme/objects/companies' },
    { name: 'dynamics-grid', url: 'https://acme.crm.dynamics.com/main.aspx?pagetype=entitylist&etn=account' },
    { name: 'large-list', url: 'https://app.hubspot.com/large-list' },
  ];
}

/**
 * Waits (bounded) until the extension has drawn badges on the page and their number has held for a
 * second, so the screenshot shows them all; says so when there are none.
 */
async function waitForBadges(page: Page, name: string): Promise<boolean> {
  try {
    await page.locator('[data-mca-org-id]').first().waitFor({ timeout: 30_000 });
  } catch {
    console.warn(`  no badges on ${name} after 30 s`);
    return false;
  }
  const count = () => page.locator('[data-mca-org-id]').count();
  let last = await count();
  for (let held = 0, tries = 0; held < 4 && tries < 40; tries++) {
    await page.waitForTimeout(250);
    const now = await count();
    held = now === last ? held + 1 : 0;
    last = now;
  }
  return true;
}

async function openCard(page: Page, sites: Sites): Promise<boolean> {
  const shown = await page.locator('td.org-id').evaluateAll((cells) => cells.slice(0, 8).map((c) => c.firstChild?.textContent?.trim()));
  const id = sites.data.connected.find((o) => shown.includes(o.id))?.id;
  try {
    if (!id) throw new Error('no connected organization in view');
    await openCardByHover(page, id);
    return true;
  } catch (error) {
    console.warn(`  the card did not open: ${error instanceof Error ? error.message : error}`);
    return false;
  }
}

async function screenshots(browser: ExtensionBrowser, sites: Sites, options: Page) {
  await rm(outputDir, { recursive: true, force: true });
  await mkdir(outputDir, { recursive: true });
  const shot = async (page: Page, name: string, fullPage = false) => {
    const file = path.join(outputDir, `${name}.png`);
    await page.screenshot({ path: file, fullPage });
    console.log(`  ${path.relative(root, file)}`);
  };
  await shot(options, 'options', true);
  let hubspot: Page | undefined;
  for (const { name, url } of demoPages(sites)) {
    const page = await browser.context.newPage();
    await page.goto(url);
    await waitForBadges(page, name);
    await shot(page, name);
    if (name === 'hubspot-companies') {
      hubspot = page;
      if (await openCard(page, sites)) await shot(page, 'hubspot-card');
    } else {
      await page.close();
    }
  }
  if (hubspot) {
    await hubspot.mouse.move(0, 0);
    const popup = await openPopupFor(browser, hubspot);
    await popup.setViewportSize({ width: 400, height: 600 });
    await popup.getByRole('heading', { name: 'On this page' }).waitFor({ timeout: 10_000 });
    await popup.locator('.id-list li').first().waitFor({ timeout: 10_000 }).catch(() => undefined);
    await shot(popup, 'popup');
  }
}

async function main() {
  // A browser test killed outright can leave its machine policy behind; the demo must not start managed.
  await removeStalePolicyFiles();
  build();
  const sites = await startSites();
  let browser: ExtensionBrowser | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await browser?.close().catch(() => undefined);
    await sites.close().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    browser = await launchBrowser({ hostResolverRules: sites.hostResolverRules, headless: !headful, viewport: headful ? null : undefined });
    console.log(`Local API: ${sites.api.url} (as https://api.mycreditapp.ai/v1-beta); demo sites on 127.0.0.1:${sites.port}`);
    console.log('Configuring the extension through its options page …');
    const options = await configureThroughOptions(browser, {
      auth: { token: sites.api.mintToken({ expiresInSeconds: 8 * 3600 }) },
      requesterOrgId: sites.api.requesterOrgId,
    });
    if (headful) {
      // The blank tab Chromium starts with is of no use next to the demo pages.
      const blank = browser.context.pages().filter((page) => page.url() === 'about:blank');
      for (const { url } of demoPages(sites)) await (await browser.context.newPage()).goto(url);
      for (const page of blank) await page.close();
      console.log('Chromium is open with the demo CRM pages. Ctrl-C stops everything.');
      browser.context.on('close', () => void stop(0));
      return;
    }
    console.log(`No display: writing screenshots to ${path.relative(root, outputDir)}/`);
    await screenshots(browser, sites, options);
    console.log(`Done. Screenshots are in ${outputDir}`);
    await stop(0);
  } catch (error) {
    console.error('Demo failed:', error instanceof Error ? error.message : error);
    await stop(1);
  }
}

await main();
