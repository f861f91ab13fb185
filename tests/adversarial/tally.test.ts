import { describe, expect, it } from 'vitest';
import { tallyLine, type TallyCase } from './tally';

const passed = (attacks: number, faults: number): TallyCase => ({ meta: { adversarialAttacks: attacks, adversarialFaults: faults }, state: 'passed' });

describe('the tally line', () => {
  it('adds up attacks and faults over every test and says all held when all passed', () => {
    expect(tallyLine([passed(3, 0), passed(0, 2), passed(10, 1)])).toBe('adversarial: 13 attacks tried, 3 faults injected, all held');
  });

  it('names how many tests did not hold, counting a failed test that recorded nothing', () => {
    const failed: TallyCase = { meta: {}, state: 'failed' };
    expect(tallyLine([passed(1, 1), failed, { ...passed(2, 0), state: 'failed' }])).toBe(
      'adversarial: 3 attacks tried, 1 faults injected, 2 tests did not hold',
    );
  });

  it('prints nothing when no adversarial test ran', () => {
    expect(tallyLine([{ meta: {}, state: 'passed' }])).toBeUndefined();
  });
});
