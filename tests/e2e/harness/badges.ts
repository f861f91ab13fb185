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
  nodeType?: number;
  nodeValue?: string;
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

function badgeOf(node: DomNode): BadgeReading | undefined {
  const id = attribute(node, 'data-mca-org-id');
  if (id === undefined) return undefined;
  const inner = node.shadowRoots?.flatMap((root) => root.children ?? []).find((child) => attribute(child, 'data-status') !== undefined);
  return { id, status: inner && attribute(inner, 'data-status'), label: inner && attribute(inner, 'aria-label') };
}

function childrenOf(node: DomNode): DomNode[] {
  return [...(node.shadowRoots ?? []), ...(node.children ?? []), ...(node.contentDocument ? [node.contentDocument] : [])];
}

function collect(node: DomNode, out: BadgeReading[]) {
  const badge = badgeOf(node);
  if (badge) out.push(badge);
  for (const child of childrenOf(node)) collect(child, out);
}

/**
 * The whole DOM of a page or frame as the DevTools protocol sees it: into every shadow root,
 * closed ones and synthetic shadow's light DOM alike, whatever the page's scripts have patched.
 */
async function readDom(target: Page | Frame): Promise<DomNode> {
  const page = 'context' in target ? target : target.page();
  const session = await page.context().newCDPSession(target);
  try {
    return ((await session.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode }).root;
  } finally {
    await session.detach();
  }
}

/**
 * Every badge in a page or frame (same-process child frames included) with what its closed shadow
 * root shows. Read through the DevTools protocol, which sees closed roots; the page's own scripts
 * cannot, which is the point of them.
 */
export async function readBadges(target: Page | Frame): Promise<BadgeReading[]> {
  const out: BadgeReading[] = [];
  collect(await readDom(target), out);
  return out;
}

/** One row of a table, list or grid: the IDs its text shows and the badges in it. */
export interface RowReading {
  /** The row's value of the attribute that marks rows. */
  key: string;
  /** Organization IDs in the row's text (shadow roots of its cells included), lower case. */
  shown: string[];
  badges: BadgeReading[];
}

const ID_PATTERN = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

function collectRows(node: DomNode, rowAttribute: string, out: RowReading[], row?: RowReading) {
  const key = attribute(node, rowAttribute);
  if (key !== undefined && !row) {
    row = { key, shown: [], badges: [] };
    out.push(row);
  }
  const badge = badgeOf(node);
  if (badge) {
    row?.badges.push(badge);
    return;
  }
  if (row && node.nodeType === 3 && node.nodeValue) row.shown.push(...(node.nodeValue.match(ID_PATTERN) ?? []).map((id) => id.toLowerCase()));
  for (const child of childrenOf(node)) collectRows(child, rowAttribute, out, row);
}

/** The rows of a page: elements carrying `rowAttribute` (a row key the framework sets), outermost only. */
export async function readRows(target: Page | Frame, rowAttribute: string): Promise<RowReading[]> {
  const out: RowReading[] = [];
  collectRows(await readDom(target), rowAttribute, out);
  return out;
}

/** id -> statuses of its badges on the page. */
export function statusesById(readings: BadgeReading[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const r of readings) map.set(r.id, [...(map.get(r.id) ?? []), r.status ?? '?']);
  return map;
}

function collectHosts(node: DomNode, out: string[]) {
  if (node.shadowRoots?.length && !badgeOf(node)) out.push(node.nodeName.toLowerCase());
  for (const child of childrenOf(node)) collectHosts(child, out);
}

/** The page's elements that host a real shadow root (our badges left out): none under synthetic shadow. */
export async function shadowHostNames(target: Page | Frame): Promise<string[]> {
  const out: string[] = [];
  collectHosts(await readDom(target), out);
  return out;
}
