import { cacheEntrySchema, freshness, type CacheEntry } from '@/utils/cache-policy';
import { LruCache } from '@/utils/lru-cache';
import { z } from '@/utils/zod';
import { SessionMirror } from './session-mirror';

/** Entries kept per account; the least recently used go first. */
export const CACHE_CAPACITY = 5000;

/** The IDs of the last complete list of the account's connections: an ID absent from it has none. */
interface ListIndex {
  fetchedAt: number;
  ids: Set<string>;
}

interface CacheState {
  account: string;
  entries: LruCache<CacheEntry>;
  list?: ListIndex;
  /** When the list was last asked for, whatever came of it: list calls are spaced by the cache lifetime. */
  listAskedAt?: number;
}

const storedSchema = z.object({
  account: z.string(),
  entries: z.array(z.tuple([z.string(), z.unknown()])),
  list: z.object({ fetchedAt: z.number(), ids: z.array(z.string()) }).optional(),
  listAskedAt: z.number().optional(),
});

function emptyState(account: string): CacheState {
  return { account, entries: new LruCache(CACHE_CAPACITY) };
}

function loadState(raw: unknown): CacheState {
  const stored = storedSchema.safeParse(raw);
  if (!stored.success) return emptyState('');
  const entries: [string, CacheEntry][] = [];
  for (const [id, value] of stored.data.entries) {
    const entry = cacheEntrySchema.safeParse(value);
    if (entry.success) entries.push([id, entry.data]);
  }
  const list = stored.data.list && { fetchedAt: stored.data.list.fetchedAt, ids: new Set(stored.data.list.ids) };
  return { account: stored.data.account, entries: LruCache.from(entries, CACHE_CAPACITY), list, listAskedAt: stored.data.listAskedAt };
}

function saveState(state: CacheState): unknown {
  return {
    account: state.account,
    entries: state.entries.entries(),
    list: state.list && { fetchedAt: state.list.fetchedAt, ids: [...state.list.ids] },
    listAskedAt: state.listAskedAt,
  };
}

export type ListVerdict = 'absent' | 'present' | 'unknown';

/**
 * The lookup cache of one account (base URL, requester, target), kept in `storage.session` so
 * a restarted worker answers from it. Another account's entries are dropped on first use.
 */
export class CacheStore {
  private readonly mirror = new SessionMirror<CacheState>({ key: 'session:lookupCache', load: loadState, save: saveState });
  private generation = 0;

  /** Loads the cache and makes sure it belongs to `account`, emptying it otherwise. */
  async open(account: string): Promise<void> {
    const state = await this.mirror.get();
    if (state.account !== account) {
      this.generation++;
      await this.mirror.update(() => emptyState(account));
    }
  }

  /**
   * Changes whenever the cache is emptied. A call that started before must not store its answer:
   * it may be another account's, or the very data the user just asked to forget.
   */
  epoch(): number {
    return this.generation;
  }

  private state(): CacheState {
    const state = this.mirror.peek();
    if (!state) throw new Error('CacheStore used before open()');
    return state;
  }

  /** An entry, marked as recently used. */
  get(id: string): CacheEntry | undefined {
    return this.state().entries.get(id);
  }

  peek(id: string): CacheEntry | undefined {
    return this.state().entries.peek(id);
  }

  /** Stores an entry and returns the one it replaced. */
  set(id: string, entry: CacheEntry): CacheEntry | undefined {
    const entries = this.state().entries;
    const previous = entries.peek(id);
    entries.set(id, entry);
    this.mirror.markDirty();
    return previous;
  }

  get size(): number {
    return this.state().entries.size;
  }

  setList(fetchedAt: number, ids: Iterable<string>): void {
    this.state().list = { fetchedAt, ids: new Set(ids) };
    this.mirror.markDirty();
  }

  /** What the last complete list says of an ID while it is still fresh. */
  listVerdict(id: string, now: number, ttlMs: number): ListVerdict {
    const list = this.state().list;
    if (!list || freshness({ status: 'not_connected', fetchedAt: list.fetchedAt }, now, ttlMs) !== 'fresh') return 'unknown';
    return list.ids.has(id) ? 'present' : 'absent';
  }

  /** Undefined forgets the ask: a list the API could not send then is asked for again at once. */
  markListAsked(at: number | undefined): void {
    this.state().listAskedAt = at;
    this.mirror.markDirty();
  }

  listAskedAt(): number | undefined {
    return this.state().listAskedAt;
  }

  listFetchedAt(): number | undefined {
    return this.state().list?.fetchedAt;
  }

  /** Empties the cache (credentials or organization changed, or the user asked). */
  async clear(): Promise<void> {
    this.generation++;
    const state = await this.mirror.get();
    await this.mirror.update(() => emptyState(state.account));
  }

  flush(): Promise<void> {
    return this.mirror.flush();
  }
}
