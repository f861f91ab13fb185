import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeProblems } from './harness/axe';
import { screenshot, startConfiguredHarness, type Harness } from './harness/fixture';

type Scheme = 'light' | 'dark';

/** The page's background colour as the browser computed it. */
const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

/** The accessible name (label, aria-label or text) of the focused element. */
async function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return '';
    const labelled = el.getAttribute('aria-label') ?? (el as HTMLInputElement).labels?.[0]?.textContent ?? el.textContent ?? '';
    return labelled.trim();
  });
}

/** Presses Tab until the focused element's name matches, at most `limit` times. */
async function tabTo(page: Page, name: RegExp, limit = 40): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const current = await focusedName(page);
    if (name.test(current)) return;
    seen.push(current);
  }
  throw new Error(`Tab never reached ${name}; it went through: ${seen.join(' | ')}`);
}

describe('accessibility: axe in both themes, keyboard only', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startConfiguredHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  // One test per page: axe on a page in two themes is the slowest thing the suite does.
  it.each([
    { name: 'options', url: () => 'options.html', ready: (page: Page) => page.getByRole('button', { name: 'Save' }).waitFor() },
    { name: 'popup', url: () => 'popup.html', ready: (page: Page) => page.getByLabel('Organization ID').waitFor() },
    {
      name: 'card',
      url: () => `card.html#${h.sites.data.connected[0]!.id}`,
      ready: (page: Page) => page.locator('article.mca-card:not([data-status="loading"])').waitFor(),
    },
  ])('the $name page follows the system theme and passes axe in both', async ({ name, url, ready }) => {
    const colours: Partial<Record<Scheme, string>> = {};
    for (const scheme of ['light', 'dark'] as const) {
      const page = await h.browser.context.newPage();
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(h.browser.extensionUrl(url()));
      await ready(page);
      colours[scheme] = await background(page);
      expect({ scheme, problems: await axeProblems(page) }).toEqual({ scheme, problems: [] });
      if (scheme === 'dark') await screenshot(page, `${name}-dark`);
      await page.close();
    }
    expect(colours.dark, `${name} has a dark theme`).not.toBe(colours.light);
  });

  it('the popup works from the keyboard alone: Tab to the field, type, Enter', async () => {
    const known = h.sites.data.connected[2]!;
    const popup = await h.browser.context.newPage();
    await popup.goto(h.browser.extensionUrl('popup.html'));
    await popup.getByLabel('Organization ID').waitFor();
    await popup.locator('body').focus();
    await tabTo(popup, /^Organization ID$/);
    await popup.keyboard.type(`ID: {${known.id.toUpperCase()}}`);
    await popup.keyboard.press('Enter');
    await popup.locator('article.mca-card[data-status="connected"]').waitFor();
    expect(await popup.locator('article.mca-card').innerText()).toContain(known.name);
    await popup.close();
  });

  it('the options page works from the keyboard alone: every field is reached by Tab, and Test connection by Enter', async () => {
    const options = await h.browser.context.newPage();
    await options.goto(h.browser.extensionUrl('options.html'));
    await options.getByRole('button', { name: 'Save' }).waitFor();
    await options.locator('body').focus();
    for (const name of [/^API base URL/, /^Requester organization ID/, /^Target organization ID/, /^Save$/, /^Test connection$/]) {
      await tabTo(options, name);
    }
    await options.keyboard.press('Enter');
    await options.getByText(/^Connection works/).waitFor();
    await options.close();
  });
});
