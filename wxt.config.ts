import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { API_HOST_PERMISSION, BUILTIN_MATCHES } from './utils/sites';

/** Where a user may add a custom site (the permission is asked for then). */
const OPTIONAL_HOST_MATCHES = ['https://*/*', 'http://*/*'];

// Firefox is built as MV3 on purpose: the same manifest shape as Chrome, `storage.session` for
// secrets, `optional_host_permissions` for custom sites (WXT drops that key from MV2) and an
// event-page background that is suspended when idle, like Chrome's worker.
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  manifestVersion: 3,
  // Parallel builds (the browser tests, the benchmark) can each have their own output folder.
  outDir: process.env.WXT_OUT_DIR ?? '.output',
  vite: () => ({
    plugins: [preact()],
    resolve: {
      alias: [
        // WXT's content-script context announces the script to the page (a window message and a
        // DOM event naming the extension) and stops it when the page forges that event: the
        // content script gets one that does neither (entrypoints/badges.content/script-context.ts).
        {
          find: /^wxt\/utils\/content-script-context$/,
          replacement: fileURLToPath(new URL('./entrypoints/badges.content/script-context.ts', import.meta.url)),
        },
      ],
    },
  }),
  // `npm run dev` opens Debian's Chromium: branded Chrome ignores unpacked extensions from the command line.
  webExt: { binaries: { chrome: process.env.CHROME_PATH ?? '/usr/bin/chromium' } },
  zip: {
    excludeSources: ['tests/**', 'bench/**', 'demo-sites/**', 'artifacts/**', 'demo-output/**'],
  },
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // activeTab: the popup reads the current tab's host for "Show badges on this site".
    permissions: ['storage', 'alarms', 'contextMenus', 'scripting', 'activeTab'],
    host_permissions: [API_HOST_PERMISSION, ...BUILTIN_MATCHES],
    optional_host_permissions: OPTIONAL_HOST_MATCHES,
    content_security_policy: {
      extension_pages: "script-src 'self'; object-src 'self'; base-uri 'none'",
    },
    commands: {
      _execute_action: { suggested_key: { default: 'Alt+Shift+M' }, description: '__MSG_commandOpenPopup__' },
      'toggle-badges': { suggested_key: { default: 'Alt+Shift+K' }, description: '__MSG_commandToggleBadges__' },
    },
    // The card must load on custom sites too, which are only known at run time, and MV3 has no
    // way to change this list then: so it is every http(s) site, the built-in CRMs included. A
    // dynamic URL keeps pages from probing for it, and the background serves the card only inside
    // a tab on a site we run on (utils/classify-sender.ts).
    web_accessible_resources: [{ resources: ['card.html'], matches: OPTIONAL_HOST_MATCHES, use_dynamic_url: true }],
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'connection-badges@mycreditapp.ai',
              strict_min_version: '140.0',
              data_collection_permissions: { required: ['websiteContent'] },
            },
          },
        }
      : {
          // No other extension and no web page may message the background.
          externally_connectable: { ids: [] },
          // Policy for managed deployment (Chrome; Firefox reads policies.json without a schema).
          storage: { managed_schema: 'managed-schema.json' },
        }),
  }),
  hooks: {
    'build:manifestGenerated': (wxt, manifest) => {
      // Firefox rejects `use_dynamic_url` (WXT 0.20 still emits it); it randomises its own
      // extension origin per install instead.
      if (wxt.config.browser === 'firefox') {
        for (const entry of manifest.web_accessible_resources ?? []) {
          if (typeof entry === 'object') delete (entry as { use_dynamic_url?: boolean }).use_dynamic_url;
        }
      }
    },
  },
});
