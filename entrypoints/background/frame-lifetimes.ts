import type { Browser } from 'wxt/browser';
import { FRAME_PORT_NAME } from '@/utils/protocol';

/** Frames and tabs remembered as gone at most; the oldest are forgotten first. */
const MAX_REMEMBERED = 1000;

function remember<T>(set: Set<T>, value: T): void {
  set.delete(value);
  set.add(value);
  if (set.size > MAX_REMEMBERED) set.delete(set.values().next().value as T);
}

/**
 * Which content-script frames are gone, so that what only they asked for is not asked of the API.
 * A content script keeps a port open to the background (FRAME_PORT_NAME); it disconnects when its
 * document goes (closed, reloaded, navigated, removed from the page). A closed tab takes all its
 * frames. A frame is known by its tab and frame ID, which a new document in it reuses: hearing
 * from it again makes it alive.
 */
export class FrameLifetimes {
  private readonly goneFrames = new Set<string>();
  private readonly goneTabs = new Set<number>();

  static key(tabId: number, frameId: number): string {
    return `${tabId}/${frameId}`;
  }

  /** The frame asked for something: whatever document it holds now is alive. */
  heard(key: string): void {
    this.goneFrames.delete(key);
  }

  /** Watches a frame's port; `isContentScript` tells our content scripts from anything else that connects. */
  watch(port: Browser.runtime.Port, isContentScript: (sender: Browser.runtime.MessageSender) => Promise<boolean>): void {
    const sender = port.sender;
    if (port.name !== FRAME_PORT_NAME || sender?.tab?.id === undefined) {
      port.disconnect();
      return;
    }
    const key = FrameLifetimes.key(sender.tab.id, sender.frameId ?? 0);
    // Nothing is read from the port: it only tells the frame is there.
    port.onDisconnect.addListener(() => remember(this.goneFrames, key));
    void isContentScript(sender).then((ours) => {
      if (!ours) port.disconnect();
    });
  }

  tabClosed(tabId: number): void {
    remember(this.goneTabs, tabId);
  }

  isGone(key: string): boolean {
    return this.goneFrames.has(key) || this.goneTabs.has(Number(key.split('/')[0]));
  }
}
