import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

function run(args: string[]) {
  execFileSync('npx', args, { cwd: root, stdio: 'inherit', timeout: 180_000 });
}

/**
 * The Firefox browser tests need the Firefox build and the demo CRM pages; each is built only when
 * missing, since `npm test` builds both just before.
 */
export default function setup() {
  if (!process.env.FIREFOX_EXTENSION_DIR && !existsSync(path.join(root, '.output/firefox-mv3/manifest.json'))) run(['wxt', 'build', '-b', 'firefox']);
  if (!existsSync(path.join(root, 'demo-sites/dist/hubspot/index.html'))) run(['vite', 'build', '--config', 'demo-sites/vite.config.ts']);
}
