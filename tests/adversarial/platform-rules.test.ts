import { beforeAll, describe, expect, it, vi } from 'vitest';
import { API_HOST_PERMISSION, BUILTIN_EXCLUDE_MATCHES, BUILTIN_MATCHES } from '@/utils/sites';
import { buildDir, buildFiles, readManifest, type Target } from './build-output';
import { attack } from './tally';

const BROAD_HOSTS = ['<all_urls>', '*://*/*', 'https://*/*', 'http://*/*', 'file:///*'];
const ALLOWED_PERMISSIONS = ['storage', 'alarms', 'contextMenus', 'scripting', 'activeTab'];
const DANGEROUS_PERMISSIONS = ['tabs', 'webRequest', 'webRequestBlocking', 'declarativeNetRequest', 'cookies', 'history', 'debugger', 'nativeMessaging', 'management', 'clipboardRead', 'downloads'];

interface WebAccessible {
  resources: string[];
  matches: string[];
  use_dynamic_url?: boolean;
}

describe.each(['chrome-mv3', 'firefox-mv3'] as Target[])('the %s build keeps to the platform rules', (target) => {
  let dir: string;
  let manifest: Record<string, unknown>;

  beforeAll(() => {
    dir = buildDir(target);
    manifest = readManifest(dir);
  }, 180_000);

  it('asks for the minimal permissions: no <all_urls>, no tabs, no webRequest', () => {
    attack(() => {
      const permissions = (manifest.permissions ?? []) as string[];
      for (const permission of permissions) expect(ALLOWED_PERMISSIONS).toContain(permission);
      for (const permission of DANGEROUS_PERMISSIONS) expect(permissions).not.toContain(permission);
      const hosts = (manifest.host_permissions ?? []) as string[];
      expect(hosts).toContain(API_HOST_PERMISSION);
      for (const broad of BROAD_HOSTS) {
        expect(permissions).not.toContain(broad);
        expect(hosts).not.toContain(broad);
      }
      for (const script of (manifest.content_scripts ?? []) as { matches: string[]; exclude_matches?: string[] }[]) {
        for (const broad of BROAD_HOSTS) expect(script.matches).not.toContain(broad);
        expect([...script.matches].sort()).toEqual([...BUILTIN_MATCHES].sort());
        // Pipedrive's public site is no CRM.
        expect([...(script.exclude_matches ?? [])].sort()).toEqual([...BUILTIN_EXCLUDE_MATCHES].sort());
        expect(script.exclude_matches).toContain('https://www.pipedrive.com/*');
      }
    });
  });

  it("sets an explicit extension-page CSP of script-src 'self' with no eval and no remote hosts", () => {
    attack(() => {
      const csp = (manifest.content_security_policy as { extension_pages?: string } | undefined)?.extension_pages ?? '';
      const scriptSrc = /(?:^|;)\s*script-src ([^;]*)/.exec(csp)?.[1]?.trim().split(/\s+/) ?? [];
      expect(scriptSrc).toEqual(["'self'"]);
      expect(csp).not.toMatch(/unsafe-eval|unsafe-inline|https?:/);
      expect(csp).toMatch(/object-src 'self'|object-src 'none'/);
    });
  });

  it('ships no remote code: no script from http(s), no importScripts, no script elements made at run time', () => {
    attack(() => {
      for (const { file, text } of buildFiles(dir, ['.html'])) {
        for (const tag of text.match(/<script[^>]*>/g) ?? []) expect(tag, file).not.toMatch(/src=["']?(https?:)?\/\//);
      }
      for (const { file, text } of buildFiles(dir, ['.js'])) {
        expect(text, file).not.toMatch(/importScripts\s*\(/);
        expect(text, file).not.toMatch(/import\s*\(\s*[`'"]https?:/);
        expect(text, file).not.toMatch(/createElement\(\s*[`'"]script[`'"]\s*\)/);
        expect(text, file).not.toMatch(/\beval\s*\(/);
      }
    });
  });

  it('every bundle that carries zod switches its code generation off (jitless)', () => {
    attack(() => {
      for (const { file, text } of buildFiles(dir, ['.js'])) {
        if (text.includes('compile(){let')) expect(text, file).toContain('jitless:!0');
      }
    });
  });

  it('makes only the card page web-accessible, on the sites a user may add (every http(s) site), behind a dynamic URL on Chrome', () => {
    attack(() => {
      const resources = (manifest.web_accessible_resources ?? []) as WebAccessible[];
      expect(resources).toHaveLength(1);
      const [card] = resources as [WebAccessible];
      expect(card.resources).toEqual(['card.html']);
      // Custom sites are known only at run time and MV3 cannot change this list then: it is where
      // a user may add a site, which takes in the built-in CRMs; no file:, no other scheme.
      expect([...card.matches].sort()).toEqual([...(manifest.optional_host_permissions as string[])].sort());
      expect([...card.matches].sort()).toEqual(['http://*/*', 'https://*/*']);
      // Chrome hides the extension id behind a per-session URL; Firefox randomises its own origin.
      if (target === 'chrome-mv3') expect(card.use_dynamic_url).toBe(true);
    });
  });

  it('runs its background as the browser expects: a service worker on Chrome, an event page on Firefox', () => {
    attack(() => {
      const background = manifest.background as { service_worker?: string; scripts?: string[]; persistent?: boolean };
      if (target === 'chrome-mv3') {
        expect(background).toEqual({ service_worker: 'background.js' });
      } else {
        expect(background.scripts).toEqual(['background.js']);
        expect(background.persistent).not.toBe(true);
        const gecko = (manifest.browser_specific_settings as { gecko?: { data_collection_permissions?: unknown } } | undefined)?.gecko;
        expect(gecko?.data_collection_permissions).toBeDefined();
      }
    });
  });

  it('admits no other extension or web page to message it', () => {
    attack(() => {
      if (target === 'chrome-mv3') {
        expect(manifest.externally_connectable).toEqual({ ids: [] });
      } else {
        // Firefox does not support externally_connectable: runtime.onMessageExternal only hears other extensions, and the background refuses them.
        expect(manifest.externally_connectable).toBeUndefined();
      }
    });
  });
});

describe('zod never generates code at run time', () => {
  it('parsing every protocol message and an API answer makes no Function call', async () => {
    await attack(async () => {
      const constructed: unknown[] = [];
      const RealFunction = Function;
      const trap = new Proxy(RealFunction, {
        construct(_target, args) {
          constructed.push(args);
          throw new EvalError('Refused to evaluate a string as JavaScript (CSP)');
        },
        apply(_target, _this, args) {
          constructed.push(args);
          throw new EvalError('Refused to evaluate a string as JavaScript (CSP)');
        },
      });
      vi.stubGlobal('Function', trap);
      try {
        vi.resetModules();
        const { backgroundRequestSchema, contentMessageSchema } = await import('@/utils/protocol');
        const { hostConnectionPageSchema } = await import('@/utils/api-schemas');
        const { settingsSchema } = await import('@/utils/settings');
        const id = '6f1d2c3b-8a4e-4c1f-9b2a-1e5d7c9a0b01';
        expect(backgroundRequestSchema.safeParse({ type: 'lookup', ids: [id], priority: 'visible' }).success).toBe(true);
        expect(backgroundRequestSchema.safeParse({ type: 'revealId', tabId: 1, frameId: 0, id }).success).toBe(true);
        expect(contentMessageSchema.safeParse({ type: 'revealId', id }).success).toBe(true);
        expect(settingsSchema.safeParse({}).success).toBe(true);
        const connection = {
          host_organization_id: id,
          guest_organization_id: id,
          host_name: 'Acme',
          host_email: 'a@b.c',
          owner_email: 'o@b.c',
          status: 'connected',
          archived: false,
          created_at: '2023-11-07T05:31:56Z',
          updated_at: '2025-12-12T12:00:00.123456',
          archived_at: null,
          active_action_type: null,
          active_action_updated_at: null,
        };
        for (let i = 0; i < 3; i++) expect(hostConnectionPageSchema.safeParse({ items: [connection], total_items: 1 }).success).toBe(true);
      } finally {
        vi.unstubAllGlobals();
      }
      expect(constructed).toEqual([]);
    });
  });
});
