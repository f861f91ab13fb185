import { bundleForPage, ROOT } from '../tests/e2e/harness/page-bundle';

export { ROOT };

/** One self-contained, minified script with the three scanners (bench/in-page/scanners.ts). */
export function buildScanBundle(): Promise<string> {
  return bundleForPage('bench/in-page/scanners.ts', 'mcaBenchScanners');
}
