/**
 * Counts what the adversarial suite throws at the extension. An attack counts only once the
 * check that it was held has run: each is an attempt that makes it and asserts the defence's
 * outcome, so it fails the test if that defence is gone, and an attempt that asserts nothing
 * fails too. A fault counts as injected (a test that does not hold up under it fails). Each
 * test records its counts on its own task; the tally reporter adds them up over every worker
 * once the run ends, so the count is true however the files are spread over threads.
 */
import { TestRunner, expect } from 'vitest';

declare module 'vitest' {
  interface TaskMeta {
    adversarialAttacks?: number;
    adversarialFaults?: number;
  }
}

function currentMeta() {
  const test = TestRunner.getCurrentTest();
  if (!test) throw new Error('tally: attack() and fault() are called inside a test');
  return test.meta;
}

/**
 * Makes one hostile attempt (`attempt` tries it and asserts it was refused or had no effect) and
 * counts it; a synchronous attempt is counted synchronously. One at a time: expectations made
 * meanwhile elsewhere would count as its check.
 */
export function attack<T>(attempt: () => Promise<T>): Promise<T>;
export function attack<T>(attempt: () => T): T;
export function attack<T>(attempt: () => T | Promise<T>): T | Promise<T> {
  const meta = currentMeta();
  const before = expect.getState().assertionCalls;
  const checked = <R>(result: R): R => {
    if (expect.getState().assertionCalls === before) throw new Error('tally: an attack that checked nothing cannot count');
    meta.adversarialAttacks = (meta.adversarialAttacks ?? 0) + 1;
    return result;
  };
  const result = attempt();
  return result instanceof Promise ? result.then(checked) : checked(result);
}

/** `count` faults (network, API, storage, worker) were injected in the current test. */
export function fault(count = 1): void {
  const meta = currentMeta();
  meta.adversarialFaults = (meta.adversarialFaults ?? 0) + count;
}

export interface TallyCase {
  meta: { adversarialAttacks?: number; adversarialFaults?: number };
  state: 'passed' | 'failed' | 'skipped' | 'pending';
}

/** The closing line of the run, e.g. `adversarial: 120 attacks tried, 40 faults injected, all held`. */
export function tallyLine(cases: readonly TallyCase[]): string | undefined {
  const counted = cases.filter((c) => (c.meta.adversarialAttacks ?? 0) + (c.meta.adversarialFaults ?? 0) > 0 || c.state === 'failed');
  if (counted.length === 0) return undefined;
  const attacks = counted.reduce((sum, c) => sum + (c.meta.adversarialAttacks ?? 0), 0);
  const faults = counted.reduce((sum, c) => sum + (c.meta.adversarialFaults ?? 0), 0);
  const failed = counted.filter((c) => c.state === 'failed').length;
  const verdict = failed === 0 ? 'all held' : `${failed} test${failed === 1 ? '' : 's'} did not hold`;
  return `adversarial: ${attacks} attacks tried, ${faults} faults injected, ${verdict}`;
}
