import { apiErrorInfoSchema, type ApiErrorInfo } from './api-error';
import { hostConnectionSchema, type HostConnection } from './api-schemas';
import type { LookupResult } from './protocol';
import { z } from './zod';

/**
 * What the cache keeps per ID: a connection, the knowledge that there is none (404), or that the
 * list sent its connection in a shape that does not fit (that ID's error until the list is read again).
 */
export const cacheEntrySchema = z.discriminatedUnion('status', [
  z.object({
    status: z.enum(['connected', 'disconnected', 'archived']),
    connection: hostConnectionSchema,
    fetchedAt: z.number(),
  }),
  z.object({ status: z.literal('not_connected'), fetchedAt: z.number() }),
  z.object({ status: z.literal('error'), error: apiErrorInfoSchema, fetchedAt: z.number() }),
]);
export type CacheEntry = z.infer<typeof cacheEntrySchema>;

export type Freshness = 'fresh' | 'stale' | 'expired';

/**
 * How long past its lifetime an entry is still answered at once while it is fetched again in
 * the background (RFC 5861 stale-while-revalidate), as a multiple of the lifetime.
 */
export const REVALIDATE_WINDOW_FACTOR = 1;

/** How old an entry may be and still answer, marked stale, when the API cannot (stale-if-error). */
export const STALE_IF_ERROR_MS = 24 * 60 * 60 * 1000;

/** Archived wins over the connection's status: the UI shows it as archived whatever it was. */
export function entryFromConnection(connection: HostConnection, fetchedAt: number): CacheEntry {
  return { status: connection.archived ? 'archived' : connection.status, connection, fetchedAt };
}

export function notConnectedEntry(fetchedAt: number): CacheEntry {
  return { status: 'not_connected', fetchedAt };
}

export function errorEntry(error: ApiErrorInfo, fetchedAt: number): CacheEntry {
  return { status: 'error', error, fetchedAt };
}

export function freshness(entry: CacheEntry, now: number, ttlMs: number): Freshness {
  const age = now - entry.fetchedAt;
  if (age < ttlMs) return 'fresh';
  if (age < ttlMs * (1 + REVALIDATE_WINDOW_FACTOR)) return 'stale';
  return 'expired';
}

/** Whether an entry may still stand in for an answer the API could not give. */
export function usableIfError(entry: CacheEntry, now: number): boolean {
  return now - entry.fetchedAt < STALE_IF_ERROR_MS;
}

export function resultFromEntry(entry: CacheEntry, stale: boolean): LookupResult {
  if (entry.status === 'not_connected') return { status: 'not_connected', fetchedAt: entry.fetchedAt, stale };
  if (entry.status === 'error') return { status: 'error', error: entry.error };
  return { status: entry.status, connection: entry.connection, fetchedAt: entry.fetchedAt, stale };
}

/** Whether two entries would look different to the user (the fetch time alone does not count). */
export function sameContent(a: CacheEntry, b: CacheEntry): boolean {
  if (a.status === 'not_connected' && b.status === 'not_connected') return true;
  if (a.status === 'error' && b.status === 'error') return JSON.stringify(a.error) === JSON.stringify(b.error);
  if (a.status === 'not_connected' || a.status === 'error' || b.status === 'not_connected' || b.status === 'error') return false;
  return a.status === b.status && JSON.stringify(a.connection) === JSON.stringify(b.connection);
}
