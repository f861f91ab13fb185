/**
 * Counts what the adversarial suite throws at the extension. Each test records its attacks and
 * injected faults on its own task; the tally reporter adds them up over every worker once the
 * run ends, so the count is true however the files are spread over threads.
 */
import { TestRunner } from 'vitest';

declare module 'vitest' {
  interface TaskMeta {
    adversarialAttacks?: number;
    adversarialFaults?: number;
  }
}

function currentMeta() {
  const test = TestRunner.getCurrentTest();
  if (!test) throw new Error('tally: call attack()/fault() from inside a test');
  return test.meta;
}

/** One or more hostile inputs were tried in the current test. */
export function attack(count = 1): void {
  const meta = currentMeta();
  meta.adversarialAttacks = (meta.adversarialAttacks ?? 0) + count;
}

/** One or more faults were injected (network, API, storage, worker) in the current test. */
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
