import { describe, expect, it } from 'vitest';
import {
  admit,
  afterRestart,
  backoffWait,
  CLOSED,
  nextAttemptAt,
  recordFailure,
  recordRateLimit,
  recordSuccess,
  type BreakerOptions,
  type BreakerState,
} from '@/utils/circuit-breaker';

const options: BreakerOptions = { threshold: 3, firstWaitMs: 1000, maxWaitMs: 10_000, probeTimeoutMs: 15_000, onDemandGapMs: 3000 };
/** Jitter at its top: each wait is its whole ceiling. */
const top = () => 0.999999;

function failTimes(n: number, now = 0, state = CLOSED): BreakerState {
  for (let i = 0; i < n; i++) state = recordFailure(state, now, options, top);
  return state;
}

/** Lets the probe through when it is due and fails it: the circuit opens again. */
function failProbe(state: BreakerState): BreakerState {
  const at = state.openUntil!;
  const probe = admit(state, at, options);
  expect(probe).toMatchObject({ allowed: true, probe: true });
  return recordFailure(probe.state, at, options, top);
}

describe('circuit breaker', () => {
  it('stays closed below the threshold and opens at it, for the first wait', () => {
    expect(failTimes(2)).toEqual({ phase: 'closed', failures: 2 });
    expect(admit(failTimes(2), 0, options)).toMatchObject({ allowed: true, probe: false });
    const open = failTimes(3, 1000);
    expect(open).toMatchObject({ phase: 'open', openUntil: 2000 });
    expect(admit(open, 1999, options)).toMatchObject({ allowed: false, retryAt: 2000, reason: 'open' });
  });

  it('a success closes it at once, whatever the phase', () => {
    expect(recordFailure(recordSuccess(), 0, options)).toEqual({ phase: 'closed', failures: 1 });
    const probing = admit(failTimes(3), 1000, options).state;
    expect(probing.phase).toBe('half_open');
    expect(recordSuccess()).toEqual(CLOSED);
  });

  it('lets exactly one probe through when its time comes', () => {
    const probe = admit(failTimes(3, 0), 1000, options);
    expect(probe).toMatchObject({ allowed: true, probe: true, state: { phase: 'half_open', probeStartedAt: 1000 } });
    expect(admit(probe.state, 1001, options)).toMatchObject({ allowed: false, reason: 'probing' });
  });

  it('waits twice as long after each failed probe, up to the cap', () => {
    let state = failTimes(3, 0);
    const waits: number[] = [state.openUntil! - 0];
    for (let i = 0; i < 6; i++) {
      const before = state.openUntil!;
      state = failProbe(state);
      waits.push(state.openUntil! - before);
    }
    expect(waits.map((w) => Math.round(w / 1000))).toEqual([1, 2, 4, 8, 10, 10, 10]);
  });

  it('jitters each wait within its upper half, so browsers that lost the API together come back apart', () => {
    for (let n = 0; n < 8; n++) {
      const ceiling = Math.min(10_000, 1000 * 2 ** n);
      expect(backoffWait(n, options, () => 0)).toBe(ceiling / 2);
      expect(backoffWait(n, options, () => 0.5)).toBe(ceiling * 0.75);
      expect(backoffWait(n, options, () => Number.NaN)).toBe(ceiling / 2);
    }
  });

  it('is not pushed back by calls that went out before it opened and fail late', () => {
    const open = failTimes(3, 0);
    expect(recordFailure(open, 900, options, top)).toBe(open);
  });

  it('lets a page probe before the wait ends, once the last probe is old enough', () => {
    let state = failTimes(3, 0);
    for (let i = 0; i < 4; i++) state = failProbe(state);
    const last = state.lastProbeAt!;
    expect(admit(state, last + 2999, options, true)).toMatchObject({ allowed: false, reason: 'open' });
    expect(admit(state, last + 2999, options, false)).toMatchObject({ allowed: false });
    expect(admit(state, last + 3000, options, true)).toMatchObject({ allowed: true, probe: true });
    expect(admit(state, last + 3000, options, false)).toMatchObject({ allowed: false });
  });

  it('gives up a probe that never reported back', () => {
    const probing = admit(failTimes(3, 0), 1000, options).state;
    expect(admit(probing, 1000 + 14_999, options).allowed).toBe(false);
    expect(admit(probing, 1000 + 15_000, options)).toMatchObject({ allowed: true, probe: true });
    expect(nextAttemptAt(probing, 1000, options)).toBe(16_000);
  });

  it('after a restart, a probe that was under way is due again at once', () => {
    const probing = admit(failTimes(3, 0), 1000, options).state;
    const restarted = afterRestart(probing);
    expect(restarted).toMatchObject({ phase: 'open', openUntil: 1000 });
    expect(admit(restarted, 1000, options)).toMatchObject({ allowed: true, probe: true });
    expect(afterRestart(CLOSED)).toBe(CLOSED);
  });

  it('pauses every call for a rate limit: until its Retry-After, or for a doubling wait', () => {
    const paused = recordRateLimit(CLOSED, 0, 5000, options, top);
    expect(admit(paused, 4999, options, true)).toMatchObject({ allowed: false, reason: 'paused', retryAt: 5000 });
    expect(admit(paused, 5000, options)).toMatchObject({ allowed: true, probe: false });
    expect(nextAttemptAt(paused, 0, options)).toBe(5000);
    const again = recordRateLimit(recordRateLimit(CLOSED, 0, undefined, options, top), 0, undefined, options, top);
    expect(again.pausedUntil).toBe(2000);
    expect(recordSuccess().pausedUntil).toBeUndefined();
  });

  it('names the next attempt from one place: the pause, the probe or nothing', () => {
    expect(nextAttemptAt(CLOSED, 0, options)).toBeUndefined();
    const open = failTimes(3, 0);
    expect(nextAttemptAt(open, 0, options)).toBe(1000);
    expect(nextAttemptAt(recordRateLimit(open, 0, 4000, options), 0, options)).toBe(4000);
  });
});
