import { MatchPattern } from 'wxt/utils/match-patterns';
import type { PageConfig } from './protocol';
import type { Settings } from './settings';
import { BUILTIN_SITES } from './sites';

const PORT_IN_PATTERN = /^([^:]+:\/\/[^/:]+):(\d+)(\/.*)$/;

/**
 * Whether a match pattern covers a URL. WXT's MatchPattern refuses ports, which custom sites
 * may carry (`http://localhost:8080/*`), so a port is compared on its own. It gets the URL as a
 * string: given an object it tests `instanceof Location`, a global workers do not have.
 */
export function patternIncludes(pattern: string, url: URL): boolean {
  const withPort = PORT_IN_PATTERN.exec(pattern);
  try {
    if (!withPort) return new MatchPattern(pattern).includes(url.href);
    const [, origin, port, path] = withPort;
    return url.port === port && new MatchPattern(`${origin}${path}`).includes(url.href);
  } catch {
    return false;
  }
}

function parseHttpUrl(url: string): URL | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function matchesSite(parsed: URL, settings: Settings, includeSwitchedOff: boolean): boolean {
  const builtin = BUILTIN_SITES.some(
    (site) =>
      (includeSwitchedOff || !settings.disabledBuiltinSites.includes(site.key)) &&
      site.matches.some((m) => patternIncludes(m, parsed)) &&
      !site.excludes.some((m) => patternIncludes(m, parsed)),
  );
  return (
    builtin ||
    settings.customSites.some((pattern) => patternIncludes(pattern, parsed)) ||
    settings.siteRules.some((rule) => patternIncludes(rule.pattern, parsed))
  );
}

/**
 * Whether our content script may be on this page at all: a built-in CRM (switched on or off) or
 * a custom site. A script on a switched-off site still gets its configuration, so switching the
 * site on again applies without a reload.
 */
export function isSiteCovered(url: string, settings: Settings): boolean {
  const parsed = parseHttpUrl(url);
  return !!parsed && matchesSite(parsed, settings, true);
}

/** Whether the extension runs on this page: a built-in CRM left on, a custom site or a site rule, and not a host switched off. */
export function isSiteEnabled(url: string, settings: Settings): boolean {
  const parsed = parseHttpUrl(url);
  if (!parsed) return false;
  if (settings.disabledHosts.includes(parsed.hostname.toLowerCase())) return false;
  return matchesSite(parsed, settings, false);
}

const MAX_SELECTORS = 50;
const MAX_ATTRIBUTES = 20;

/** What the content script on `url` is told: whether to run and which fields hold IDs there. */
export function pageConfigFor(url: string, settings: Settings): PageConfig {
  const parsed = parseHttpUrl(url);
  const enabled = isSiteEnabled(url, settings);
  const rules = enabled && parsed ? settings.siteRules.filter((rule) => patternIncludes(rule.pattern, parsed)) : [];
  const unique = (values: (string | undefined)[]) => [...new Set(values.filter((v): v is string => !!v))];
  return {
    enabled,
    idFieldSelectors: unique(rules.map((r) => r.selector)).slice(0, MAX_SELECTORS),
    idAttributes: unique(rules.map((r) => r.attribute)).slice(0, MAX_ATTRIBUTES),
    badgeLinks: settings.badgeLinks,
    hoverDelayMs: settings.hoverDelayMs,
  };
}
