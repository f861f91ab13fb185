/**
 * Canonical UUIDs in free text. Letters, digits, `_` and `-` on either side make a longer token,
 * which is never an ID; braces, `urn:uuid:` and punctuation are delimiters, so `{…}` and
 * `urn:uuid:…` forms match on their own.
 */
export const ID_IN_TEXT = /(?<![\w-])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![\w-])/gi;

/** The length of an ID: a shorter string cannot hold one, so callers skip the regular expression. */
export const MIN_ID_LENGTH = 36;

export interface IdMatch {
  /** Lower-case canonical form. */
  id: string;
  start: number;
  end: number;
}

/** Every ID in `text` with its offsets, in order. */
export function findIds(text: string): IdMatch[] {
  if (text.length < MIN_ID_LENGTH) return [];
  const matches: IdMatch[] = [];
  ID_IN_TEXT.lastIndex = 0;
  for (let m = ID_IN_TEXT.exec(text); m; m = ID_IN_TEXT.exec(text)) {
    matches.push({ id: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length });
  }
  return matches;
}

/** Index of the piece holding character `offset`, given each piece's start offset in ascending order. */
export function pieceAt(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}
