import { ApiError, forbiddenCause, type ApiErrorInfo, type ErrorKind } from '@/utils/api-error';
import type { HostConnection, HostConnectionPage, ListQuery, RejectedItem } from '@/utils/api-schemas';
import {
  entryFromConnection,
  errorEntry,
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
import { ApiGate } from './api-gate';
import type { BreakerStore } from './breaker-store';
import type { CacheStore } from './cache-store';
import { ForbiddenStreak } from './forbidden-streak';
import { listQuery, readList } from './list-fill';
import { blocksCalls, stateKindForError, waitsForApi, type ServiceStateStore } from './service-state';

/** The two calls the lookup service makes (the API client's). */
export interface LookupApi {
  getHostConnection(id: string, options: { signal?: AbortSignal; attempts?: number }): Promise<HostConnection>;
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
  /** Whether the frame that asked (LookupOptions.asker) is gone: a call only it waited for is not made. */
  isGone?(asker: string): boolean;
  now?: () => number;
  /** The ID a probe asks about: a new random one each time by default (see `probe`). */
  probeId?: () => string;
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

export const DEFAULT_TUNING: LookupTuning = {
  concurrency: 4,
  listFillThreshold: 20,
  missWindowMs: 2000,
  listPageSize: 100,
  listMaxItems: 5000,
};

export interface LookupOptions {
  /** Skip the cache and the list: ask the API. */
  refresh?: boolean;
  /**
   * Of the IDs that would each take a call of their own, those the asker may cause; the rest are
   * answered from what the cache and the list know, or as unknown.
   */
  admitCalls?(ids: string[]): Promise<string[]>;
  /** The frame that asked (its tab and frame); absent for the extension's own pages, whose asks are never dropped. */
  asker?: string;
  /** Someone asked in the popup or the options: a rate limit's pause, meant for pages, does not hold it. */
  byPerson?: boolean;
}

/** Failures that say the API or the way to it is down: they count against the circuit breaker. */
const BREAKER_FAILURES: ReadonlySet<ErrorKind> = new Set(['network', 'timeout', 'unavailable']);

/** List failures after which single calls would fail the same way, only many times over. */
const LIST_FAILURES_FOR_ALL: ReadonlySet<ErrorKind> = new Set([...BREAKER_FAILURES, 'rate_limited']);

type Failure = { error: ApiErrorInfo; serviceWide: boolean };
/** Nobody who asked is left to see the answer. */
const DROPPED = { dropped: true } as const;
type Outcome = { entry: CacheEntry } | Failure | typeof DROPPED;

/** The state or the circuit breaker holds calls back: answered from cache or as unknown. */
const HELD_BACK: Failure = {
  error: { kind: 'unavailable', message: 'Calls to the API are held back for now; see the service state.' },
  serviceWide: true,
};

/**
 * done: the cache holds what the list told; skipped: single calls must do (the list is too long,
 * or this account may not read it); a failure: the API cannot be asked now, by list or one by one.
 */
type ListOutcome = 'done' | 'skipped' | Failure;

/** The asker of the extension's own pages: never gone. */
const ANYONE = '';

/** One ID being asked for: who waits for it, and how to move it up the queue. */
interface Flight {
  promise: Promise<Outcome>;
  askers: Set<string>;
  visible: boolean;
  byPerson: boolean;
  promote?: () => void;
}

class HeldBack extends Error {}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError({ kind: 'network', message: error instanceof Error ? error.message : String(error) });
}

export function apiOrigin(settings: Settings): string {
  try {
    return new URL(settings.baseUrl).origin;
  } catch {
    return settings.baseUrl;
  }
}

function malformedItemError(item: RejectedItem): ApiErrorInfo {
  return {
    kind: 'invalid_response',
    message: "The API's list sent this organization's connection in a shape that does not fit its schema.",
    details: item.details,
  };
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
 * per ID at a time whatever the number of askers, IDs in view first, a few calls in flight, the
 * list endpoint instead of many single calls, nothing for frames that are gone, and every call
 * through the circuit breaker of its API origin (ApiGate).
 */
export class LookupService {
  private readonly queue: PriorityQueue;
  private readonly flights = new Map<string, Flight>();
  private readonly listFlight = new SingleFlight<ListOutcome>();
  /** Promotes the list's queued pages: an ID in view waits for them. */
  private readonly listPromoters = new Set<() => void>();
  /** Uncached IDs asked lately, by when; distinct, so tabs asking the same IDs count them once. */
  private readonly recentMisses = new Map<string, number>();
  private readonly forbidden = new ForbiddenStreak();
  private readonly gate: ApiGate;
  private readonly tuning: LookupTuning;

  constructor(
    private readonly deps: LookupServiceDeps,
    tuning: Partial<LookupTuning> = {},
  ) {
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
    this.queue = new PriorityQueue(this.tuning.concurrency);
    this.gate = new ApiGate({ breakers: deps.breakers, now: () => this.now(), probe: () => this.probe() });
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
      this.fetchMany(revalidate, 'idle', context, {}).catch((error: unknown) => console.warn('Revalidation failed', error));
    }
    if (missing.length > 0) Object.assign(results, await this.fetchMany(missing, priority, context, options));
    await cache.flush();
    return results;
  }

  /** Fetches IDs the cache cannot answer: through the list when there are many, else one by one. */
  private async fetchMany(ids: string[], priority: Priority, context: Context, options: LookupOptions): Promise<Record<string, LookupResult>> {
    const results: Record<string, LookupResult> = {};
    // A page asked: while the breaker is open, this may be the moment to see whether the API is back.
    if (!(await this.mayCall(context, true, options.byPerson))) {
      for (const id of ids) results[id] = this.fallback(id, context);
      return results;
    }

    let remaining = ids;
    if (!options.refresh && (await this.wantsList(ids, context))) {
      if (priority === 'visible') this.promoteList();
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
    const outcomes = await Promise.all(remaining.map((id) => this.fetchOne(id, priority, context, options)));
    remaining.forEach((id, index) => {
      results[id] = this.resultOf(id, outcomes[index]!, context);
    });
    return results;
  }

  /**
   * Whether the list should answer: many uncached IDs asked at once or within the window, and
   * no list asked for within the cache lifetime. That time is kept with the cache, so a restarted
   * worker does not ask again and a cleared cache lets the list answer at once. The list is read
   * only from an API that has been answering: Chrome holds back an extension's requests to a URL
   * that answered 5xx again and again, and every later fill needs that one URL.
   */
  private async wantsList(ids: readonly string[], context: Context): Promise<boolean> {
    const now = this.now();
    if (this.listFlight.current('list')) return true;
    for (const [id, at] of this.recentMisses) if (now - at >= this.tuning.missWindowMs) this.recentMisses.delete(id);
    for (const id of ids) this.recentMisses.set(id, now);
    const askedAt = this.deps.cache.listAskedAt() ?? -Infinity;
    if (this.recentMisses.size < this.tuning.listFillThreshold || now - askedAt < context.ttlMs) return false;
    const breaker = await this.deps.breakers.state(context.origin);
    return breaker.phase === 'closed' && breaker.failures === 0;
  }

  private resultOf(id: string, outcome: Outcome, context: Context): LookupResult {
    if ('dropped' in outcome) return { status: 'unknown' };
    if ('entry' in outcome) return resultFromEntry(outcome.entry, false);
    if (outcome.serviceWide) return this.fallback(id, context);
    return { status: 'error', error: outcome.error };
  }

  /** The answer when the API cannot give one: an old entry marked stale, or nothing known. */
  private fallback(id: string, context: Context): LookupResult {
    const cached = this.deps.cache.peek(id);
    if (!cached || !usableIfError(cached, this.now())) return { status: 'unknown' };
    return resultFromEntry(cached, freshness(cached, this.now(), context.ttlMs) !== 'fresh');
  }

  private isGone(asker: string): boolean {
    return asker !== ANYONE && (this.deps.isGone?.(asker) ?? false);
  }

  /** Every frame that asked for it is gone. */
  private abandoned(flight: Flight): boolean {
    for (const asker of flight.askers) if (!this.isGone(asker)) return false;
    return flight.askers.size > 0;
  }

  /** The flight of `key`, started by `start` unless one is under way; askers join it right after. */
  private join(key: string, start: (flight: Flight) => Promise<Outcome>): Flight {
    const current = this.flights.get(key);
    if (current) return current;
    const flight = { askers: new Set<string>(), visible: false, byPerson: false } as unknown as Flight;
    flight.promise = Promise.resolve()
      .then(() => start(flight))
      .finally(() => {
        if (this.flights.get(key) === flight) this.flights.delete(key);
      });
    this.flights.set(key, flight);
    return flight;
  }

  /** Moves what an ID in view waits for to the front of the queue. */
  private promoteList(): void {
    for (const promote of this.listPromoters) promote();
  }

  private async fetchOne(id: string, priority: Priority, context: Context, options: LookupOptions): Promise<Outcome> {
    const asker = options.asker ?? ANYONE;
    // A call begun before the cache was emptied is not joined: its answer is what was cleared.
    const key = `${context.epoch} ${id}`;
    for (;;) {
      const flight = this.join(key, (started) => this.fly(id, started, context, options.refresh === true));
      flight.askers.add(asker);
      if (options.byPerson) flight.byPerson = true;
      if (priority === 'visible') {
        flight.visible = true;
        flight.promote?.();
        this.promoteList();
      }
      const outcome = await flight.promise;
      // Dropped for frames that left, yet this asker is still here (it joined late): ask again.
      if (!('dropped' in outcome) || this.isGone(asker)) return outcome;
    }
  }

  private async fly(id: string, flight: Flight, context: Context, force: boolean): Promise<Outcome> {
    for (;;) {
      // A list fill under way may answer this ID; it is awaited outside the queue, so its pages get the slots.
      await this.listFlight.current('list')?.catch(() => undefined);
      const known = force ? undefined : this.knownEntry(id, context);
      if (known) return { entry: known };
      if (this.abandoned(flight)) return DROPPED;
      const task = this.queue.run(
        // A list fill that started while this call waited for a slot goes first; the call then
        // looks again. The frames that asked may have gone while it waited.
        async () => (this.listFlight.current('list') ? undefined : this.abandoned(flight) ? DROPPED : this.callOne(id, context, force, flight.byPerson)),
        flight.visible ? 'visible' : 'idle',
      );
      flight.promote = task.promote;
      try {
        const outcome = await task.promise;
        if (outcome) return outcome;
      } finally {
        flight.promote = undefined;
      }
    }
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

  /**
   * Whether a call may go now: the state does not wait for the user, and the circuit breaker lets
   * it. A person's one call goes without a probe first: it is as good a probe as any.
   */
  private async mayCall(context: Context, onDemand: boolean, byPerson = false): Promise<boolean> {
    const kind = await this.deps.state.kind();
    if (blocksCalls(kind)) return false;
    return this.gate.open(context.origin, { onDemand, probeFirst: waitsForApi(kind) && !byPerson, byPerson });
  }

  private async callOne(id: string, context: Context, force: boolean, byPerson: boolean): Promise<Outcome> {
    const known = force ? undefined : this.knownEntry(id, context);
    if (known) return { entry: known };
    if (!(await this.mayCall(context, false, byPerson))) return HELD_BACK;
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
      return this.failed(apiError, context, { id });
    }
  }

  /** Stores an entry and announces it when it tells the user something new. */
  private store(id: string, entry: CacheEntry, context: Context): CacheEntry {
    if (this.deps.cache.epoch() !== context.epoch) return entry;
    const previous = this.deps.cache.set(id, entry);
    if (previous && !sameContent(previous, entry)) this.deps.onEntriesChanged({ [id]: resultFromEntry(entry, false) });
    return entry;
  }

  private async succeeded(context: Context): Promise<void> {
    this.forbidden.clear();
    await this.deps.breakers.success(context.origin);
    await this.deps.state.report('ready');
  }

  /**
   * Records a failed call: against the breaker when the API seems down, as a pause when it asks
   * to slow down, and as the service's state when it concerns every ID.
   */
  private async failed(error: ApiError, context: Context, scope: { id?: string; list?: boolean }): Promise<Failure> {
    const info = error.toInfo();
    if (BREAKER_FAILURES.has(error.kind)) await this.deps.breakers.failure(context.origin, this.now());
    else if (error.kind === 'rate_limited') await this.deps.breakers.rateLimited(context.origin, this.now(), info.retryAt);
    // Any other answer from the API (401, 403, 422...) shows it is up.
    else await this.deps.breakers.success(context.origin);
    if (error.kind !== 'forbidden') this.forbidden.clear();
    const stateKind = error.kind === 'forbidden' ? (this.forbiddenForAll(info, scope) ? 'forbidden' : undefined) : stateKindForError(error.kind);
    if (stateKind) await this.deps.state.report(stateKind, info);
    else await this.deps.state.report('ready');
    return { error: info, serviceWide: stateKind !== undefined };
  }

  /** A 403 concerns every ID when the list got it, when its code names the requester, target or credentials, or when several IDs got it in a row. */
  private forbiddenForAll(info: ApiErrorInfo, scope: { id?: string; list?: boolean }): boolean {
    if (scope.list || forbiddenCause(info)) return true;
    return scope.id !== undefined && this.forbidden.add(scope.id, info);
  }

  /**
   * Fills the cache from the list of all the account's connections, once at a time. An ID the
   * complete list does not hold has no connection.
   */
  private fillFromList(priority: Priority, context: Context): Promise<ListOutcome> {
    return this.listFlight.run('list', async () => {
      this.deps.cache.markListAsked(this.now());
      const outcome = await this.fetchList(priority, context);
      // A list the API could not send now is asked for again as soon as it answers.
      if (typeof outcome === 'object') this.deps.cache.markListAsked(undefined);
      return outcome;
    });
  }

  private async fetchList(priority: Priority, context: Context): Promise<ListOutcome> {
    const startedAt = this.now();
    const page = (query: ListQuery) => {
      const task = this.queue.run(async () => {
        if (!(await this.mayCall(context, false))) throw new HeldBack();
        const client = await this.deps.clientFor(context.settings);
        return client.listHostConnections(query, {});
      }, priority);
      this.listPromoters.add(task.promote);
      return task.promise.finally(() => this.listPromoters.delete(task.promote));
    };

    let contents: Awaited<ReturnType<typeof readList>>;
    try {
      contents = await readList(page, this.tuning.listPageSize, this.tuning.listMaxItems);
    } catch (error) {
      if (error instanceof HeldBack) return HELD_BACK;
      const failure = await this.failed(toApiError(error), context, { list: true });
      return failure.serviceWide || LIST_FAILURES_FOR_ALL.has(failure.error.kind) ? failure : 'skipped';
    }
    await this.succeeded(context);
    if (!contents) return 'skipped';

    for (const connection of contents.connections) {
      this.store(connection.host_organization_id, entryFromConnection(connection, startedAt), context);
    }
    // A record that does not fit the schema is that organization's error; the rest of the list stands.
    for (const item of contents.rejected) if (item.hostOrgId) this.store(item.hostOrgId, errorEntry(malformedItemError(item), startedAt), context);
    if (contents.complete && this.deps.cache.epoch() === context.epoch) this.deps.cache.setList(startedAt, contents.ids);
    return 'done';
  }

  /** One list call of a single item: does the API answer these credentials, and how many connections they see. */
  async testConnection(): Promise<{ ok: true; totalConnections: number } | { ok: false; error: ApiErrorInfo }> {
    const context = await this.context();
    try {
      const client = await this.deps.clientFor(context.settings);
      const page = await client.listHostConnections(listQuery(0, 1), {}).catch((error: unknown) => {
        if (error instanceof ApiError && error.kind === 'invalid_request') return client.listHostConnections(listQuery(undefined, 1), {});
        throw error;
      });
      await this.succeeded(context);
      return { ok: true, totalConnections: page.total_items };
    } catch (error) {
      const apiError = toApiError(error);
      await this.failed(apiError, context, { list: true });
      return { ok: false, error: apiError.toInfo() };
    }
  }

  /**
   * One call, made once (no retries), to see whether the API answers; resolves to whether the
   * service is ready now. It asks for a new made-up ID each time: Chrome holds back an
   * extension's requests to a URL that kept answering 5xx, for longer each time, and a URL never
   * asked before is not held back, so the first probe after the API is back reaches it. The
   * answer (404) tells only that the API is up.
   */
  async probe(): Promise<boolean> {
    const context = await this.context();
    try {
      const client = await this.deps.clientFor(context.settings);
      await client.getHostConnection(this.deps.probeId?.() ?? crypto.randomUUID(), { attempts: 1 });
      await this.succeeded(context);
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError.kind === 'not_connected') await this.succeeded(context);
      else await this.failed(apiError, context, {});
    }
    return (await this.deps.state.kind()) === 'ready';
  }

  /** The breaker's time came (the recovery timer or alarm): a probe, if the service still waits for the API. */
  async recover(): Promise<void> {
    if (!waitsForApi(await this.deps.state.kind())) return;
    const context = await this.context();
    await this.gate.recover(context.origin);
  }

  /** When the pause a rate limit put on the pages' calls ends, if one holds them now. */
  async pausedUntil(): Promise<number | undefined> {
    const settings = await this.deps.loadSettings();
    return this.deps.breakers.pausedUntil(apiOrigin(settings), this.now());
  }

  /** When the breaker lets calls go again, if it holds them back now. */
  async retryAt(): Promise<number | undefined> {
    const settings = await this.deps.loadSettings();
    return this.deps.breakers.nextAttemptAt(apiOrigin(settings), this.now());
  }

  /**
   * When to call `recover`: the breaker's time, or, when the service waits for the API while the
   * breaker has not opened (too few failures yet), its first wait from now. Undefined: nothing to wait for.
   */
  async nextAttemptAt(): Promise<number | undefined> {
    if (!waitsForApi(await this.deps.state.kind())) return undefined;
    return (await this.retryAt()) ?? this.now() + this.deps.breakers.options.firstWaitMs;
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
