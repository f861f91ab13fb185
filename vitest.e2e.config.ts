import { defineConfig } from 'vitest/config';

// Browser tests drive the production build in Chromium: one browser at a time on 2 cores.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
