import type { Page } from 'playwright-core';
import type { ScanTiming } from './in-page/scanners';

/** linkify-plus-plus-core stops itself here (its own `timeout` option), so a huge page cannot stall the bench. */
export const LPP_LIMIT_MS = 60_000;

export interface ScanFigures {
  reference: number;
  ours: number;
  lpp: number;
  referenceFound: number;
  oursFound: number;
  lppFound: number;
  lppStopped: boolean;
}

interface InPageScanners {
  reference(root: Node): ScanTiming;
  ours(root: Node): Promise<ScanTiming>;
  lpp(root: Node): Promise<ScanTiming>;
}

/**
 * Times the three scanners on the page as loaded: each of ours and the reference once to warm up,
 * then once each, then linkify-plus-plus-core last, since it rewrites the page. Runs in a page
 * without the extension, so nothing else competes for the thread.
 */
export async function compareScans(page: Page, bundle: string): Promise<ScanFigures> {
  await page.addScriptTag({ content: bundle });
  return page.evaluate(async () => {
    const bench = (globalThis as unknown as { __mcaBench: InPageScanners }).__mcaBench;
    const root = document.body;
    bench.reference(root);
    await bench.ours(root);
    const reference = bench.reference(root);
    const ours = await bench.ours(root);
    const lpp = await bench.lpp(root);
    return {
      reference: reference.ms,
      ours: ours.ms,
      lpp: lpp.ms,
      referenceFound: reference.found,
      oursFound: ours.found,
      lppFound: lpp.found,
      lppStopped: lpp.stopped === true,
    };
  });
}
