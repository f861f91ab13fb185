import type { Frame, Page } from 'playwright-core';

export interface BadgeReading {
  id: string;
  /** `data-status` of the element inside the badge's closed shadow root. */
  status: string | undefined;
  /** Its accessible name, e.g. "MyCreditApp: connected, Acme Corp". */
  label: string | undefined;
}

interface DomNode {
  nodeName: string;
  attributes?: string[];
  children?: DomNode[];
  shadowRoots?: DomNode[];
  contentDocument?: DomNode;
}

function attribute(node: DomNode, name: string): string | undefined {
  const list = node.attributes ?? [];
  for (let i = 0; i < list.length; i += 2) if (list[i] === name) return list[i + 1];
  return undefined;
}

function collect(node: DomNode, out: BadgeReading[]) {
  const id = attribute(node, 'data-mca-org-id');
  if (id !== undefined) {
    const inner = node.shadowRoots?.flatMap((root) => root.children ?? []).find((child) => attribute(child, 'data-status') !== undefined);
    out.push({ id, status: inner && attribute(inner, 'data-status'), label: inner && attribute(inner, 'aria-label') });
  }
  for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) collect(child, out);
  if (node.contentDocument) collect(node.contentDocument, out);
}

/**
 * Every badge in a page or frame (same-process child frames included) with what its closed shadow
 * root shows. Read through the DevTools protocol, which sees closed roots; the page's own scripts
 * cannot, which is the point of them.
 */
export async function readBadges(target: Page | Frame): Promise<BadgeReading[]> {
  const page = 'context' in target ? target : target.page();
  const session = await page.context().newCDPSession(target);
  try {
    const { root } = (await session.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    const out: BadgeReading[] = [];
    collect(root, out);
    return out;
  } finally {
    await session.detach();
  }
}

/** id -> statuses of its badges on the page. */
export function statusesById(readings: BadgeReading[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const r of readings) map.set(r.id, [...(map.get(r.id) ?? []), r.status ?? '?']);
  return map;
}
