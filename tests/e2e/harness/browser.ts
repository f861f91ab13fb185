import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Worker } from 'playwright-core';

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
  /** The extension's service worker as Playwright sees it now (a restarted one included). */
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
