import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

function run(args: string[]) {
  execFileSync('npx', args, { cwd: root, stdio: 'inherit', timeout: 180_000 });
}

/**
 * The browser tests need the production build and the demo CRM pages. The pages are rebuilt
 * every run (about a second); the extension only when there is none, since `npm test` builds it
 * just before.
 */
export default function setup() {
  const extensionDir = process.env.EXTENSION_DIR;
  if (!extensionDir && !existsSync(path.join(root, '.output/chrome-mv3/manifest.json'))) run(['wxt', 'build']);
  run(['vite', 'build', '--config', 'demo-sites/vite.config.ts']);
}
