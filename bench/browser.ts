import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS, chromiumPath } from '../tests/e2e/harness/browser';
import { installProbe } from './in-page/probes';

export const VIEWPORT = { width: 1280, height: 800 };

export interface BenchBrowser {
  context: BrowserContext;
  /** Undefined for the browser without the extension. */
  extensionId?: string;
  close(): Promise<void>;
}

/**
 * Chromium with the team's standard flags in a fresh profile, with or without the production
 * build loaded. Both variants get the same flags and the same page probe (in-page/probes.ts), so
 * the only difference measured is the extension.
 */
export async function launchBenchBrowser(options: { extensionDir?: string; hostResolverRules: string }): Promise<BenchBrowser> {
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'mca-bench-profile-'));
  const args = [
    '--headless=new',
    ...CHROMIUM_FLAGS,
    // performance.memory reports exact figures only with this flag.
    '--enable-precise-memory-info',
    `--host-resolver-rules=${options.hostResolverRules}`,
  ];
  if (options.extensionDir) args.push(`--load-extension=${options.extensionDir}`, `--disable-extensions-except=${options.extensionDir}`);
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: true,
    args,
    viewport: VIEWPORT,
  });
  const close = async () => {
    await context.close();
    await rm(userDataDir, { recursive: true, force: true });
  };
  try {
    await context.addInitScript(installProbe);
    if (!options.extensionDir) return { context, close };
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 20_000 }));
    return { context, extensionId: new URL(worker.url()).host, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Runs `fn` in a page of the extension, where `chrome.storage` and `chrome.runtime` are at hand. */
export async function inExtensionPage<T>(browser: BenchBrowser, fn: (page: Page) => Promise<T>): Promise<T> {
  if (!browser.extensionId) throw new Error('no extension loaded');
  const page = await browser.context.newPage();
  try {
    await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
    return await fn(page);
  } finally {
    await page.close();
  }
}
