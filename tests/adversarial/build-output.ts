/**
 * The production builds the platform tests read: the shared `.output/<target>` when it is there
 * (`npm test` builds just before), else a build of our own into a temporary folder. Set
 * ADVERSARIAL_BUILD_DIR to read another output folder (it holds `chrome-mv3`, `firefox-mv3`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const OWN_OUT_DIR = path.join(os.tmpdir(), 'mca-adversarial-build');

export type Target = 'chrome-mv3' | 'firefox-mv3';

export function buildDir(target: Target): string {
  const outDirs = [process.env.ADVERSARIAL_BUILD_DIR, path.join(ROOT, '.output'), OWN_OUT_DIR].filter((d): d is string => !!d);
  for (const outDir of outDirs) {
    if (existsSync(path.join(outDir, target, 'manifest.json'))) return path.join(outDir, target);
  }
  const args = ['wxt', 'build', ...(target === 'firefox-mv3' ? ['-b', 'firefox'] : [])];
  execFileSync('npx', args, { cwd: ROOT, env: { ...process.env, WXT_OUT_DIR: OWN_OUT_DIR }, stdio: 'pipe', timeout: 170_000 });
  return path.join(OWN_OUT_DIR, target);
}

export function readManifest(dir: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
}

/** Every file of the build with the given extensions, with its text. */
export function buildFiles(dir: string, extensions: string[]): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      const full = path.join(current, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (extensions.some((ext) => name.endsWith(ext))) out.push({ file: path.relative(dir, full), text: readFileSync(full, 'utf8') });
    }
  };
  walk(dir);
  return out;
}
