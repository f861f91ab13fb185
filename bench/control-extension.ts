import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What the control's content script does: what every extension's content script does on start,
 * and nothing else. Its injection task is the floor any content script pays on the page, the
 * collection the page's own heap sets off in it included.
 */
const CONTROL_SCRIPT = 'chrome.runtime.onMessage.addListener(() => undefined);\n';

/**
 * A copy of the built extension at `dir` + '-control' whose content scripts are replaced by the
 * control script: the same manifest, matches, frames and timing, none of our scan.
 */
export function makeControlExtension(dir: string): string {
  const control = `${dir}-control`;
  rmSync(control, { recursive: true, force: true });
  cpSync(dir, control, { recursive: true });
  const manifest = JSON.parse(readFileSync(path.join(control, 'manifest.json'), 'utf8')) as { content_scripts?: { js?: string[] }[] };
  const scripts = (manifest.content_scripts ?? []).flatMap((entry) => entry.js ?? []);
  if (scripts.length === 0) throw new Error('the build declares no content script');
  for (const script of scripts) writeFileSync(path.join(control, script), CONTROL_SCRIPT);
  return control;
}
