import type { DemoData } from './sites';
import type { BadgeReading } from './badges';

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
