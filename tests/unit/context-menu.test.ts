import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { LOOKUP_MENU_ID, registerCommands, registerContextMenu } from '@/entrypoints/background/context-menu';

const ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
type Listener = (...args: unknown[]) => void;

/** The fake browser has no context menus or commands; these record what the module registers. */
function captureListener(event: { addListener: unknown }): Listener[] {
  const listeners: Listener[] = [];
  vi.spyOn(event as { addListener: (l: Listener) => void }, 'addListener').mockImplementation((l) => listeners.push(l));
  return listeners;
}

describe('context menu', () => {
  let clicked: Listener[];
  let create: ReturnType<typeof vi.fn>;

  beforeEach(() => {
    fakeBrowser.reset();
    clicked = captureListener(fakeBrowser.contextMenus.onClicked);
    create = vi.fn();
    vi.spyOn(fakeBrowser.contextMenus, 'removeAll').mockResolvedValue(undefined);
    vi.spyOn(fakeBrowser.contextMenus, 'create').mockImplementation(create as never);
    vi.spyOn(fakeBrowser.windows, 'create').mockResolvedValue({} as never);
    registerContextMenu();
  });

  it('offers "Look up" on selections and links after install', async () => {
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'install' } as never);
    await vi.waitFor(() =>
      expect(create).toHaveBeenCalledWith(
        expect.objectContaining({ id: LOOKUP_MENU_ID, contexts: ['selection', 'link'] }),
      ),
    );
  });

  it('opens a lookup window for the ID in the selected text, and only the ID', async () => {
    clicked[0]?.({ menuItemId: LOOKUP_MENU_ID, selectionText: `Account {${ID.toUpperCase()}} <b>x</b>` });
    await vi.waitFor(() => expect(fakeBrowser.windows.create).toHaveBeenCalled());
    const url = vi.mocked(fakeBrowser.windows.create).mock.calls[0]?.[0]?.url;
    expect(url).toMatch(new RegExp(`/popup\\.html#lookup=${ID}$`));
  });

  it('reads the ID from a link target', async () => {
    clicked[0]?.({ menuItemId: LOOKUP_MENU_ID, linkUrl: `https://crm.example.com/org/${ID}` });
    await vi.waitFor(() => expect(fakeBrowser.windows.create).toHaveBeenCalled());
    expect(vi.mocked(fakeBrowser.windows.create).mock.calls[0]?.[0]).toMatchObject({ type: 'popup' });
  });

  it('opens the window saying there is no ID when the text holds none', async () => {
    clicked[0]?.({ menuItemId: LOOKUP_MENU_ID, selectionText: 'no id here' });
    await vi.waitFor(() => expect(fakeBrowser.windows.create).toHaveBeenCalled());
    expect(vi.mocked(fakeBrowser.windows.create).mock.calls[0]?.[0]?.url).toMatch(/#lookup=$/);
  });
});

describe('keyboard commands', () => {
  beforeEach(() => fakeBrowser.reset());

  it('sends toggleBadges to the active tab', async () => {
    const commands = captureListener(fakeBrowser.commands.onCommand);
    vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([{ id: 7, url: 'https://app.hubspot.com/contacts/1' }] as never);
    const send = vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockResolvedValue(undefined);
    registerCommands();
    commands[0]?.('toggle-badges');
    await vi.waitFor(() => expect(send).toHaveBeenCalledWith(7, { type: 'toggleBadges' }));
  });

  it('ignores a tab without the badge script (no unhandled rejection fails the run)', async () => {
    const commands = captureListener(fakeBrowser.commands.onCommand);
    vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([{ id: 8, url: 'https://example.com/' }] as never);
    const send = vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockRejectedValue(new Error('Receiving end does not exist.'));
    registerCommands();
    commands[0]?.('toggle-badges');
    await vi.waitFor(() => expect(send).toHaveBeenCalled());
  });
});
