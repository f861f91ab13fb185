import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBadges, readRows, shadowHostNames } from './harness/badges';
import { checkCardFromInsideRows } from './harness/card-inside-app';
import { settledRowProblems, unknownBadges } from './harness/expectations';
import { screenshot, startConfiguredHarness, type Harness } from './harness/fixture';
import { watchPageErrors } from './harness/page-errors';

const LIST = '/lightning/o/Account/list';

/** An element of a row (locators pierce open shadow roots). */
function inRow(page: Page, key: string, selector: string) {
  return page.locator(`[data-key="${key}"] ${selector}`).first();
}

// Salesforce's own UI frameworks, from npm: Lightning Web Components in both modes Lightning runs
// them in, and Lit (older custom pages). Every row shows one badge per known organization, with its
// status, through the framework's own re-renders; the card opens from inside the app.
describe('Salesforce Lightning pages: LWC in synthetic and native shadow, and Lit', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startConfiguredHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const LWC_PAGES = [
    { mode: 'synthetic shadow', url: `https://acme.lightning.force.com${LIST}`, shot: 'lwc-synthetic' },
    { mode: 'native shadow', url: `https://globex.lightning.force.com${LIST}`, shot: 'lwc-native' },
  ];

  for (const { mode, url, shot } of LWC_PAGES) {
    it(`LWC, ${mode}: one badge per row through a keyed re-sort, an edit in place and a related list closed and reopened`, async () => {
      const { data } = h.sites;
      const page = await h.browser.context.newPage();
      await page.setViewportSize({ width: 1280, height: 1000 });
      const errors = watchPageErrors(page);
      await page.goto(url);
      const rows = () => readRows(page, 'data-key');
      const problems = () => settledRowProblems(data, rows);
      await expect.poll(async () => (await rows()).length).toBe(16);
      await expect.poll(problems()).toEqual([]);
      expect(unknownBadges(data, await readBadges(page))).toEqual([]);
      // The record link's own ID is shown in the row: one badge there, none after the link.
      expect(await page.locator('[data-key] a[href^="/lightning/r/Account/"] + [data-mca-org-id]').count()).toBe(0);
      // The parent account's link is alone on its line: it keeps its badge.
      expect((await readBadges(page)).filter((b) => b.id === data.connected[20]!.id)).toHaveLength(1);
      const hosts = await shadowHostNames(page);
      if (mode === 'native shadow') expect(hosts).toEqual(expect.arrayContaining(['c-app', 'c-account-table', 'c-formatted-id']));
      else expect(hosts).toEqual([]);
      await screenshot(page, `${shot}-list`);

      // LWC's keyed diffing moves the rows, badges and all.
      const tableKeys = async () => (await rows()).slice(0, 12).map((r) => r.key);
      const before = await tableKeys();
      await page.getByRole('button', { name: 'Sort by name, Z to A' }).click();
      await expect.poll(tableKeys).toEqual([...before].reverse());
      await expect.poll(problems()).toEqual([]);

      // An edit patches the first row in place: new name, new organization, its badge and no other.
      const first = (await tableKeys())[0]!;
      const replacement = data.disconnected[20]!.id;
      await page.getByRole('button', { name: 'Edit first account' }).click();
      await expect.poll(async () => (await rows()).find((r) => r.key === first)?.shown).toEqual([replacement]);
      await expect.poll(async () => (await rows()).find((r) => r.key === first)?.badges.map((b) => [b.id, b.status])).toEqual([
        [replacement, 'disconnected'],
      ]);
      await expect.poll(() => inRow(page, first, 'a').textContent()).toMatch(/\(edited\)$/);
      await expect.poll(problems()).toEqual([]);

      // The related list goes, with its badges, and comes back with one per row again.
      const relatedIds = (await rows()).slice(12).flatMap((r) => r.shown);
      await page.getByRole('button', { name: 'Close related list' }).click();
      await expect.poll(async () => (await rows()).length).toBe(12);
      await expect.poll(async () => (await readBadges(page)).filter((b) => relatedIds.includes(b.id))).toEqual([]);
      await page.getByRole('button', { name: 'Open related list' }).click();
      await expect.poll(async () => (await rows()).length).toBe(16);
      await expect.poll(problems()).toEqual([]);

      // The pointer and the focus come from the row's link, in a component of the table's tree; the
      // badge is in another component inside it (native shadow).
      await checkCardFromInsideRows(page, await rows(), 'data-key');
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it('Lit: one badge per row of the related list through a keyed re-sort; the card opens from inside its shadow root', async () => {
    const { data } = h.sites;
    const page = await h.browser.context.newPage();
    const errors = watchPageErrors(page);
    await page.goto(`https://acme.lightning.force.com/lightning/r/Account/${data.connected[0]!.id}/view`);
    const rows = () => readRows(page, 'data-key');
    await expect.poll(async () => (await rows()).length).toBe(4);
    await expect.poll(settledRowProblems(data, rows)).toEqual([]);
    expect(unknownBadges(data, await readBadges(page))).toEqual([]);

    const before = (await rows()).map((r) => r.key);
    await page.getByRole('button', { name: /^Sort by account/ }).click();
    await expect.poll(async () => (await rows()).map((r) => r.key)).toEqual([...before].reverse());
    await expect.poll(settledRowProblems(data, rows)).toEqual([]);

    await checkCardFromInsideRows(page, await rows(), 'data-key');
    expect(errors).toEqual([]);
    await page.close();
  });
});
