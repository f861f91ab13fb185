import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { lwc } from './lwc-plugin.ts';

const PAGES = ['hubspot', 'large-list', 'salesforce', 'visualforce', 'dynamics', 'internal-admin', 'lwc-synthetic', 'lwc-native', 'dynamics-fluent', 'attio-grid'];

// Demo CRM pages for the browser tests and `npm run demo`, served by tests/e2e/harness/sites.ts
// under the real CRM host names. React pages are .jsx: the project's TypeScript setup is Preact's.
// The Lightning pages are Lightning Web Components, compiled by LWC's own compiler.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  logLevel: 'warn',
  plugins: [lwc()],
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: resolve(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    // Readable bundles: the pages are test fixtures, and stack traces should name their code.
    minify: false,
    rolldownOptions: {
      input: Object.fromEntries(PAGES.map((p) => [p, resolve(import.meta.dirname, p, 'index.html')])),
      // Fluent UI marks its modules 'use client' for React server components, which a page has no use for.
      onLog(level, log, handler) {
        if (log.code !== 'MODULE_LEVEL_DIRECTIVE') handler(level, log);
      },
    },
  },
});
