import { canonicalUuid } from './uuid';

const PREFIX = '#lookup=';

/** The popup's URL hash that asks it to look up an ID at once (from the context menu). */
export function lookupHash(id: string | undefined): string {
  return `${PREFIX}${id ?? ''}`;
}

/**
 * What a lookup hash asks for: undefined when the page was opened normally, `{ id: undefined }`
 * when the text behind it held no ID.
 */
export function parseLookupHash(hash: string): { id: string | undefined } | undefined {
  if (!hash.startsWith(PREFIX)) return undefined;
  const value = hash.slice(PREFIX.length);
  try {
    return { id: canonicalUuid(decodeURIComponent(value)) };
  } catch {
    return { id: undefined };
  }
}
