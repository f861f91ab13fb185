import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { minify } from 'vite';

export interface BundleSize {
  /** `content-scripts/badges.js`, `background.js`, `card.html` (its scripts and styles together). */
  name: string;
  files: string[];
  /** As built. */
  bytes: number;
  /** Minified again with Oxc, so the figure does not depend on the build's minify setting. */
  minified: number;
  /** Of the minified code, gzip level 9. */
  gzipped: number;
}

async function minifiedCode(file: string, code: string): Promise<string> {
  if (!file.endsWith('.js')) return code;
  const result = await minify(path.basename(file), code, {});
  return result.errors.length ? code : result.code;
}

/** Scripts and styles an HTML page of the build loads (Vite lists every static import as a preload). */
function pageAssets(dir: string, html: string): string[] {
  const text = readFileSync(path.join(dir, html), 'utf8');
  const refs = [...text.matchAll(/(?:src|href)="\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1] as string);
  return [...new Set(refs)].filter((ref) => existsSync(path.join(dir, ref)));
}

async function measure(dir: string, name: string, files: string[]): Promise<BundleSize> {
  let bytes = 0;
  let minified = 0;
  let gzipped = 0;
  for (const file of files) {
    const code = readFileSync(path.join(dir, file), 'utf8');
    const small = await minifiedCode(file, code);
    bytes += Buffer.byteLength(code);
    minified += Buffer.byteLength(small);
    gzipped += gzipSync(small, { level: 9 }).length;
  }
  return { name, files, bytes, minified, gzipped };
}

/** Every content script, the background and every extension page of a build folder. */
export async function bundleSizes(dir: string): Promise<BundleSize[]> {
  const out: BundleSize[] = [];
  const contentDir = path.join(dir, 'content-scripts');
  if (existsSync(contentDir)) {
    for (const file of readdirSync(contentDir).filter((f) => f.endsWith('.js') || f.endsWith('.css')).sort()) {
      out.push(await measure(dir, `content-scripts/${file}`, [`content-scripts/${file}`]));
    }
  }
  if (existsSync(path.join(dir, 'background.js'))) out.push(await measure(dir, 'background.js', ['background.js']));
  for (const html of readdirSync(dir).filter((f) => f.endsWith('.html')).sort()) {
    out.push(await measure(dir, html, pageAssets(dir, html)));
  }
  return out;
}
