import path from 'node:path';
import { build, type Rolldown } from 'vite';

export const ROOT = path.resolve(import.meta.dirname, '..');

/** One self-contained, minified script with the three scanners (bench/in-page/scanners.ts). */
export async function buildScanBundle(): Promise<string> {
  const output = (await build({
    configFile: false,
    logLevel: 'silent',
    root: ROOT,
    resolve: { alias: { '@': ROOT, '~': ROOT } },
    build: {
      write: false,
      minify: true,
      lib: { entry: path.join(ROOT, 'bench/in-page/scanners.ts'), formats: ['iife'], name: 'mcaBenchScanners' },
    },
  })) as Rolldown.RolldownOutput[];
  const chunk = output[0]?.output.find((o) => o.type === 'chunk');
  if (!chunk || chunk.type !== 'chunk') throw new Error('scan bundle: no output');
  return chunk.code;
}
