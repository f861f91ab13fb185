import { describe, expect, it } from 'vitest';
import { admit, CLOSED, recordFailure, recordSuccess, type BreakerOptions, type BreakerState } from '@/utils/circuit-breaker';

const options: BreakerOptions = { threshold: 3, cooldownMs: 30_000, probeTimeoutMs: 60_000 };

function failTimes(n: number, now = 0): BreakerState {
  let state = CLOSED;
  for (let i = 0; i < n; i++) state = recordFailure(state, now, options);
  return state;
}

describe('circuit breaker', () => {
  it('stays closed below the threshold and opens at it', () => {
    expect(failTimes(2)).toEqual({ phase: 'closed', failures: 2 });
    expect(admit(failTimes(2), 0, options).allowed).toBe(true);
    const open = failTimes(3, 1000);
    expect(open.phase).toBe('open');
    expect(admit(open, 1000 + 29_999, options)).toMatchObject({ allowed: false, retryAt: 31_000 });
  });

  it('a success resets the count', () => {
    expect(recordFailure(recordSuccess(), 0, options)).toEqual({ phase: 'closed', failures: 1 });
  });

  it('lets exactly one probe through after the cool-down', () => {
    const open = failTimes(3, 0);
    const probe = admit(open, 30_000, options);
    expect(probe.allowed).toBe(true);
    expect(probe.state.phase).toBe('half_open');
    expect(admit(probe.state, 30_001, options).allowed).toBe(false);
  });

  it('closes on a successful probe and reopens on a failed one', () => {
    const probing = admit(failTimes(3, 0), 30_000, options).state;
    expect(recordSuccess()).toEqual(CLOSED);
    const reopened = recordFailure(probing, 30_500, options);
    expect(reopened).toMatchObject({ phase: 'open', openUntil: 60_500 });
    expect(admit(reopened, 60_000, options).allowed).toBe(false);
  });

  it('gives up a probe that never reported back (the worker was stopped)', () => {
    const probing = admit(failTimes(3, 0), 30_000, options).state;
    expect(admit(probing, 30_000 + 60_000, options).allowed).toBe(true);
  });
});
