import type { CDPSession, Page } from 'playwright-core';
import type { Browser } from 'wxt/browser';
import type { ExtensionBrowser } from './browser';

/** The extension API as seen from inside the worker (code passed to `worker.evaluate`). */
declare const chrome: typeof Browser;

type RunningStatus = 'stopped' | 'starting' | 'running' | 'stopping';

interface VersionUpdate {
  versionId: string;
  runningStatus: RunningStatus;
  scriptURL: string;
}

export interface ServiceWorkerControl {
  /**
   * Stops the extension's worker as Chrome does when it idles out, and resolves once the browser
   * has reported it stopped. A page messaging the worker may start a new one right after: that
   * is what the tests want to see, and the stop stays in `history()`.
   */
  stop(): Promise<void>;
  /** Every running status the browser reported for the worker, in order. */
  history(): RunningStatus[];
  /** Leaves a mark in the worker's global scope; a restarted worker has a fresh scope without it. */
  mark(): Promise<void>;
  /** Whether the worker answering now carries the mark: false once it was restarted. */
  isMarked(): Promise<boolean>;
  close(): Promise<void>;
}

const TIMEOUT_MS = 15_000;

/**
 * Drives the worker through the DevTools protocol's ServiceWorker domain, whose events report
 * every state change as it happens (chrome://serviceworker-internals only shows the present, and a
 * restart can come before it ever shows "stopped").
 */
export async function controlServiceWorker(browser: ExtensionBrowser): Promise<ServiceWorkerControl> {
  const page: Page = await browser.context.newPage();
  const cdp: CDPSession = await browser.context.newCDPSession(page);
  const ours = `chrome-extension://${browser.extensionId}/`;
  const statuses: RunningStatus[] = [];
  const running = new Set<string>();
  const waiters = new Set<() => void>();
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }: { versions: VersionUpdate[] }) => {
    for (const version of versions) {
      if (!version.scriptURL.startsWith(ours)) continue;
      if (statuses.at(-1) !== version.runningStatus) statuses.push(version.runningStatus);
      if (version.runningStatus === 'running') running.add(version.versionId);
      else running.delete(version.versionId);
    }
    for (const wake of waiters) wake();
  });
  await cdp.send('ServiceWorker.enable');

  async function until(condition: () => boolean, what: string): Promise<void> {
    if (condition()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`The service worker was not ${what} within ${TIMEOUT_MS} ms (states seen: ${statuses.join(', ')})`));
      }, TIMEOUT_MS);
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
    });
  }

  return {
    async stop() {
      await until(() => running.size > 0, 'running');
      const seen = statuses.length;
      for (const versionId of running) await cdp.send('ServiceWorker.stopWorker', { versionId });
      await until(() => statuses.slice(seen).includes('stopped'), 'stopped');
    },
    history: () => [...statuses],
    async mark() {
      await (await browser.worker()).evaluate(() => {
        (globalThis as { mcaTestMark?: boolean }).mcaTestMark = true;
      });
    },
    async isMarked() {
      const [id, marked] = await (await browser.worker()).evaluate(() => [chrome.runtime.id, (globalThis as { mcaTestMark?: boolean }).mcaTestMark === true] as const);
      if (id !== browser.extensionId) throw new Error(`Evaluated in ${id}, not in the extension's worker`);
      return marked;
    },
    async close() {
      await cdp.detach().catch(() => undefined);
      await page.close();
    },
  };
}
