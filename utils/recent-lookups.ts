import { storage } from '#imports';
import { orgIdSchema } from './api-schemas';
import { z } from './zod';

export const MAX_RECENT_LOOKUPS = 10;

export const recentLookupSchema = z.object({ id: orgIdSchema, at: z.number() });
export type RecentLookup = z.infer<typeof recentLookupSchema>;

/** IDs and times only: what the API answered stays in the background's session cache. */
export const recentLookupsItem = storage.defineItem<RecentLookup[]>('local:recentLookups', { fallback: [] });

/** The list with `id` moved to the front, at most ten long. */
export function addRecentLookup(list: readonly RecentLookup[], id: string, at: number): RecentLookup[] {
  return [{ id, at }, ...list.filter((entry) => entry.id !== id)].slice(0, MAX_RECENT_LOOKUPS);
}

/** The stored list, with anything malformed dropped rather than trusted. */
export async function loadRecentLookups(): Promise<RecentLookup[]> {
  const parsed = z.array(recentLookupSchema).safeParse(await recentLookupsItem.getValue());
  return parsed.success ? parsed.data : [];
}
