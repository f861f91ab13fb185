import preact from '@preact/preset-vite';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// WxtVitest does not apply wxt.config.ts's Vite plugins, so Preact's is added here again.
export default defineConfig({
  plugins: [WxtVitest(), preact()],
  test: {
    include: ['tests/unit/**/*.test.{ts,tsx}', 'tests/integration/**/*.test.{ts,tsx}', 'tests/adversarial/**/*.test.{ts,tsx}'],
    // The adversarial suite closes the run with its tally of attacks and faults.
    reporters: ['default', './tests/adversarial/tally-reporter.ts'],
    restoreMocks: true,
    // The fake browser has no host permissions; the background checks them before every API call.
    setupFiles: ['./tests/support/fake-permissions.ts'],
  },
});
