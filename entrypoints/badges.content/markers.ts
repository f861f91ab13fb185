/** Tag of the badge host element the extension adds beside an ID. */
export const BADGE_TAG = 'mca-badge';
/** Tag of the host element of the card overlay. */
export const CARD_TAG = 'mca-card';

/** Whether a node is one the extension added (so observers and scans pass it by). */
export function isOwnNode(node: Node): boolean {
  if (node.nodeType !== Node.ELEMENT_NODE) return false;
  const name = (node as Element).localName;
  return name === BADGE_TAG || name === CARD_TAG;
}

/** Logs what went wrong in this frame, marked as ours (the page's console is shared). */
export function warn(what: string, detail?: unknown): void {
  console.warn(`MyCreditApp badges: ${what}`, detail);
}
