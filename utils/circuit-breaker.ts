import { z } from './zod';

/**
 * The gate in front of one API origin, as plain data and pure transitions, so its state can live
 * in `storage.session` and survive the worker being stopped. Every time the extension waits for
 * the API is decided here and read from here (the recovery timer, the alarm, the "tries again at"
 * the user is shown), so nothing else keeps a clock of its own that could race it.
 *
 * closed: calls go through; consecutive failures are counted.
 * open: no calls until `openUntil`, when one probe may go; a lookup a page asks for may send its
 *   probe sooner, once `onDemandGapMs` has passed since the last one.
 * half_open: one probe is under way; its outcome closes the circuit or opens it again, for longer.
 * A rate limit (429) pauses every call until `pausedUntil`, whatever the phase.
 */
export const breakerStateSchema = z.object({
  phase: z.enum(['closed', 'open', 'half_open']),
  failures: z.number().int().min(0),
  openUntil: z.number().optional(),
  probeStartedAt: z.number().optional(),
  /** Probes that failed in a row since the circuit opened: the exponent of the next wait. */
  reopened: z.number().int().min(0).optional(),
  lastProbeAt: z.number().optional(),
  pausedUntil: z.number().optional(),
  /** Rate limits in a row: the exponent of a pause the server did not name. */
  pauses: z.number().int().min(0).optional(),
});
export type BreakerState = z.infer<typeof breakerStateSchema>;

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  threshold: number;
  /** The wait before the first probe; it doubles with each failed probe, up to `maxWaitMs`. */
  firstWaitMs: number;
  maxWaitMs: number;
  /** A probe not reported back within this time (the worker died mid-call) is given up. */
  probeTimeoutMs: number;
  /** How soon after a probe a page's own lookup may probe again, whatever the wait. */
  onDemandGapMs: number;
}

// One call that still fails after the API client's own retries says the API is down: from then
// on one probe at a time asks, on a wait that doubles. A page left open heals within the longest
// wait plus one call; a reload probes at once (see onDemandGapMs). Chrome stops timers with the
// worker: the alarm that backs them up fires no sooner than 30 s, so these waits hold while the
// worker lives.
export const DEFAULT_BREAKER_OPTIONS: BreakerOptions = {
  threshold: 1,
  firstWaitMs: 1000,
  maxWaitMs: 10_000,
  probeTimeoutMs: 15_000,
  onDemandGapMs: 3000,
};

export const CLOSED: BreakerState = { phase: 'closed', failures: 0 };

/**
 * The n-th wait (n from 0): `firstWaitMs * 2^n`, capped, with "equal jitter" (half of it fixed,
 * half random), so browsers that lost the API together do not all come back in the same second.
 */
export function backoffWait(n: number, options: BreakerOptions, random: () => number): number {
  const ceiling = Math.min(options.maxWaitMs, options.firstWaitMs * 2 ** Math.min(Math.max(n, 0), 30));
  const r = random();
  const fraction = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.round(ceiling / 2 + (fraction * ceiling) / 2);
}

export type Admission =
  | { allowed: true; state: BreakerState; probe: boolean }
  | { allowed: false; state: BreakerState; retryAt: number; reason: 'paused' | 'open' | 'probing' };

/**
 * Whether a call may go out now, and the state after letting it (or not). A call let through an
 * open circuit is its probe (`probe: true`). `onDemand`: a page asked, so a probe may go early.
 * `byPerson`: someone asked in the popup or the options, which a rate limit's pause does not hold.
 */
export function admit(
  state: BreakerState,
  now: number,
  options: BreakerOptions = DEFAULT_BREAKER_OPTIONS,
  onDemand = false,
  byPerson = false,
): Admission {
  if (!byPerson && state.pausedUntil !== undefined && now < state.pausedUntil) {
    return { allowed: false, state, retryAt: state.pausedUntil, reason: 'paused' };
  }
  switch (state.phase) {
    case 'closed':
      return { allowed: true, state, probe: false };
    case 'open': {
      const openUntil = state.openUntil ?? now;
      const early = onDemand && now - (state.lastProbeAt ?? -Infinity) >= options.onDemandGapMs;
      if (now < openUntil && !early) return { allowed: false, state, retryAt: openUntil, reason: 'open' };
      return { allowed: true, probe: true, state: { ...state, phase: 'half_open', probeStartedAt: now, lastProbeAt: now } };
    }
    case 'half_open': {
      const started = state.probeStartedAt ?? 0;
      if (now - started < options.probeTimeoutMs) return { allowed: false, state, retryAt: started + options.probeTimeoutMs, reason: 'probing' };
      return { allowed: true, probe: true, state: { ...state, probeStartedAt: now, lastProbeAt: now } };
    }
  }
}

/** The API answered: the circuit closes and any pause ends. */
export function recordSuccess(): BreakerState {
  return CLOSED;
}

/**
 * A call failed in a way that says the API is down. Failures of calls that went out before the
 * circuit opened change nothing; a failed probe opens it again for twice as long.
 */
export function recordFailure(
  state: BreakerState,
  now: number,
  options: BreakerOptions = DEFAULT_BREAKER_OPTIONS,
  random: () => number = Math.random,
): BreakerState {
  const failures = state.failures + 1;
  switch (state.phase) {
    case 'open':
      return state;
    case 'half_open': {
      const reopened = (state.reopened ?? 0) + 1;
      return { ...state, phase: 'open', failures, reopened, openUntil: now + backoffWait(reopened, options, random), probeStartedAt: undefined };
    }
    case 'closed':
      if (failures < options.threshold) return { ...state, failures };
      // The failure that opens it counts as the last probe: a page's lookup does not probe again at once.
      return { ...state, phase: 'open', failures, reopened: 0, openUntil: now + backoffWait(0, options, random), lastProbeAt: now };
  }
}

/**
 * The API asked to slow down: every call waits until `retryAt` (its Retry-After), or, when it
 * named no time, for a wait that doubles with each 429 in a row.
 */
export function recordRateLimit(
  state: BreakerState,
  now: number,
  retryAt: number | undefined,
  options: BreakerOptions = DEFAULT_BREAKER_OPTIONS,
  random: () => number = Math.random,
): BreakerState {
  const pauses = (state.pauses ?? 0) + 1;
  const until = retryAt ?? now + backoffWait(pauses - 1, options, random);
  return { ...state, pauses, pausedUntil: Math.max(state.pausedUntil ?? 0, until) };
}

/** A probe that was under way when the worker stopped has no one left to report it: the circuit is open again, a probe due. */
export function afterRestart(state: BreakerState): BreakerState {
  if (state.phase !== 'half_open') return state;
  return { ...state, phase: 'open', openUntil: state.probeStartedAt ?? 0, probeStartedAt: undefined };
}

/** When calls may go again: the end of a pause, the next probe, or the end of a probe's time; none when closed. */
export function nextAttemptAt(state: BreakerState, now: number, options: BreakerOptions = DEFAULT_BREAKER_OPTIONS): number | undefined {
  const paused = state.pausedUntil !== undefined && state.pausedUntil > now ? state.pausedUntil : undefined;
  const phaseAt =
    state.phase === 'open' ? (state.openUntil ?? now) : state.phase === 'half_open' ? (state.probeStartedAt ?? now) + options.probeTimeoutMs : undefined;
  if (paused === undefined) return phaseAt;
  return phaseAt === undefined ? paused : Math.max(paused, phaseAt);
}
