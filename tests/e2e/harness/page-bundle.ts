import path from 'node:path';
import { build, type Rolldown } from 'vite';

export const ROOT = path.resolve(import.meta.dirname, '../../..');

/** One self-contained script of `entry` (a path from the repository root), to put into a page with `addScriptTag`. */
export async function bundleForPage(entry: string, globalName: string): Promise<string> {
  const output = (await build({
    configFile: false,
    logLevel: 'silent',
    root: ROOT,
    resolve: { alias: { '@': ROOT, '~': ROOT } },
    build: {
      write: false,
      minify: true,
      lib: { entry: path.join(ROOT, entry), formats: ['iife'], name: globalName },
    },
  })) as Rolldown.RolldownOutput[];
  const chunk = output[0]?.output.find((o) => o.type === 'chunk');
  if (!chunk || chunk.type !== 'chunk') throw new Error(`bundle of ${entry}: no output`);
  return chunk.code;
}
