// Each site's patterns stand alone, so the content script, which needs only the flat list for its
// declaration, does not carry the names and keys the options page shows.
const SALESFORCE = [
  'https://*.lightning.force.com/*',
  'https://*.my.salesforce.com/*',
  'https://*.visualforce.com/*',
  'https://*.vf.force.com/*',
];
const HUBSPOT = ['https://app.hubspot.com/*', 'https://app-eu1.hubspot.com/*'];
// Regional instances live on crmN hosts; match patterns cannot wildcard inside a label.
const DYNAMICS = ['', '2', '3', '4', '5', '6', '7', '8', '9', '11', '12', '14', '15', '16', '17', '19', '20', '21'].map(
  (n) => `https://*.crm${n}.dynamics.com/*`,
);
const PIPEDRIVE = ['https://*.pipedrive.com/*'];
const ZOHO = ['com', 'eu', 'in', 'com.au', 'jp', 'ca'].map((tld) => `https://crm.zoho.${tld}/*`);
const ATTIO = ['https://app.attio.com/*'];

/**
 * The CRMs the extension runs on right after install. The manifest's content script, host
 * permissions and web-accessible card are all derived from these patterns, so a site added here
 * is added everywhere.
 */
export const BUILTIN_SITES = [
  { key: 'salesforce', label: 'Salesforce', matches: SALESFORCE },
  { key: 'hubspot', label: 'HubSpot', matches: HUBSPOT },
  { key: 'dynamics', label: 'Dynamics 365', matches: DYNAMICS },
  { key: 'pipedrive', label: 'Pipedrive', matches: PIPEDRIVE },
  { key: 'zoho', label: 'Zoho CRM', matches: ZOHO },
  { key: 'attio', label: 'Attio', matches: ATTIO },
] as const;

export type BuiltinSiteKey = (typeof BUILTIN_SITES)[number]['key'];

export const BUILTIN_MATCHES: string[] = [...SALESFORCE, ...HUBSPOT, ...DYNAMICS, ...PIPEDRIVE, ...ZOHO, ...ATTIO];

export const DEFAULT_API_BASE_URL = 'https://api.mycreditapp.ai/v1-beta';
export const API_HOST_PERMISSION = 'https://api.mycreditapp.ai/*';
