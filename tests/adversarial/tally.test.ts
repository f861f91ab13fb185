import { describe, expect, it } from 'vitest';
import { attack, tallyLine, type TallyCase } from './tally';

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

describe('what counts as an attack', () => {
  it('an attempt counts once its check has run, and hands back what it returned', async ({ task }) => {
    const answer = await attack(async () => {
      expect(true).toBe(true);
      return 'answer';
    });
    expect(answer).toBe('answer');
    expect(task.meta.adversarialAttacks).toBe(1);
  });

  it('a synchronous attempt is counted at once', ({ task }) => {
    expect(attack(() => { expect(2).toBeGreaterThan(1); return 7; })).toBe(7);
    expect(task.meta.adversarialAttacks).toBe(1);
  });

  it('an attempt that checks nothing is not counted: it fails', async ({ task }) => {
    // Awaited before anything else asserts: the check counts the expectations made meanwhile.
    const unchecked = await attack(async () => undefined).catch((error: unknown) => error);
    expect(String(unchecked)).toMatch(/checked nothing/);
    expect(() => attack(() => 1)).toThrow(/checked nothing/);
    expect(task.meta.adversarialAttacks).toBeUndefined();
  });
});
