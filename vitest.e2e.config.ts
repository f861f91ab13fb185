import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Browser tests drive the production build in Chromium: one browser at a time on 2 cores.
export default defineConfig({
  // Tests import constants from the extension's own modules, which use the `@` root alias.
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    globalSetup: ['tests/e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Every wait is bounded, generously: two cores running Chromium and the servers are slow.
    expect: { poll: { timeout: 20_000, interval: 100 } },
  },
});
