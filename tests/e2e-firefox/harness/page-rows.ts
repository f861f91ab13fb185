import type { BadgeReading, RowReading } from '../../e2e/harness/badges';
import { badgeOf, type NodeValue, type WebTab } from './web-tab';

/**
 * In the page: each row (outermost element carrying `rowAttribute`) as [key, the IDs its text
 * shows, ...its badges], and last one entry keyed "" with the badges outside every row. Walks open
 * shadow roots and the DOM as it is, whatever the page patched.
 */
function rowsInPage(rowAttribute: string): unknown[][] {
  const pattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
  const outside: unknown[] = ['', ''];
  const rows: unknown[][] = [];
  const shown = new Map<unknown[], string[]>();
  const visit = (node: Node, row: unknown[] | undefined) => {
    if (node.nodeType === Node.TEXT_NODE) {
      if (row) shown.get(row)!.push(...(node.nodeValue!.match(pattern) ?? []));
      return;
    }
    if (node instanceof Element) {
      if (node.hasAttribute('data-mca-org-id')) return void (row ?? outside).push(node);
      if (!row && node.hasAttribute(rowAttribute)) {
        row = [node.getAttribute(rowAttribute), ''];
        shown.set(row, []);
        rows.push(row);
      }
      if (node.shadowRoot) visit(node.shadowRoot, row);
    }
    for (const child of node.childNodes) visit(child, row);
  };
  visit(document, undefined);
  for (const row of rows) row[1] = shown.get(row)!.join(' ').toLowerCase();
  return [...rows, outside];
}

interface RemoteString {
  type: 'string';
  value: string;
}

/**
 * The rows of a page, read in the test's own world (LWC's synthetic shadow hides components'
 * insides from the page's own `querySelector` and `childNodes`): the IDs each row's text shows and
 * its badges with what their closed shadow roots show; and the badges outside every row.
 */
export async function readRows(page: WebTab, rowAttribute: string): Promise<{ rows: RowReading[]; elsewhere: BadgeReading[] }> {
  const answer = (await page.serializedInOwnWorld(rowsInPage, [rowAttribute], 2)) as { value: { value: unknown }[] };
  const read = answer.value.map((entry) => {
    const [key, shown, ...badges] = entry.value as [RemoteString, RemoteString, ...NodeValue[]];
    return { key: key.value, shown: shown.value ? shown.value.split(' ') : [], badges: badges.map(badgeOf) };
  });
  const elsewhere = read.pop()?.badges ?? [];
  return { rows: read, elsewhere };
}
