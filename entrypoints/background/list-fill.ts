import { ApiError } from '@/utils/api-error';
import type { HostConnection, HostConnectionPage, ListQuery, RejectedItem } from '@/utils/api-schemas';

const ALL_STATUSES: ListQuery['statuses'] = ['connected', 'disconnected'];

/** The list query of every connection: one page from `offset`, or everything when `offset` is undefined. */
export function listQuery(offset: number | undefined, pageSize: number): ListQuery {
  return offset === undefined ? { statuses: ALL_STATUSES } : { statuses: ALL_STATUSES, limit: pageSize, offset };
}

/** What the whole list said. */
export interface ListContents {
  connections: HostConnection[];
  rejected: RejectedItem[];
  /** Every organization the list named, its bad items' included where their ID could be read. */
  ids: Set<string>;
  /**
   * Whether the list holds every connection of the account, good and bad, so that an ID it lacks
   * has none. A server that ignores the offset repeats a page and falls short.
   */
  complete: boolean;
}

/**
 * Reads every page of the list through `page` (which queues and sends one call). Undefined when
 * the list is longer than `maxItems`: single calls then cost less than reading it.
 */
export async function readList(
  page: (query: ListQuery) => Promise<HostConnectionPage>,
  pageSize: number,
  maxItems: number,
): Promise<ListContents | undefined> {
  const first = await page(listQuery(0, pageSize)).catch((error: unknown) => {
    // The endpoint's paging is not documented: a server that refuses limit/offset gets one unpaged call.
    if (error instanceof ApiError && error.kind === 'invalid_request') return page(listQuery(undefined, pageSize));
    throw error;
  });
  const total = first.total_items;
  if (total > maxItems) return undefined;
  const pages = [first];
  const size = first.items.length + first.rejected.length;
  if (size > 0 && size < total) {
    const offsets: number[] = [];
    for (let offset = size; offset < total; offset += size) offsets.push(offset);
    pages.push(...(await Promise.all(offsets.map((offset) => page(listQuery(offset, pageSize))))));
  }
  const connections = pages.flatMap((p) => p.items);
  const rejected = pages.flatMap((p) => p.rejected);
  const ids = new Set([...connections.map((c) => c.host_organization_id), ...rejected.flatMap((r) => (r.hostOrgId ? [r.hostOrgId] : []))]);
  // A bad item whose ID cannot be read still counts: the list holds it, only its organization is unknown.
  const unreadable = rejected.filter((r) => !r.hostOrgId).length;
  return { connections, rejected, ids, complete: ids.size + unreadable >= total };
}
