import { z } from './zod';

/**
 * A circuit breaker as plain data and pure transitions, so its state can live in
 * `storage.session` and survive the worker being stopped.
 *
 * closed: calls go through; consecutive failures are counted.
 * open: no calls until `openUntil`; answers come from cache.
 * half_open: one probe call is let through; its outcome closes or reopens the circuit.
 */
export const breakerStateSchema = z.object({
  phase: z.enum(['closed', 'open', 'half_open']),
  failures: z.number().int().min(0),
  openUntil: z.number().optional(),
  probeStartedAt: z.number().optional(),
});
export type BreakerState = z.infer<typeof breakerStateSchema>;

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  threshold: number;
  cooldownMs: number;
  /** A probe not reported back within this time (the worker died mid-call) is given up. */
  probeTimeoutMs: number;
}

export const DEFAULT_BREAKER_OPTIONS: BreakerOptions = { threshold: 5, cooldownMs: 30_000, probeTimeoutMs: 60_000 };

export const CLOSED: BreakerState = { phase: 'closed', failures: 0 };

export type Admission = { allowed: true; state: BreakerState } | { allowed: false; state: BreakerState; retryAt: number };

/** Whether a call may go out now, and the state after letting it (or not). */
export function admit(state: BreakerState, now: number, options: BreakerOptions = DEFAULT_BREAKER_OPTIONS): Admission {
  switch (state.phase) {
    case 'closed':
      return { allowed: true, state };
    case 'open': {
      const openUntil = state.openUntil ?? now;
      if (now < openUntil) return { allowed: false, state, retryAt: openUntil };
      return { allowed: true, state: { phase: 'half_open', failures: state.failures, probeStartedAt: now } };
    }
    case 'half_open': {
      const started = state.probeStartedAt ?? 0;
      if (now - started < options.probeTimeoutMs) return { allowed: false, state, retryAt: started + options.probeTimeoutMs };
      return { allowed: true, state: { ...state, probeStartedAt: now } };
    }
  }
}

export function recordSuccess(): BreakerState {
  return CLOSED;
}

export function recordFailure(state: BreakerState, now: number, options: BreakerOptions = DEFAULT_BREAKER_OPTIONS): BreakerState {
  const failures = state.failures + 1;
  if (state.phase === 'half_open' || state.phase === 'open' || failures >= options.threshold) {
    return { phase: 'open', failures, openUntil: now + options.cooldownMs };
  }
  return { phase: 'closed', failures };
}
