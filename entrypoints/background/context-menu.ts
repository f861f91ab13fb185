import { browser, type Browser } from 'wxt/browser';
import { extractId } from '@/utils/extract-id';
import { t } from '@/utils/i18n';
import { lookupHash } from '@/utils/lookup-hash';

export const LOOKUP_MENU_ID = 'mca-lookup';
export const TOGGLE_BADGES_COMMAND = 'toggle-badges';

/** The popup page in lookup mode; without an ID it says that the text held none. */
function lookupWindowUrl(id: string | undefined): string {
  return `${browser.runtime.getURL('/popup.html')}${lookupHash(id)}`;
}

async function openLookupWindow(info: Browser.contextMenus.OnClickData): Promise<void> {
  if (info.menuItemId !== LOOKUP_MENU_ID) return;
  // Only the extracted UUID leaves the page's text; nothing else of it reaches our pages.
  const id = extractId(info.selectionText ?? '') ?? extractId(info.linkUrl ?? '');
  await browser.windows.create({ type: 'popup', url: lookupWindowUrl(id), width: 420, height: 600 });
}

/** "Look up in MyCreditApp" on selected text and links. Call synchronously in the background's `main`. */
export function registerContextMenu(): void {
  browser.runtime.onInstalled.addListener(() => {
    // Menu items survive restarts but not updates; recreating on install and update keeps one copy.
    void browser.contextMenus.removeAll().then(() =>
      browser.contextMenus.create({
        id: LOOKUP_MENU_ID,
        title: t('contextMenuLookup'),
        contexts: ['selection', 'link'],
      }),
    );
  });
  browser.contextMenus.onClicked.addListener((info) => {
    openLookupWindow(info).catch((error: unknown) => console.warn('Lookup window failed', error));
  });
}

async function toggleBadgesInActiveTab(): Promise<void> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  if (tab?.id === undefined) return;
  try {
    await browser.tabs.sendMessage(tab.id, { type: 'toggleBadges' });
  } catch {
    // No badge script in that tab (not a CRM page): nothing to toggle.
  }
}

/** Keyboard commands besides `_execute_action`, which the browser handles itself. Call synchronously in `main`. */
export function registerCommands(): void {
  browser.commands.onCommand.addListener((command) => {
    if (command === TOGGLE_BADGES_COMMAND) void toggleBadgesInActiveTab();
  });
}
