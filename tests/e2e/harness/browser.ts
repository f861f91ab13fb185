import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page, type Worker } from 'playwright-core';

export const DEFAULT_EXTENSION_DIR = path.resolve(import.meta.dirname, '../../../.output/chrome-mv3');

/**
 * What every Chromium of the tests and the benchmark runs with: no network of its own (this
 * machine reaches none), a throwaway profile's first-run pages off, and the local sites' self-signed
 * certificate accepted.
 */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--ignore-certificate-errors',
];

export function chromiumPath(): string {
  const candidate = process.env.CHROME_PATH ?? '/usr/bin/chromium';
  if (!existsSync(candidate)) {
    throw new Error(
      `Chromium not found at ${candidate}. Install it (Debian: apt-get install -y chromium) or set CHROME_PATH to a Chromium binary. ` +
        'Branded Google Chrome ignores --load-extension and cannot run these tests.',
    );
  }
  return candidate;
}

export function extensionDir(): string {
  const dir = path.resolve(process.env.EXTENSION_DIR ?? DEFAULT_EXTENSION_DIR);
  if (!existsSync(path.join(dir, 'manifest.json'))) {
    throw new Error(`No extension build in ${dir}: run \`npm run build\` (or set EXTENSION_DIR).`);
  }
  return dir;
}

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  /** `chrome-extension://<id>/<page>` */
  extensionUrl(page: string): string;
  /** The service worker Playwright saw start (see `stopServiceWorker` for what a stop does to it). */
  worker(): Promise<Worker>;
  close(): Promise<void>;
}

/**
 * Chromium with the unmodified production build loaded, in a fresh profile. Host names of the
 * demo CRMs and the API are mapped to the local HTTPS server; its certificate is self-signed.
 */
export async function launchBrowser(
  options: {
    extensionDir?: string;
    hostResolverRules?: string;
    headless?: boolean;
    viewport?: { width: number; height: number } | null;
    lang?: string;
  } = {},
): Promise<ExtensionBrowser> {
  const dir = options.extensionDir ?? extensionDir();
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'mca-e2e-profile-'));
  const args = [
    `--load-extension=${dir}`,
    `--disable-extensions-except=${dir}`,
    ...CHROMIUM_FLAGS,
    // The extension's strings follow the browser's language: pin it so tests read English.
    `--lang=${options.lang ?? 'en-US'}`,
  ];
  if (options.hostResolverRules) args.push(`--host-resolver-rules=${options.hostResolverRules}`);
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: options.headless ?? true,
    args,
    locale: options.lang ?? 'en-US',
    viewport: options.viewport === undefined ? { width: 1280, height: 800 } : options.viewport,
  });
  try {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
    const extensionId = new URL(worker.url()).host;
    const isOurs = (w: Worker) => w.url().startsWith(`chrome-extension://${extensionId}/`);
    return {
      context,
      extensionId,
      extensionUrl: (page) => `chrome-extension://${extensionId}/${page}`,
      async worker() {
        return context.serviceWorkers().find(isOurs) ?? (await context.waitForEvent('serviceworker', { predicate: isOurs, timeout: 15_000 }));
      },
      async close() {
        await context.close();
        await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await context.close();
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
}

async function withServiceWorkerInternals<T>(browser: ExtensionBrowser, use: (page: Page, entry: Locator) => Promise<T>): Promise<T> {
  const page = await browser.context.newPage();
  try {
    await page.goto('chrome://serviceworker-internals/');
    const entry = page
      .locator('.serviceworker-registration')
      .filter({ has: page.locator('.serviceworker-scope .value', { hasText: `chrome-extension://${browser.extensionId}/` }) });
    return await use(page, entry);
  } finally {
    await page.close();
  }
}

/**
 * Stops the extension's service worker the way Chrome does when it idles out: with the Stop
 * button of its entry in chrome://serviceworker-internals (closing its DevTools target tears down
 * a Playwright persistent context instead). Resolves once the page shows it STOPPED.
 *
 * Playwright is not told: the Worker handle it holds goes silent, so tests observe the restarted
 * worker through its effects (and `workerRunningStatus`), not through that handle.
 */
export async function stopServiceWorker(browser: ExtensionBrowser): Promise<void> {
  await withServiceWorkerInternals(browser, async (page, entry) => {
    await entry.locator('[data-command="stop"]').first().click({ timeout: 10_000 });
    await entry.locator('.serviceworker-running-status .value', { hasText: 'STOPPED' }).first().waitFor({ timeout: 10_000 });
  });
}

/** RUNNING, STOPPED, STARTING, ... as chrome://serviceworker-internals shows it now. */
export async function workerRunningStatus(browser: ExtensionBrowser): Promise<string> {
  return withServiceWorkerInternals(browser, async (_page, entry) => {
    const status = entry.locator('.serviceworker-running-status .value').first();
    await status.waitFor({ timeout: 10_000 });
    return (await status.textContent())?.trim() ?? '';
  });
}
