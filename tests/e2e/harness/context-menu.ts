import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { Browser } from 'wxt/browser';
import type { ExtensionBrowser } from './browser';

/** The extension API inside the service worker (code passed to `worker.evaluate`). */
declare const chrome: typeof Browser & {
  contextMenus: { onClicked: { dispatch(info: Browser.contextMenus.OnClickData, tab?: Browser.tabs.Tab): void } };
  commands: { onCommand: { dispatch(command: string, tab?: Browser.tabs.Tab): void } };
};

export interface BrowserMenuItem {
  id: string;
  title: string;
  contexts: string[];
}

/** Chromium's bit for each menu context (`extensions::MenuItem::Context`). */
const CONTEXT_BITS: Record<string, number> = {
  all: 1,
  page: 2,
  selection: 4,
  link: 8,
  editable: 16,
  image: 32,
  video: 64,
  audio: 128,
  frame: 256,
  launcher: 512,
  browser_action: 1024,
  page_action: 2048,
  action: 4096,
};

interface StoredMenuItem {
  string_uid?: string;
  title?: string;
  contexts?: number;
}

/** The profile's directory, as chrome://version shows it. */
export async function profilePath(browser: ExtensionBrowser): Promise<string> {
  const page = await browser.context.newPage();
  try {
    await page.goto('chrome://version');
    return (await page.locator('#profile_path').innerText({ timeout: 10_000 })).trim();
  } finally {
    await page.close();
  }
}

/**
 * The menu items the browser holds for the extension, read from where Chromium keeps them: for
 * an extension without a persistent background page it writes them to the profile's
 * "Extension State" database (`<id>.context_menus`) so they outlive the worker. Playwright cannot
 * see the native menu and the extension API has no getter; this is the browser's own record.
 * Fresh profiles only: the entries are read from the database's write-ahead log.
 */
export async function browserMenuItems(profile: string, extensionId: string): Promise<BrowserMenuItem[] | undefined> {
  const dir = path.join(profile, 'Extension State');
  const logs = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.log')).sort();
  const key = `${extensionId}.context_menus`;
  let latest: StoredMenuItem[] | undefined;
  for (const log of logs) {
    const text = (await readFile(path.join(dir, log))).toString('latin1');
    for (let at = text.indexOf(key); at >= 0; at = text.indexOf(key, at + key.length)) {
      const start = text.indexOf('[', at);
      if (start < 0) continue;
      if (text.startsWith('[]', start)) {
        latest = [];
        continue;
      }
      const end = text.indexOf('}]', start);
      if (end < 0) continue;
      try {
        latest = JSON.parse(text.slice(start, end + 2)) as StoredMenuItem[];
      } catch {
        // A record still being written: the next read has it whole.
      }
    }
  }
  return latest?.map((item) => ({
    id: item.string_uid ?? '',
    title: item.title ?? '',
    contexts: Object.entries(CONTEXT_BITS)
      .filter(([, bit]) => ((item.contexts ?? 0) & bit) !== 0)
      .map(([name]) => name),
  }));
}

export type MenuTarget = { selectionText: string } | { linkUrl: string };

/**
 * Clicks the extension's menu item on `page` the closest way automation allows. Headless Chromium
 * shows no native context menu (a right-click reaches the page, keys never reach a menu), so the
 * service worker's own `contextMenus.onClicked` event is dispatched with the data Chrome sends for
 * that click: the real listener runs in the real worker against the real browser. Resolves with
 * the window the click opens.
 */
export async function clickMenuItem(browser: ExtensionBrowser, page: Page, menuItemId: string, target: MenuTarget): Promise<Page> {
  const worker = await browser.worker();
  const opened = browser.context.waitForEvent('page', { predicate: (p) => p.url().startsWith(browser.extensionUrl('')), timeout: 15_000 });
  opened.catch(() => undefined);
  await worker.evaluate(
    async ({ pageUrl, menuItemId, target }) => {
      if (!chrome.contextMenus.onClicked.hasListeners()) throw new Error('No contextMenus.onClicked listener in the worker');
      const tab = (await chrome.tabs.query({})).find((t) => t.url === pageUrl);
      if (!tab) throw new Error(`No tab shows ${pageUrl}`);
      chrome.contextMenus.onClicked.dispatch({ menuItemId, editable: false, frameId: 0, pageUrl, ...target }, tab);
    },
    { pageUrl: page.url(), menuItemId, target },
  );
  const window = await opened;
  await window.waitForLoadState('domcontentloaded');
  return window;
}

/** The type of the browser window showing `page` ("popup", "normal", ...). */
export async function windowType(browser: ExtensionBrowser, page: Page): Promise<string | undefined> {
  const worker = await browser.worker();
  return worker.evaluate(async (url) => {
    const windows = await chrome.windows.getAll({ populate: true });
    return windows.find((w) => w.tabs?.some((t) => t.url === url))?.type;
  }, page.url());
}

/** Selects the text of an element as a user does, and returns it as the browser reports the selection. */
export async function selectText(element: Locator): Promise<string> {
  await element.selectText();
  return element.page().evaluate(() => window.getSelection()?.toString() ?? '');
}

/** The keyboard commands as the browser registered them: name and shortcut. */
export async function browserCommands(browser: ExtensionBrowser): Promise<{ name: string; shortcut: string }[]> {
  const worker = await browser.worker();
  return worker.evaluate(async () => (await chrome.commands.getAll()).map((c) => ({ name: c.name ?? '', shortcut: c.shortcut ?? '' })));
}

/**
 * Presses an extension's keyboard shortcut the closest way automation allows: browser shortcuts
 * never reach a headless window, so the worker's `commands.onCommand` is dispatched as the browser
 * does, with the active tab.
 */
export async function runCommand(browser: ExtensionBrowser, page: Page, command: string): Promise<void> {
  await page.bringToFront();
  const worker = await browser.worker();
  await worker.evaluate(
    async ({ command, pageUrl }) => {
      if (!chrome.commands.onCommand.hasListeners()) throw new Error('No commands.onCommand listener in the worker');
      const tab = (await chrome.tabs.query({ active: true })).find((t) => t.url === pageUrl);
      if (!tab) throw new Error(`${pageUrl} is not the active tab`);
      chrome.commands.onCommand.dispatch(command, tab);
    },
    { command, pageUrl: page.url() },
  );
}
