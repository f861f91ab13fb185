import preact from '@preact/preset-vite';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// The adversarial suite once more, with WXT configured for Firefox (`import.meta.env.BROWSER`,
// moz-extension:// origins, senders without `origin`): the logic of the Firefox build's
// background, where no browser is needed.
export default defineConfig({
  plugins: [WxtVitest({ browser: 'firefox' }), preact()],
  test: {
    include: ['tests/adversarial/**/*.test.{ts,tsx}'],
    reporters: ['default', './tests/adversarial/tally-reporter.ts'],
    restoreMocks: true,
    // The fake browser has no host permissions; the background checks them before every API call.
    setupFiles: ['./tests/support/fake-permissions.ts'],
    // Read by tests/adversarial/worker-harness.ts (WXT's import.meta.env globals do not reach test files).
    env: { MCA_TEST_BROWSER: 'firefox' },
  },
});
