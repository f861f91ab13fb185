import path from 'node:path';
import type { Reporter, TestModule, Vitest } from 'vitest/node';
import { tallyLine, type TallyCase } from './tally';

const SUITE_DIR = path.resolve(import.meta.dirname) + path.sep;

/** Prints the adversarial tally after the run: only the modules of this suite count. */
export default class TallyReporter implements Reporter {
  private vitest?: Vitest;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const cases: TallyCase[] = testModules
      .filter((module) => path.resolve(module.moduleId).startsWith(SUITE_DIR))
      .flatMap((module) => [...module.children.allTests()])
      .map((test) => ({ meta: test.meta(), state: test.result().state }));
    const line = tallyLine(cases);
    if (line) this.vitest?.logger.log(line);
  }
}
