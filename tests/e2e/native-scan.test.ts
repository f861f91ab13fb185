import fc from 'fast-check';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_ELEMENTS, MAX_RUN_CHILDREN } from '@/entrypoints/badges.content/native-search';
import { hex, uuidShaped as uuid } from '../unit/support/id-arbitraries';
import { CHROMIUM_FLAGS, chromiumPath } from './harness/browser';
import { bundleForPage } from './harness/page-bundle';
import type { Found } from './harness/scan-in-page';

/**
 * The content script finds IDs through the browser's XPath engine, chunk by chunk, so that a big
 * page's nodes get no wrappers in its world; happy-dom has no XPath, so this runs in Chromium. On
 * random pages it must find exactly what walking every text node finds: IDs whole and split across
 * inline elements, glued into longer tokens, in excluded regions, in site-rule fields, in shadow
 * roots, and around the chunk boundaries of big elements.
 */


const words = fc.constantFrom(' ', '-', '_', 'x', '0', 'F', 'Acme', 'Account 12', ', ', '{', '}', 'urn:uuid:', '\n  ', 'é');
/** Text that is never empty: a UUID whole or cut short, hex runs and the characters that decide boundaries. */
const text = fc
  .array(fc.oneof(uuid, uuid.map((u) => u.slice(0, 20)), uuid.map((u) => u.slice(17)), hex(4), words), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join(''));

const INLINE_TAGS = ['span', 'b', 'a', 'mark', 'code'];

/** A UUID cut into pieces with inline markup between them, as highlighting and `<wbr>` do. */
const splitId = fc
  .tuple(uuid, fc.uniqueArray(fc.integer({ min: 1, max: 35 }), { minLength: 1, maxLength: 2 }), fc.array(fc.constantFrom('text', 'wbr', ...INLINE_TAGS), { minLength: 3, maxLength: 3 }))
  .map(([id, cuts, wraps]) => {
    const at = [0, ...cuts.sort((a, b) => a - b), 36];
    return at
      .slice(1)
      .map((end, i) => {
        const piece = id.slice(at[i], end);
        const wrap = wraps[i]!;
        if (wrap === 'text') return i ? `<wbr>${piece}` : piece;
        if (wrap === 'wbr') return `${piece}<wbr>`;
        return `<${wrap}>${piece}</${wrap}>`;
      })
      .join('');
  });

/** Empty blocks that make their parent too big for one native call, so it is split at its children. */
const PADDING = '<div></div>'.repeat(CHUNK_ELEMENTS + 1);

/** Deep enough for blocks in blocks with split IDs inside; the first option of each list is where recursion ends. */
const DEPTH = { maxDepth: 3, depthIdentifier: 'dom', depthSize: 'small' } as const;

const { node } = fc.letrec<{ node: string; inline: string; children: string }>((tie) => ({
  inline: fc.oneof(
    DEPTH,
    text,
    splitId,
    fc.tuple(fc.constantFrom(...INLINE_TAGS), tie('inline')).map(([tag, inner]) => `<${tag}>${inner}</${tag}>`),
    fc.constant('<!--note-->'),
  ),
  children: fc
    .tuple(fc.array(fc.oneof(DEPTH, tie('inline'), tie('node')), { maxLength: 4, depthIdentifier: 'dom' }), fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.nat(4) }))
    .map(([items, pad]) => {
      if (pad !== undefined) items.splice(Math.min(pad, items.length), 0, PADDING);
      return items.join('');
    }),
  node: fc.oneof(
    DEPTH,
    fc.tuple(fc.constantFrom('textarea', 'script', 'hidden', 'editable'), text).map(([kind, inner]) => {
      if (kind === 'textarea') return `<textarea>${inner}</textarea>`;
      if (kind === 'script') return `<script type="text/plain">${inner}</script>`;
      return kind === 'hidden' ? `<div hidden>${inner}</div>` : `<div contenteditable="true">${inner}</div>`;
    }),
    fc.tuple(fc.constantFrom('div', 'section', 'td-row', 'li'), fc.boolean(), tie('children')).map(([tag, field, inner]) => {
      const cls = field ? ' class="org-field"' : '';
      if (tag === 'td-row') return `<table><tbody><tr><td${cls}>${inner}</td><td>${inner}</td></tr></tbody></table>`;
      if (tag === 'li') return `<ul><li${cls}>${inner}</li></ul>`;
      return `<${tag}${cls}>${inner}</${tag}>`;
    }),
    fc.tuple(fc.constantFrom('x-card', 'div', 'span'), tie('children'), tie('inline')).map(
      ([tag, shadow, light]) => `<${tag}><template shadowrootmode="open">${shadow}</template>${light}</${tag}>`,
    ),
  ),
}));

const page = fc
  .tuple(fc.array(fc.oneof(node, splitId, text), { minLength: 1, maxLength: 5 }), fc.boolean())
  .map(([items, padBody]) => items.join('') + (padBody ? PADDING : ''));

describe('native search in Chromium', () => {
  let browser: Browser;
  let tab: Page;

  beforeAll(async () => {
    const bundle = await bundleForPage('tests/e2e/harness/scan-in-page.ts', 'mcaScanInPage');
    browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--headless=new', ...CHROMIUM_FLAGS] });
    tab = await browser.newPage();
    await tab.setContent('<!doctype html><html><head><title>scan</title></head><body></body></html>');
    await tab.addScriptTag({ content: bundle });
  });

  afterAll(async () => {
    await browser?.close();
  });

  const compare = (html: string) =>
    tab.evaluate((markup) => (globalThis as unknown as { mcaScanInPage: { compare(h: string): Promise<{ native: Found; walk: Found }> } }).mcaScanInPage.compare(markup), html);
  type Plan = { kinds: Record<string, number>; containers: string[]; collections: number };
  const chunkPlan = (html: string, elementsOnly: boolean) =>
    tab.evaluate(
      ([markup, only]) => (globalThis as unknown as { mcaScanInPage: { chunkPlan(h: string, o: boolean): Plan } }).mcaScanInPage.chunkPlan(markup, only),
      [html, elementsOnly] as const,
    );

  it('finds exactly what walking every node finds, on random pages', async () => {
    let withIds = 0;
    let withSplitRuns = 0;
    await fc.assert(
      fc.asyncProperty(page, async (html) => {
        const { native, walk } = await compare(html);
        expect(native).toEqual(walk);
        if (walk.hits.length) withIds++;
        if (html.includes('<wbr>') && walk.hits.length) withSplitRuns++;
      }),
      { numRuns: 150 },
    );
    // The generator must reach the cases it is for (about a third of the pages have IDs).
    console.log(`native-scan: ${withIds} of 150 pages with IDs, ${withSplitRuns} with IDs and <wbr>`);
    expect(withIds).toBeGreaterThan(25);
    expect(withSplitRuns).toBeGreaterThan(5);
  });

  it('finds IDs split across inline elements inside a big element, and shadow roots in both halves', async () => {
    const id = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
    const html =
      `<div>Org ${id.slice(0, 10)}<mark>${id.slice(10, 20)}</mark>${id.slice(20)} and ${id.toUpperCase()}x ` +
      `${PADDING}<p>Account ${id}</p><x-card><template shadowrootmode="open"><p>{${id}}</p></template></x-card>` +
      `<span>tail ${id}</span></div>`;
    const { native, walk } = await compare(html);
    expect(native).toEqual(walk);
    expect(native.hits).toHaveLength(4);
    expect(native.hosts).toHaveLength(1);
  });

  it('searches a long list in runs of its children and finds what the walk finds', async () => {
    const idOf = (i: number) => `${i.toString(16).padStart(8, '0')}-4f89-11d3-9a0c-0305e82c3301`;
    const children: string[] = [];
    let expected = 0;
    for (let i = 0; i < 4000; i++) {
      const id = idOf(i);
      // Whole, split across inline elements (now and then: the run holding one is walked), glued
      // into a longer token, loose text between blocks, an inline child; and a stretch of IDs
      // split across two inline children, the second holding most elements, so that runs would
      // end there but must not.
      const kind = i % 500 === 1 ? 1 : i % 10 === 1 ? 0 : i % 10;
      const inlineStretch = i >= 2000 && i < 3500;
      if (kind === 1) children.push(`<p>Org ${id.slice(0, 9)}<b>${id.slice(9, 20)}</b>${id.slice(20)}</p>`);
      else if (kind === 2) children.push(`<p>x${id}</p>`);
      else if (kind === 3) children.push(`${id} `);
      else if (kind === 4) children.push(`<span>${id}</span>`);
      else if (inlineStretch) children.push(`<b> ${id.slice(0, 14)}</b><i>${id.slice(14)}${'<u></u>'.repeat(10)}</i>`);
      else children.push(`<p><span>Account</span> ${id}</p>`);
      if (kind !== 2) expected++;
    }
    const { native, walk } = await compare(`<div>${children.join('')}</div>`);
    expect(native).toEqual(walk);
    expect(native.hits).toHaveLength(expected);
  });

  it('goes through a list too long for runs row by row, opening only the rows too big for one call', async () => {
    const idOf = (i: number) => `${i.toString(16).padStart(8, '0')}-4f89-11d3-9a0c-0305e82c3301`;
    const rows = MAX_RUN_CHILDREN + 500;
    const big = new Map([[7, 3], [9000, 2], [rows - 1, 4]]);
    const children: string[] = [];
    for (let i = 0; i < rows; i++) {
      const id = idOf(i);
      // A big row holds its ID and a shadow host past its padding; every 1,000th small row holds a host.
      const padding = '<div></div>'.repeat((big.get(i) ?? 0) * CHUNK_ELEMENTS);
      const host = i % 1000 === 5 || big.has(i) ? `<x-card><template shadowrootmode="open"><b>${idOf(rows + i)}</b></template></x-card>` : '';
      children.push(`<section><span>Account</span> ${padding}<p>${id}</p>${host}</section>`);
    }
    const html = `<div>${children.join('')}</div>`;
    const { native, walk } = await compare(html);
    expect(native).toEqual(walk);
    const hosts = Math.ceil((rows - 5) / 1000) + big.size;
    expect(native.hosts).toHaveLength(hosts);
    expect(native.hits).toHaveLength(rows + hosts);
    // Small rows are chunks of their own, known small without a count each (the marks tell);
    // big rows are opened. In both passes: the text's and the shadow hosts'.
    for (const elementsOnly of [false, true]) {
      const plan = await chunkPlan(html, elementsOnly);
      expect(plan.containers).toEqual(['0', ...[...big.keys()].map((i) => `0/${i}`)]);
      expect(plan.kinds.element).toBeGreaterThanOrEqual(rows - big.size);
      expect(plan.collections).toBeLessThan(100);
    }
  });

  it('tells an ID glued to text through inline elements from one parted by a block, a comment or a cell', async () => {
    const id = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
    const glued = [`x<span>${id}</span>`, `<b><i>x</i></b><mark>${id}</mark>`, `<code>${id}</code>_`, `${id}<span></span>x`, `<a>${id}</a><b>-</b>`];
    const parted = [`x<div></div>${id}`, `x<!--note-->${id}`, `${id}<br>x`, `<span>x </span><span>${id}</span>`];
    const html =
      glued.map((inner) => `<div>${inner}</div>`).join('') +
      parted.map((inner) => `<div>${inner}</div>`).join('') +
      `<table><tbody><tr><td>x</td><td>${id}</td><td>y</td></tr></tbody></table>`;
    const { native, walk } = await compare(html);
    expect(native).toEqual(walk);
    expect(native.hits.map((hit) => hit.split(' @ ')[1]!.split('/')[0])).toEqual(['5', '6', '7', '8', '9']);
  });
});
