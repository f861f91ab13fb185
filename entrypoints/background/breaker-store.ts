import {
  admit,
  afterRestart,
  breakerStateSchema,
  CLOSED,
  DEFAULT_BREAKER_OPTIONS,
  nextAttemptAt,
  recordFailure,
  recordRateLimit,
  recordSuccess,
  type Admission,
  type BreakerOptions,
  type BreakerState,
} from '@/utils/circuit-breaker';
import { z } from '@/utils/zod';
import { SessionMirror } from './session-mirror';

const storedSchema = z.record(z.string(), breakerStateSchema);

function load(raw: unknown): Record<string, BreakerState> {
  const stored = storedSchema.safeParse(raw).data ?? {};
  return Object.fromEntries(Object.entries(stored).map(([origin, state]) => [origin, afterRestart(state)]));
}

/**
 * One circuit breaker per API origin, its state in `storage.session`. `onChange` hears every
 * change, so whatever waits on the breaker's times (the recovery timer and alarm) follows it.
 */
export class BreakerStore {
  private readonly mirror = new SessionMirror<Record<string, BreakerState>>({ key: 'session:breakers', load, save: (value) => value });

  constructor(
    readonly options: BreakerOptions = DEFAULT_BREAKER_OPTIONS,
    private readonly onChange: () => void = () => {},
    private readonly random: () => number = Math.random,
  ) {}

  async admit(origin: string, now = Date.now(), onDemand = false, byPerson = false): Promise<Admission> {
    const all = await this.mirror.get();
    // From here to the return nothing awaits, so two callers cannot both take the one probe.
    const current = this.mirror.peek() ?? all;
    const before = current[origin] ?? CLOSED;
    const admission = admit(before, now, this.options, onDemand, byPerson);
    if (admission.state !== before) this.set(current, origin, admission.state);
    return admission;
  }

  async success(origin: string): Promise<void> {
    const all = await this.mirror.get();
    const state = all[origin];
    if (!state || (state.phase === 'closed' && state.failures === 0 && state.pausedUntil === undefined)) return;
    this.set(all, origin, recordSuccess());
  }

  async failure(origin: string, now = Date.now()): Promise<void> {
    const all = await this.mirror.get();
    const before = all[origin] ?? CLOSED;
    const after = recordFailure(before, now, this.options, this.random);
    if (after !== before) this.set(all, origin, after);
  }

  async rateLimited(origin: string, now: number, retryAt: number | undefined): Promise<void> {
    const all = await this.mirror.get();
    this.set(all, origin, recordRateLimit(all[origin] ?? CLOSED, now, retryAt, this.options, this.random));
  }

  async state(origin: string): Promise<BreakerState> {
    return (await this.mirror.get())[origin] ?? CLOSED;
  }

  /** When a rate limit's pause of calls to `origin` ends; undefined when there is none. */
  async pausedUntil(origin: string, now = Date.now()): Promise<number | undefined> {
    const { pausedUntil } = await this.state(origin);
    return pausedUntil !== undefined && pausedUntil > now ? pausedUntil : undefined;
  }

  /** When calls to `origin` may go again; undefined when they may now. */
  async nextAttemptAt(origin: string, now = Date.now()): Promise<number | undefined> {
    return nextAttemptAt(await this.state(origin), now, this.options);
  }

  private set(all: Record<string, BreakerState>, origin: string, state: BreakerState): void {
    this.mirror.replace({ ...all, [origin]: state });
    this.onChange();
  }
}
