const DASH = 45;
/** Sticky: tests the 8-4-4-4-12 shape at `lastIndex` only. */
const SHAPE_AT = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/iy;

/**
 * How many places in `text` an ID-shaped run (8-4-4-4-12 hex digits, token boundaries not
 * considered) starts at, overlapping ones included. Found from the dashes, which `indexOf` finds
 * far faster than a pattern tried at every position: a run's four dashes are five apart.
 */
export function countIdShapes(text: string): number {
  let count = 0;
  for (let dash = text.indexOf('-', 8); dash >= 0 && dash + 28 <= text.length; dash = text.indexOf('-', dash + 1)) {
    if (text.charCodeAt(dash + 5) !== DASH || text.charCodeAt(dash + 10) !== DASH || text.charCodeAt(dash + 15) !== DASH) continue;
    SHAPE_AT.lastIndex = dash - 8;
    if (SHAPE_AT.test(text)) count++;
  }
  return count;
}
