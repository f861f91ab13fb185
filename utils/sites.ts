/**
 * The CRMs the extension runs on right after install, by key. The manifest's content script, host
 * permissions and web-accessible card are all derived from these patterns, so a site added here
 * is added everywhere. Kept apart from the names, so the content script, which needs only the
 * patterns for its declaration, does not carry what the options page shows.
 */
const BUILTIN_PATTERNS = {
  salesforce: [
    'https://*.lightning.force.com/*',
    'https://*.my.salesforce.com/*',
    'https://*.visualforce.com/*',
    'https://*.vf.force.com/*',
  ],
  hubspot: ['https://app.hubspot.com/*', 'https://app-eu1.hubspot.com/*'],
  // Regional instances live on crmN hosts; match patterns cannot wildcard inside a label.
  dynamics: ['', '2', '3', '4', '5', '6', '7', '8', '9', '11', '12', '14', '15', '16', '17', '19', '20', '21'].map(
    (n) => `https://*.crm${n}.dynamics.com/*`,
  ),
  // The app runs on app.pipedrive.com and on each company's own <company>.pipedrive.com, which a
  // match pattern cannot tell from Pipedrive's other hosts: those are excluded below.
  pipedrive: ['https://*.pipedrive.com/*'],
  zoho: ['com', 'eu', 'in', 'com.au', 'jp', 'ca'].map((tld) => `https://crm.zoho.${tld}/*`),
  attio: ['https://app.attio.com/*'],
};

export type BuiltinSiteKey = keyof typeof BUILTIN_PATTERNS;

/**
 * Hosts inside a built-in pattern that are not the CRM: Pipedrive's public site (the apex `*.`
 * matches too), its help, developer, API and status hosts. No content script runs there and no
 * sender there counts as one.
 */
const BUILTIN_EXCLUDES: Partial<Record<BuiltinSiteKey, string[]>> = {
  pipedrive: ['', 'www.', 'support.', 'developers.', 'api.', 'oauth.', 'marketplace.', 'status.', 'community.'].map(
    (host) => `https://${host}pipedrive.com/*`,
  ),
};

/** What the options page calls each site: the type asks for a name for every key above. */
const BUILTIN_LABELS: Record<BuiltinSiteKey, string> = {
  salesforce: 'Salesforce',
  hubspot: 'HubSpot',
  dynamics: 'Dynamics 365',
  pipedrive: 'Pipedrive',
  zoho: 'Zoho CRM',
  attio: 'Attio',
};

// Pure: a bundle that does not use the list (the content script) leaves the names out.
export const BUILTIN_SITES = /* @__PURE__ */ (Object.keys(BUILTIN_PATTERNS) as BuiltinSiteKey[]).map((key) => ({
  key,
  label: BUILTIN_LABELS[key],
  matches: BUILTIN_PATTERNS[key],
  excludes: BUILTIN_EXCLUDES[key] ?? [],
}));

export const BUILTIN_MATCHES: string[] = Object.values(BUILTIN_PATTERNS).flat();

/** The content script's `exclude_matches`: hosts the patterns above take in but are not CRMs. */
export const BUILTIN_EXCLUDE_MATCHES: string[] = Object.values(BUILTIN_EXCLUDES).flat();

export const DEFAULT_API_BASE_URL = 'https://api.mycreditapp.ai/v1-beta';
export const API_HOST_PERMISSION = 'https://api.mycreditapp.ai/*';
