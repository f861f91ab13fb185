import { ApiError, type ApiErrorInfo, type ErrorKind } from '@/utils/api-error';
import type { HostConnection, HostConnectionPage, ListQuery } from '@/utils/api-schemas';
import {
  entryFromConnection,
  freshness,
  notConnectedEntry,
  resultFromEntry,
  sameContent,
  usableIfError,
  type CacheEntry,
} from '@/utils/cache-policy';
import { PriorityQueue, type Priority } from '@/utils/priority-queue';
import type { LookupResult } from '@/utils/protocol';
import type { Settings } from '@/utils/settings';
import { SingleFlight } from '@/utils/single-flight';
import type { BreakerStore } from './breaker-store';
import type { CacheStore } from './cache-store';
import { blocksCalls, stateKindForError, type ServiceStateStore } from './service-state';

/** The two calls the lookup service makes (H2's API client). */
export interface LookupApi {
  getHostConnection(id: string, options: { signal?: AbortSignal }): Promise<HostConnection>;
  listHostConnections(query: ListQuery, options: { signal?: AbortSignal }): Promise<HostConnectionPage>;
}

export interface LookupServiceDeps {
  loadSettings(): Promise<Settings>;
  accountKey(settings: Settings): string;
  clientFor(settings: Settings): LookupApi | Promise<LookupApi>;
  cache: CacheStore;
  breakers: BreakerStore;
  state: ServiceStateStore;
  /** Cached entries whose content changed (a revalidation or a list fill told something new). */
  onEntriesChanged(results: Record<string, LookupResult>): void;
  now?: () => number;
}

export interface LookupTuning {
  /** Requests in flight at once. */
  concurrency: number;
  /** Uncached IDs (asked at once or within `missWindowMs`) from which the list is fetched instead. */
  listFillThreshold: number;
  missWindowMs: number;
  /** Page size of the list; the API's other lists allow at most 100. */
  listPageSize: number;
  /** Above this many connections the list costs more than it saves and is not fetched. */
  listMaxItems: number;
}

export interface LookupOptions {
  /** Skip the cache and the list: ask the API. */
  refresh?: boolean;
  /**
   * Of the IDs that would each take a call of their own, those the asker may cause; the rest are
   * answered from what the cache and the list know, or as unknown.
   */
  admitCalls?(ids: string[]): Promise<string[]>;
}

export const DEFAULT_TUNING: LookupTuning = {
  concurrency: 4,
  listFillThreshold: 20,
  missWindowMs: 2000,
  listPageSize: 100,
  listMaxItems: 5000,
};

const ALL_STATUSES: ListQuery['statuses'] = ['connected', 'disconnected'];

/** Failures that say the API or the way to it is down: they count against the circuit breaker. */
const BREAKER_FAILURES: ReadonlySet<ErrorKind> = new Set(['network', 'timeout', 'unavailable']);

/** Failures after which an old entry is better than nothing (RFC 5861 stale-if-error). */
const TRANSIENT: ReadonlySet<ErrorKind> = new Set(['network', 'timeout', 'unavailable', 'rate_limited']);

type Outcome = { entry: CacheEntry } | { error: ApiErrorInfo; serviceWide: boolean };

type Failure = Extract<Outcome, { error: ApiErrorInfo }>;

/**
 * done: the cache holds what the list told; skipped: single calls must do (the list is too long,
 * or this account may not read it); a failure: the API cannot be asked now, by list or one by one.
 */
type ListOutcome = 'done' | 'skipped' | Failure;

/** List failures after which single calls would fail the same way, only many times over. */
const LIST_FAILURES_FOR_ALL: ReadonlySet<ErrorKind> = new Set([...BREAKER_FAILURES, 'rate_limited']);

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError({ kind: 'network', message: error instanceof Error ? error.message : String(error) });
}

function apiOrigin(settings: Settings): string {
  try {
    return new URL(settings.baseUrl).origin;
  } catch {
    return settings.baseUrl;
  }
}

interface Context {
  settings: Settings;
  ttlMs: number;
  origin: string;
  /** The cache's epoch when the work began: answers to a cache emptied since are not stored. */
  epoch: number;
}

/**
 * Answers lookups from the cache when it can and asks the API as rarely as it must: one call
 * per ID at a time whatever the number of askers, visible IDs first, a few calls in flight,
 * the list endpoint instead of many single calls, and a circuit breaker per API origin.
 */
export class LookupService {
  private readonly queue: PriorityQueue;
  private readonly idFlights = new SingleFlight<Outcome>();
  private readonly listFlight = new SingleFlight<ListOutcome>();
  private readonly promoters = new Map<string, () => void>();
  /** Uncached IDs asked lately, by when; distinct, so tabs asking the same IDs count them once. */
  private readonly recentMisses = new Map<string, number>();
  private readonly tuning: LookupTuning;

  constructor(
    private readonly deps: LookupServiceDeps,
    tuning: Partial<LookupTuning> = {},
  ) {
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
    this.queue = new PriorityQueue(this.tuning.concurrency);
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  private async context(): Promise<Context> {
    const settings = await this.deps.loadSettings();
    await this.deps.cache.open(this.deps.accountKey(settings));
    return { settings, ttlMs: settings.cacheTtlSeconds * 1000, origin: apiOrigin(settings), epoch: this.deps.cache.epoch() };
  }

  /**
   * Results for `ids`; resolves once every one is answered and the cache holding the answers is
   * stored, so a worker stopped right after loses none of it.
   */
  async lookup(ids: readonly string[], priority: Priority, options: LookupOptions = {}): Promise<Record<string, LookupResult>> {
    const context = await this.context();
    const { cache } = this.deps;
    const now = this.now();
    const results: Record<string, LookupResult> = {};
    const missing: string[] = [];
    const revalidate: string[] = [];

    for (const id of new Set(ids)) {
      const entry = cache.get(id);
      const state = entry && !options.refresh ? freshness(entry, now, context.ttlMs) : 'expired';
      if (entry && state !== 'expired') {
        results[id] = resultFromEntry(entry, false);
        if (state === 'stale') revalidate.push(id);
        continue;
      }
      const known = options.refresh ? undefined : this.knownEntry(id, context);
      if (known) results[id] = resultFromEntry(known, false);
      else missing.push(id);
    }

    if (revalidate.length > 0) {
      this.fetchMany(revalidate, 'idle', context).catch((error: unknown) => console.warn('Revalidation failed', error));
    }
    if (missing.length > 0) Object.assign(results, await this.fetchMany(missing, priority, context, options));
    await cache.flush();
    return results;
  }

  /** Fetches IDs the cache cannot answer: through the list when there are many, else one by one. */
  private async fetchMany(ids: string[], priority: Priority, context: Context, options: LookupOptions = {}): Promise<Record<string, LookupResult>> {
    const force = options.refresh === true;
    const results: Record<string, LookupResult> = {};
    const stateKind = await this.deps.state.kind();
    if (blocksCalls(stateKind)) {
      for (const id of ids) results[id] = this.fallback(id, context);
      return results;
    }

    let remaining = ids;
    if (!force && this.wantsList(ids, context)) {
      const filled = await this.fillFromList(priority, context);
      if (typeof filled === 'object') {
        for (const id of ids) results[id] = this.resultOf(id, filled, context);
        return results;
      }
      remaining = [];
      for (const id of ids) {
        const entry = this.knownEntry(id, context);
        if (entry) results[id] = resultFromEntry(entry, false);
        else remaining.push(id);
      }
    }

    if (options.admitCalls && remaining.length > 0) {
      const admitted = new Set(await options.admitCalls(remaining));
      for (const id of remaining) if (!admitted.has(id)) results[id] = this.fallback(id, context);
      remaining = remaining.filter((id) => admitted.has(id));
    }
    const outcomes = await Promise.all(remaining.map((id) => this.fetchOne(id, priority, context, force)));
    remaining.forEach((id, index) => {
      results[id] = this.resultOf(id, outcomes[index]!, context);
    });
    return results;
  }

  /**
   * Whether the list should answer: many uncached IDs asked at once or within the window, and
   * no list asked for within the cache lifetime. That time is kept with the cache, so a restarted
   * worker does not ask again and a cleared cache lets the list answer at once.
   */
  private wantsList(ids: readonly string[], context: Context): boolean {
    const now = this.now();
    if (this.listFlight.current('list')) return true;
    for (const [id, at] of this.recentMisses) if (now - at >= this.tuning.missWindowMs) this.recentMisses.delete(id);
    for (const id of ids) this.recentMisses.set(id, now);
    const askedAt = this.deps.cache.listAskedAt() ?? -Infinity;
    return this.recentMisses.size >= this.tuning.listFillThreshold && now - askedAt >= context.ttlMs;
  }

  private resultOf(id: string, outcome: Outcome, context: Context): LookupResult {
    if ('entry' in outcome) return resultFromEntry(outcome.entry, false);
    if (outcome.serviceWide) return this.fallback(id, context);
    const cached = this.deps.cache.peek(id);
    if (cached && TRANSIENT.has(outcome.error.kind) && usableIfError(cached, this.now())) return resultFromEntry(cached, true);
    return { status: 'error', error: outcome.error };
  }

  /** The answer when the API cannot give one: an old entry marked stale, or nothing known. */
  private fallback(id: string, context: Context): LookupResult {
    const cached = this.deps.cache.peek(id);
    if (!cached || !usableIfError(cached, this.now())) return { status: 'unknown' };
    return resultFromEntry(cached, freshness(cached, this.now(), context.ttlMs) !== 'fresh');
  }

  private fetchOne(id: string, priority: Priority, context: Context, force: boolean): Promise<Outcome> {
    if (priority === 'visible') this.promoters.get(id)?.();
    // A call begun before the cache was emptied is not joined: its answer is what was cleared.
    return this.idFlights.run(`${context.epoch} ${id}`, async () => {
      for (;;) {
        // A list fill under way may answer this ID; it is awaited outside the queue, so its pages get the slots.
        await this.listFlight.current('list')?.catch(() => undefined);
        const known = force ? undefined : this.knownEntry(id, context);
        if (known) return { entry: known };
        const task = this.queue.run(
          // A list fill that started while this call waited for a slot goes first; the call then looks again.
          async () => (this.listFlight.current('list') ? undefined : this.callOne(id, context, force)),
          priority,
        );
        this.promoters.set(id, task.promote);
        try {
          const outcome = await task.promise;
          if (outcome) return outcome;
        } finally {
          this.promoters.delete(id);
        }
      }
    });
  }

  /** A fresh entry, or the "not connected" a fresh complete list implies. */
  private knownEntry(id: string, context: Context): CacheEntry | undefined {
    const { cache } = this.deps;
    const now = this.now();
    const entry = cache.peek(id);
    if (entry && freshness(entry, now, context.ttlMs) === 'fresh') return entry;
    const absent = this.listAbsence(id, context);
    if (!absent) return undefined;
    // The fresh list answers for every ID it lacks. An entry of their own for each would, on a
    // page of thousands of unrelated GUIDs, push the connections out of the bounded cache; an ID
    // the cache already holds is updated, so a connection that went away is announced.
    return entry ? this.store(id, absent, context) : absent;
  }

  /** The "not connected" of an ID a fresh complete list lacks, which has no entry of its own. */
  private listAbsence(id: string, context: Context): CacheEntry | undefined {
    const { cache } = this.deps;
    return cache.listVerdict(id, this.now(), context.ttlMs) === 'absent' ? notConnectedEntry(cache.listFetchedAt() ?? this.now()) : undefined;
  }

  private async callOne(id: string, context: Context, force: boolean): Promise<Outcome> {
    const known = force ? undefined : this.knownEntry(id, context);
    if (known) return { entry: known };
    const refused = await this.admit(context);
    if (refused) return { error: refused, serviceWide: true };
    try {
      const client = await this.deps.clientFor(context.settings);
      const connection = await client.getHostConnection(id, {});
      await this.succeeded(context);
      return { entry: this.store(id, entryFromConnection(connection, this.now()), context) };
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError.kind === 'not_connected') {
        await this.succeeded(context);
        return { entry: this.store(id, notConnectedEntry(this.now()), context) };
      }
      return this.failed(apiError, context);
    }
  }

  /** Stores an entry and announces it when it tells the user something new. */
  private store(id: string, entry: CacheEntry, context: Context): CacheEntry {
    if (this.deps.cache.epoch() !== context.epoch) return entry;
    const previous = this.deps.cache.set(id, entry);
    if (previous && !sameContent(previous, entry)) this.deps.onEntriesChanged({ [id]: resultFromEntry(entry, false) });
    return entry;
  }

  private async admit(context: Context): Promise<ApiErrorInfo | undefined> {
    const admission = await this.deps.breakers.admit(context.origin, this.now());
    if (admission.allowed) return undefined;
    return { kind: 'unavailable', message: 'The API failed repeatedly; calls pause for a while.', retryAt: admission.retryAt };
  }

  private async succeeded(context: Context): Promise<void> {
    await this.deps.breakers.success(context.origin);
    await this.deps.state.report('ready');
  }

  private async failed(error: ApiError, context: Context): Promise<Failure> {
    const info = error.toInfo();
    if (BREAKER_FAILURES.has(error.kind)) await this.deps.breakers.failure(context.origin, this.now());
    else await this.deps.breakers.success(context.origin);
    const stateKind = stateKindForError(error.kind);
    if (stateKind) await this.deps.state.report(stateKind, info);
    // Any other answer from the API (403, 422...) shows it is up and takes these credentials.
    else if (!BREAKER_FAILURES.has(error.kind) && error.kind !== 'rate_limited') await this.deps.state.report('ready');
    return { error: info, serviceWide: stateKind !== undefined };
  }

  /**
   * Fills the cache from the list of all the account's connections, once at a time. An ID the
   * complete list does not hold has no connection.
   */
  private fillFromList(priority: Priority, context: Context): Promise<ListOutcome> {
    return this.listFlight.run('list', () => {
      this.deps.cache.markListAsked(this.now());
      return this.fetchList(priority, context);
    });
  }

  private async fetchList(priority: Priority, context: Context): Promise<ListOutcome> {
    const refused = await this.admit(context);
    if (refused) return { error: refused, serviceWide: true };
    const startedAt = this.now();
    const pageSize = this.tuning.listPageSize;
    const page = (offset: number | undefined) =>
      this.queue.run(async () => {
        const client = await this.deps.clientFor(context.settings);
        const query: ListQuery = offset === undefined ? { statuses: ALL_STATUSES } : { statuses: ALL_STATUSES, limit: pageSize, offset };
        return client.listHostConnections(query, {});
      }, priority).promise;

    let pages: HostConnectionPage[];
    try {
      const first = await page(0).catch(async (error: unknown) => {
        // The endpoint's paging is not documented: a server that refuses limit/offset gets one unpaged call.
        if (error instanceof ApiError && error.kind === 'invalid_request') return page(undefined);
        throw error;
      });
      pages = [first];
      const total = first.total_items;
      if (total > this.tuning.listMaxItems) {
        await this.succeeded(context);
        return 'skipped';
      }
      if (first.items.length < total && first.items.length > 0) {
        const offsets: number[] = [];
        for (let offset = first.items.length; offset < total; offset += first.items.length) offsets.push(offset);
        pages.push(...(await Promise.all(offsets.map((offset) => page(offset)))));
      }
    } catch (error) {
      const failure = await this.failed(toApiError(error), context);
      return failure.serviceWide || LIST_FAILURES_FOR_ALL.has(failure.error.kind) ? failure : 'skipped';
    }
    await this.succeeded(context);

    const ids = new Set<string>();
    for (const connection of pages.flatMap((p) => p.items)) {
      ids.add(connection.host_organization_id);
      this.store(connection.host_organization_id, entryFromConnection(connection, startedAt), context);
    }
    // A server that ignores offset repeats a page; the list then falls short and proves no absence.
    const current = this.deps.cache.epoch() === context.epoch;
    if (current && ids.size >= (pages[0]?.total_items ?? Infinity)) this.deps.cache.setList(startedAt, ids);
    return 'done';
  }

  /** One list call of a single item: does the API answer these credentials, and how many connections they see. */
  async testConnection(): Promise<{ ok: true; totalConnections: number } | { ok: false; error: ApiErrorInfo }> {
    const context = await this.context();
    try {
      const client = await this.deps.clientFor(context.settings);
      const page = await client
        .listHostConnections({ statuses: ALL_STATUSES, limit: 1, offset: 0 }, {})
        .catch((error: unknown) => {
          if (error instanceof ApiError && error.kind === 'invalid_request') return client.listHostConnections({ statuses: ALL_STATUSES }, {});
          throw error;
        });
      await this.succeeded(context);
      return { ok: true, totalConnections: page.total_items };
    } catch (error) {
      const apiError = toApiError(error);
      await this.failed(apiError, context);
      return { ok: false, error: apiError.toInfo() };
    }
  }

  /**
   * One small call, through the circuit breaker, to see whether the API is back after an outage.
   * Resolves to whether the service is ready now.
   */
  async probe(): Promise<boolean> {
    const context = await this.context();
    if (await this.admit(context)) return false;
    try {
      const client = await this.deps.clientFor(context.settings);
      await client.listHostConnections({ statuses: ALL_STATUSES, limit: 1, offset: 0 }, {});
      await this.succeeded(context);
    } catch (error) {
      await this.failed(toApiError(error), context);
    }
    return (await this.deps.state.kind()) === 'ready';
  }

  /** Cached results without calling the API (for the popup's list of a tab's IDs). */
  async peek(ids: readonly string[]): Promise<Record<string, LookupResult>> {
    const context = await this.context();
    const results: Record<string, LookupResult> = {};
    for (const id of ids) {
      const entry = this.deps.cache.peek(id) ?? this.listAbsence(id, context);
      results[id] = entry ? resultFromEntry(entry, freshness(entry, this.now(), context.ttlMs) === 'expired') : { status: 'unknown' };
    }
    return results;
  }
}
