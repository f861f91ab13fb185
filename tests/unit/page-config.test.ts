import { describe, expect, it } from 'vitest';
import { isSiteCovered, isSiteEnabled, pageConfigFor, patternIncludes } from '@/utils/page-config';
import { settingsSchema } from '@/utils/settings';

describe('patternIncludes', () => {
  it('compares a port on its own', () => {
    expect(patternIncludes('http://localhost:8080/*', new URL('http://localhost:8080/crm'))).toBe(true);
    expect(patternIncludes('http://localhost:8080/*', new URL('http://localhost:9090/crm'))).toBe(false);
  });

  it('treats an invalid pattern as matching nothing', () => {
    expect(patternIncludes('https://exa mple.com/*', new URL('https://example.com/'))).toBe(false);
  });
});

describe('pageConfigFor', () => {
  const settings = settingsSchema.parse({
    hoverDelayMs: 150,
    badgeLinks: false,
    customSites: ['https://admin.example.com/*'],
    siteRules: [
      { pattern: 'https://admin.example.com/orgs/*', selector: 'td.org-id', attribute: 'data-org' },
      { pattern: 'https://admin.example.com/*', selector: 'td.org-id' },
      { pattern: 'https://other.example.com/*', selector: '.elsewhere' },
    ],
  });

  it('gives the selectors and attributes of the rules matching the page, once each', () => {
    expect(pageConfigFor('https://admin.example.com/orgs/1', settings)).toEqual({
      enabled: true,
      idFieldSelectors: ['td.org-id'],
      idAttributes: ['data-org'],
      badgeLinks: false,
      hoverDelayMs: 150,
    });
  });

  it('a site rule alone enables its pages', () => {
    expect(pageConfigFor('https://other.example.com/x', settings)).toMatchObject({ enabled: true, idFieldSelectors: ['.elsewhere'] });
  });

  it('is disabled, without rules, where the extension does not run', () => {
    expect(pageConfigFor('https://unrelated.example/', settings)).toMatchObject({ enabled: false, idFieldSelectors: [], idAttributes: [] });
    const off = settingsSchema.parse({ ...settings, disabledHosts: ['admin.example.com'] });
    expect(pageConfigFor('https://admin.example.com/orgs/1', off)).toMatchObject({ enabled: false, idFieldSelectors: [] });
  });

  it('built-in sites follow their switch', () => {
    const defaults = settingsSchema.parse({});
    expect(isSiteEnabled('https://app.hubspot.com/contacts', defaults)).toBe(true);
    expect(isSiteEnabled('https://app.hubspot.com/contacts', settingsSchema.parse({ disabledBuiltinSites: ['hubspot'] }))).toBe(false);
    expect(isSiteEnabled('chrome://settings', defaults)).toBe(false);
  });

  it('Pipedrive means its app: app.pipedrive.com and company hosts, not its public site, help or API hosts', () => {
    const defaults = settingsSchema.parse({});
    for (const app of ['https://app.pipedrive.com/deals', 'https://acme.pipedrive.com/person/12', 'https://acme-sales.pipedrive.com/']) {
      expect(isSiteCovered(app, defaults), app).toBe(true);
      expect(isSiteEnabled(app, defaults), app).toBe(true);
    }
    for (const other of ['https://www.pipedrive.com/en/pricing', 'https://pipedrive.com/', 'https://support.pipedrive.com/article/x', 'https://developers.pipedrive.com/docs', 'https://api.pipedrive.com/v1/users']) {
      expect(isSiteCovered(other, defaults), other).toBe(false);
    }
    // A user who wants one of them anyway adds it as a site of their own.
    expect(isSiteEnabled('https://www.pipedrive.com/', settingsSchema.parse({ customSites: ['https://www.pipedrive.com/*'] }))).toBe(true);
  });
});
