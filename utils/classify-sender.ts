import type { SenderKind } from './protocol';

/** The parts of `runtime.MessageSender` the decision rests on. */
export interface SenderLike {
  id?: string;
  url?: string;
  origin?: string;
  tab?: { id?: number; url?: string };
  frameId?: number;
}

export interface SenderContext {
  extensionId: string;
  /** Base URLs of our own pages, e.g. `runtime.getURL('')` (and the dynamic-URL base where there is one). */
  extensionBases: string[];
  /** Path of the card page inside our origin, e.g. `/card.html`. */
  cardPath: string;
  /** Whether our content script may be on a page at this http(s) URL (switched off or not). */
  isSiteCovered(url: string): boolean;
}

export type SenderClass = SenderKind | 'refused';

function parse(url: string | undefined): URL | undefined {
  if (!url) return undefined;
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** `URL.origin` is "null" for extension schemes, so compare scheme and host instead. */
function originOf(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

function isOwnOrigin(url: URL, context: SenderContext): boolean {
  const origin = originOf(url);
  return context.extensionBases.some((base) => {
    const parsed = parse(base);
    return !!parsed && originOf(parsed) === origin;
  });
}

/**
 * Decides who sent a message before anything else is done with it. `sender.id` is ours for
 * every sender `runtime.onMessage` hears, so it only disproves; the URL, origin, tab and frame
 * decide.
 */
export function classifySender(sender: SenderLike | undefined, context: SenderContext): SenderClass {
  if (!sender || sender.id !== context.extensionId) return 'refused';
  const url = parse(sender.url);
  if (!url) return 'refused';

  if (isOwnOrigin(url, context)) {
    const origin = parse(sender.origin);
    if (sender.origin !== undefined && (!origin || !isOwnOrigin(origin, context))) return 'refused';
    // The card page is web-accessible on every site a user may add; it is served only inside a
    // tab whose page is one we run on (the browser tells a tab's URL only where we hold access).
    if (url.pathname === context.cardPath) {
      const tabUrl = parse(sender.tab?.url);
      return tabUrl && context.isSiteCovered(tabUrl.href) ? 'card' : 'refused';
    }
    const topLevel = sender.frameId === undefined || sender.frameId === 0;
    return topLevel ? 'extension' : 'refused';
  }

  if (!sender.tab) return 'refused';
  // about:blank and srcdoc frames inherit their parent's origin, which the browser reports.
  const pageUrl = url.href === 'about:blank' || url.href === 'about:srcdoc' ? parse(sender.origin) : url;
  if (!pageUrl || (pageUrl.protocol !== 'https:' && pageUrl.protocol !== 'http:')) return 'refused';
  if (sender.origin !== undefined && sender.origin !== pageUrl.origin) return 'refused';
  return context.isSiteCovered(pageUrl.href) ? 'content' : 'refused';
}

/** The URL that stands for the sender's page when deciding its configuration. */
export function senderPageUrl(sender: SenderLike): string | undefined {
  if (sender.url === 'about:blank' || sender.url === 'about:srcdoc') return sender.origin ? `${sender.origin}/` : undefined;
  return sender.url;
}
