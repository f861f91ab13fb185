// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/preact';
import fc from 'fast-check';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import en from '../../public/_locales/en/messages.json';
import { ConnectionCard } from '@/components/ConnectionCard';
import { badgeLabel, createBadge } from '@/entrypoints/badges.content/badge-element';
import type { HostConnection } from '@/utils/api-schemas';
import type { LookupResult } from '@/utils/protocol';
import { attack } from './tally';

const ID = '6f1d2c3b-8a4e-4c1f-9b2a-1e5d7c9a0b01';

/** English strings with `$1`… filled in; a key the files lack still shows its arguments. */
function englishWithArguments(): void {
  const messages = en as Record<string, { message: string }>;
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation(((key: string, subs?: string | string[]) => {
    const list = subs === undefined ? [] : Array.isArray(subs) ? subs : [subs];
    const template = messages[key]?.message;
    if (template === undefined) return `${key}(${list.join(', ')})`;
    return template.replace(/\$(\d)/g, (_, n: string) => list[Number(n) - 1] ?? '');
  }) as typeof fakeBrowser.i18n.getMessage);
}

const BIDI = ['\u202e', '\u202d', '\u2066', '\u2067', '\u2068', '\u2069', '\u200f', '\u200e', '\u061c'];
const HOSTILE_STRINGS = [
  '<img src=x onerror="alert(1)">',
  '<script>alert(document.cookie)</script>',
  '"><svg onload=alert(1)>',
  "javascript:alert('x')",
  'JaVaScRiPt:alert(1)',
  '&lt;b&gt;bold&lt;/b&gt;',
  '{{constructor.constructor("alert(1)")()}}',
  `Acme ${BIDI.join('')} Corp`,
  '\u202egnp.exe',
  'A'.repeat(300),
  '株式会社テスト'.repeat(40).slice(0, 300),
  'شركة الاختبار المحدودة',
  'ООО «Тест»',
  '👩‍💻🏳️‍🌈'.repeat(10),
  '\u0000\u0001\u0008',
];
const HOSTILE_EMAILS = [
  'javascript:alert(1)//@evil.com',
  '<a href="https://evil.example">x</a>@x.io',
  'x@y.z?subject=<b>hi</b>&body=%0Aclick',
  '"><img src=x onerror=alert(1)>@evil.com',
  'data:text/html,<script>alert(1)</script>',
  `user\u202e@example.com`,
  'mailto:attacker@evil.com',
];

const stringArb = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 }),
  fc.string({ unit: fc.constantFrom('<', '>', '"', "'", '&', '/', '=', ' ', 'a', 'on', 'script', ':', ...BIDI), minLength: 1, maxLength: 300 }),
);
const emailArb = fc.oneof(fc.constantFrom(...HOSTILE_EMAILS), fc.emailAddress(), stringArb.map((s) => [...s].slice(0, 100).join('').padEnd(3, '@')));

function connection(overrides: Partial<HostConnection>): HostConnection {
  return {
    host_organization_id: ID,
    guest_organization_id: '5d0c8f3e-2b7a-4e19-8c64-a1f0e9d7b312',
    host_name: 'Acme',
    host_email: 'host@acme.example',
    owner_email: 'owner@acme.example',
    status: 'connected',
    archived: false,
    created_at: '2023-11-07T05:31:56.000Z',
    updated_at: '2025-12-12T12:00:00.123Z',
    archived_at: null,
    active_action_type: 'analytics_request',
    active_action_updated_at: '2025-12-12T12:00:00.123Z',
    ...overrides,
  };
}

function shapeOf(container: Element): string[] {
  return [...container.querySelectorAll('*')].map((element) => `${element.tagName}[${element.getAttributeNames().sort().join(',')}]`);
}

function renderCard(result: LookupResult): Element {
  cleanup();
  return render(<ConnectionCard id={ID} result={result} />).container;
}

beforeEach(() => {
  fakeBrowser.reset();
  englishWithArguments();
});
afterEach(() => {
  cleanup();
});

// Each property renders the card a hundred times or more in happy-dom.
describe('API text renders as inert text in the card', { timeout: 60_000 }, () => {
  it('fast-check: names, emails and action types make no element, no handler and no link but mailto', () => {
    const baseline = shapeOf(renderCard({ status: 'connected', connection: connection({}), fetchedAt: Date.now(), stale: false }));
    fc.assert(
      fc.property(stringArb, emailArb, emailArb, stringArb, (hostName, hostEmail, ownerEmail, action) => {
        attack(() => {
          const hostile = connection({ host_name: hostName, host_email: hostEmail, owner_email: ownerEmail, active_action_type: action });
          const container = renderCard({ status: 'connected', connection: hostile, fetchedAt: Date.now(), stale: false });
          expect(shapeOf(container)).toEqual(baseline);
          expect(container.querySelector('script, img, svg, iframe, object, embed, style, form, input')).toBeNull();
          for (const element of container.querySelectorAll('*')) {
            for (const name of element.getAttributeNames()) expect(name.startsWith('on')).toBe(false);
          }
          const links = [...container.querySelectorAll('a')];
          expect(links.map((a) => decodeURIComponent(a.getAttribute('href')!.replace(/^mailto:/, '')))).toEqual([hostEmail, ownerEmail]);
          for (const link of links) expect(link.getAttribute('href')).toMatch(/^mailto:[^:]*$/);
          expect(container.querySelector('h2')!.textContent).toBe(hostName);
          expect(links.map((a) => a.textContent)).toEqual([hostEmail, ownerEmail]);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('fast-check: error messages and details from the API are text, never markup', () => {
    fc.assert(
      fc.property(stringArb, fc.array(stringArb.map((s) => s.slice(0, 500)), { maxLength: 5 }), (message, details) => {
        attack(() => {
          const container = renderCard({ status: 'error', error: { kind: 'invalid_response', message, status: 422, details } });
          expect(container.querySelector('script, img, svg, iframe, a, style')).toBeNull();
          for (const detail of details) expect(container.textContent).toContain(detail);
        });
      }),
      { numRuns: 100 },
    );
  });

  it('an email with a lone surrogate (valid JSON: "\\ud83d") renders as text instead of crashing the card', () => {
    attack(() => {
      const email = JSON.parse('"owner\\ud83d@evil.example"') as string;
      const name = JSON.parse('"Acme \\udc00 Corp"') as string;
      const container = renderCard({ status: 'connected', connection: connection({ host_name: name, owner_email: email }), fetchedAt: 0, stale: false });
      expect(container.querySelector('h2')!.textContent).toBe(name);
      expect(container.textContent).toContain('@evil.example');
      for (const link of container.querySelectorAll('a')) expect(link.getAttribute('href')).toMatch(/^mailto:/);
    });
  });

  it('archived, stale and every status keep to the same inert rendering', () => {
    for (const hostile of HOSTILE_STRINGS) {
      attack(() => {
        for (const status of ['connected', 'disconnected', 'archived'] as const) {
          const container = renderCard({
            status,
            connection: connection({ host_name: hostile, archived: status === 'archived', archived_at: status === 'archived' ? '2024-01-01T00:00:00.000Z' : null }),
            fetchedAt: 0,
            stale: true,
          });
          expect(container.querySelector('script, img, svg, iframe, style')).toBeNull();
          expect(container.querySelector('h2')!.textContent).toBe(hostile);
        }
      });
    }
  });
});

describe('badges carry API text only as a plain accessible name inside their closed root', { timeout: 60_000 }, () => {
  it('fast-check: the page-visible host shows the ID alone; the label is the name as text', () => {
    const roots: ShadowRoot[] = [];
    const realAttach = Element.prototype.attachShadow;
    vi.spyOn(Element.prototype, 'attachShadow').mockImplementation(function (this: Element, init: ShadowRootInit) {
      const root = realAttach.call(this, init);
      roots.push(root);
      return root;
    });
    fc.assert(
      fc.property(stringArb, fc.constantFrom('connected', 'disconnected', 'archived', 'error') , (hostName, status) => {
        attack(() => {
          roots.length = 0;
          const host = createBadge(ID, status, hostName);
          document.body.append(host);
          expect(host.getAttributeNames()).toEqual(['data-mca-org-id']);
          expect(host.childNodes).toHaveLength(0);
          expect(host.getAttribute('data-mca-org-id')).toBe(ID);
          expect(host.shadowRoot).toBeNull();
          const [root] = roots;
          const inner = root!.querySelector('[role=button]')!;
          expect(inner.getAttribute('aria-label')).toBe(badgeLabel(status, hostName));
          expect(inner.getAttribute('aria-label')).toContain(hostName);
          expect([...root!.querySelectorAll('*')].map((e) => e.tagName.toLowerCase())).toEqual(
            expect.arrayContaining(['span', 'svg', 'path']),
          );
          expect(root!.querySelector('script, img, iframe, a, foreignObject')).toBeNull();
          host.remove();
        });
      }),
      { numRuns: 100 },
    );
  });
});
