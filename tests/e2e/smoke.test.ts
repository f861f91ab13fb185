import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extensionDir, launchBrowser, type ExtensionBrowser } from './harness/browser';
import { watchPageErrors } from './harness/page-errors';

describe('production build in Chromium', () => {
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('loads the extension and starts its service worker', async () => {
    expect(browser.extensionId).toMatch(/^[a-p]{32}$/);
    const worker = await browser.worker();
    expect(worker.url()).toBe(browser.extensionUrl('background.js'));
  });

  it('asks for no more than the product needs', () => {
    const manifest = JSON.parse(readFileSync(path.join(extensionDir(), 'manifest.json'), 'utf8'));
    const everything = ['<all_urls>', '*://*/*', 'https://*/*', 'http://*/*'];
    expect(manifest.manifest_version).toBe(3);
    expect(manifest.permissions).not.toContain('tabs');
    expect(manifest.permissions).not.toContain('<all_urls>');
    for (const pattern of everything) expect(manifest.host_permissions).not.toContain(pattern);
    expect(manifest.host_permissions).toContain('https://api.mycreditapp.ai/*');
    for (const script of manifest.content_scripts ?? []) {
      for (const pattern of everything) expect(script.matches).not.toContain(pattern);
    }
    expect(manifest.content_security_policy.extension_pages).toContain("script-src 'self'");
  });

  for (const page of ['options.html', 'popup.html']) {
    it(`opens ${page} with no errors`, async () => {
      const tab = await browser.context.newPage();
      const errors = watchPageErrors(tab);
      await tab.goto(browser.extensionUrl(page));
      await expect.poll(() => tab.locator('body *').count()).toBeGreaterThan(0);
      await expect.poll(() => tab.getByRole('heading').count()).toBeGreaterThan(0);
      expect(errors).toEqual([]);
      await tab.close();
    });
  }
});
