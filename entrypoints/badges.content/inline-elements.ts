/** Inline elements an ID may run across (`1234<wbr>5678`, a highlight span); any other element ends a run. */
export const INLINE = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'cite', 'code', 'data', 'dfn', 'em', 'font', 'i', 'kbd', 'mark', 'q', 's',
  'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'tt', 'u', 'var', 'wbr',
]);

export function isInline(node: Node | null): boolean {
  return !!node && node.nodeType === Node.ELEMENT_NODE && INLINE.has((node as Element).localName);
}
