import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { removeStalePolicyFiles } from './harness/policy';

const root = path.resolve(import.meta.dirname, '../..');

function run(args: string[]) {
  execFileSync('npx', args, { cwd: root, stdio: 'inherit', timeout: 180_000 });
}

/**
 * The browser tests need the production build and the demo CRM pages. The pages are rebuilt
 * every run (about a second); the extension only when there is none, since `npm test` builds it
 * just before.
 *
 * Machine policy files of a run that crashed are removed before and after, so no later browser
 * (another test, the demo) starts managed.
 */
export default async function setup() {
  await removeStalePolicyFiles();
  const extensionDir = process.env.EXTENSION_DIR;
  if (!extensionDir && !existsSync(path.join(root, '.output/chrome-mv3/manifest.json'))) run(['wxt', 'build']);
  run(['vite', 'build', '--config', 'demo-sites/vite.config.ts']);
  return async () => {
    await removeStalePolicyFiles();
  };
}
