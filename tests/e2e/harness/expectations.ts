import type { DemoData } from './sites';
import type { BadgeReading, RowReading } from './badges';

/** The badge an ID should get outside ID fields: known organizations only. */
export function expectedStatus(data: DemoData, id: string): string | undefined {
  if (data.connected.some((o) => o.id === id)) return 'connected';
  if (data.disconnected.some((o) => o.id === id)) return 'disconnected';
  if (data.archived.some((o) => o.id === id)) return 'archived';
  return undefined;
}

/**
 * What is wrong with the badges for `ids` (shown on the page): a known ID without its status, an
 * unknown one with a badge. Empty when all is as it should be; read it in a poll.
 */
export function badgeProblems(data: DemoData, ids: string[], readings: BadgeReading[]): string[] {
  const problems: string[] = [];
  for (const id of new Set(ids)) {
    const expected = expectedStatus(data, id);
    const statuses = readings.filter((r) => r.id === id).map((r) => r.status);
    if (expected && (statuses.length === 0 || statuses.some((s) => s !== expected))) problems.push(`${id}: want ${expected}, got [${statuses.join(',')}]`);
    if (!expected && statuses.length > 0) problems.push(`${id}: want no badge, got [${statuses.join(',')}]`);
  }
  return problems;
}

/**
 * What is wrong with the badges of each row: one badge per known organization the row shows, with
 * its status, and none for anything else (an unknown ID, a duplicate, a badge left from an ID the
 * row no longer shows). Empty when all is well; read it in a poll.
 */
export function rowProblems(data: DemoData, rows: RowReading[]): string[] {
  const problems: string[] = [];
  for (const row of rows) {
    const want = [...new Set(row.shown)].filter((id) => expectedStatus(data, id)).sort();
    const got = row.badges.map((b) => b.id).sort();
    if (want.join() !== got.join()) problems.push(`row ${row.key}: want badges [${want.join(', ')}], got [${got.join(', ')}]`);
    for (const badge of row.badges) {
      const status = expectedStatus(data, badge.id);
      if (status && badge.status !== status) problems.push(`row ${row.key}: ${badge.id} shows ${badge.status}, want ${status}`);
    }
  }
  return problems;
}

/** Badges anywhere on the page for IDs the API does not know. */
export function unknownBadges(data: DemoData, readings: BadgeReading[]): string[] {
  return readings.filter((r) => !expectedStatus(data, r.id)).map((r) => r.id);
}

/**
 * A poll of `rowProblems` that passes only once the rows have read the same for `quietMs`: a badge
 * still to come (a shadow root scanned later, a link's badge) must not slip past a clean moment.
 */
export function settledRowProblems(data: DemoData, read: () => Promise<RowReading[]>, quietMs = 1000): () => Promise<string[]> {
  let last: string | undefined;
  let since = 0;
  return async () => {
    const rows = await read();
    const reading = JSON.stringify(rows);
    if (reading !== last) {
      last = reading;
      since = Date.now();
    }
    const problems = rowProblems(data, rows);
    if (problems.length) return problems;
    return Date.now() - since >= quietMs ? [] : ['rows still changing'];
  };
}
