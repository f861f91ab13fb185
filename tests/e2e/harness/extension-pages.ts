import type { Page } from 'playwright-core';
import type { Browser } from 'wxt/browser';
import type { ExtensionBrowser } from './browser';

/** The extension API as seen from inside one of its pages (code passed to `page.evaluate`). */
declare const chrome: typeof Browser;

/** An extension page to call extension APIs from (the options page is always there). */
async function extensionPage(browser: ExtensionBrowser): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(browser.extensionUrl('options.html'));
  return page;
}

/**
 * Opens the popup for `tab` the closest way to clicking the toolbar button that automation
 * allows: popup.html in a background tab next to `tab`, with `tab` active in that window, so the
 * popup's "active tab of the current window" is `tab`.
 */
export async function openPopupFor(browser: ExtensionBrowser, tab: Page): Promise<Page> {
  const helper = await extensionPage(browser);
  try {
    await tab.bringToFront();
    const opened = browser.context.waitForEvent('page', { predicate: (p) => p.url().includes('/popup.html'), timeout: 10_000 });
    opened.catch(() => undefined);
    await helper.evaluate(async (url) => {
      const target = (await chrome.tabs.query({ active: true })).find((t) => t.url === url);
      if (!target?.id) throw new Error(`${url} is not the active tab`);
      await chrome.tabs.create({ windowId: target.windowId, index: target.index + 1, url: chrome.runtime.getURL('popup.html'), active: false });
    }, tab.url());
    const popup = await opened;
    await popup.waitForLoadState('domcontentloaded');
    return popup;
  } finally {
    await helper.close();
  }
}

/** The text on the toolbar button's badge for `tab`, or the default one. */
export async function actionBadgeText(browser: ExtensionBrowser, tab?: Page): Promise<string> {
  const helper = await extensionPage(browser);
  try {
    return await helper.evaluate(async (url) => {
      if (!url) return chrome.action.getBadgeText({});
      const target = (await chrome.tabs.query({})).find((t) => t.url === url);
      return chrome.action.getBadgeText({ tabId: target?.id });
    }, tab?.url());
  } finally {
    await helper.close();
  }
}

/** The toolbar button's title (its tooltip), where the extension says what state it is in. */
export async function actionTitle(browser: ExtensionBrowser): Promise<string> {
  const helper = await extensionPage(browser);
  try {
    return await helper.evaluate(() => chrome.action.getTitle({}));
  } finally {
    await helper.close();
  }
}
