/**
 * Renders the extension's icon set (public/icon/<size>.png) from one SVG with Chromium. Run once
 * when the mark changes (`npx vite-node scripts/make-icons.ts`); the PNGs are committed.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumPath } from '../tests/e2e/harness/browser';

const SIZES = [16, 32, 48, 96, 128];
const OUT_DIR = path.resolve(import.meta.dirname, '../public/icon');

// A shield in the brand blue with a white check: "this organization is vouched for".
const SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 128 128">
  <path d="M64 6 L114 24 V62 C114 92 92 114 64 124 C36 114 14 92 14 62 V24 Z" fill="#1d4ed8"/>
  <path d="M64 6 L114 24 V62 C114 92 92 114 64 124 Z" fill="#1e3a8a" opacity="0.35"/>
  <path d="M38 64 L56 82 L92 44" fill="none" stroke="#fff" stroke-width="15" stroke-linecap="round" stroke-linejoin="round"/>
</svg>`;

const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-gpu'] });
try {
  for (const size of SIZES) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${SVG}`);
    await writeFile(path.join(OUT_DIR, `${size}.png`), await page.screenshot({ omitBackground: true }));
    await page.close();
  }
  console.log(`wrote ${SIZES.map((s) => `${s}.png`).join(', ')} to ${OUT_DIR}`);
} finally {
  await browser.close();
}
