// zod's mini build: this module is in the content script, whose size budget the full build would
// break (it sets its locale on import, so it cannot be tree-shaken away).
import * as z from 'zod/mini';

/**
 * The CRMs the extension runs on right after install. The manifest's content script, host
 * permissions and web-accessible card are all derived from this one list, so a site added here
 * is added everywhere.
 */
export const BUILTIN_SITES = [
  {
    key: 'salesforce',
    label: 'Salesforce',
    matches: [
      'https://*.lightning.force.com/*',
      'https://*.my.salesforce.com/*',
      'https://*.visualforce.com/*',
      'https://*.vf.force.com/*',
    ],
  },
  {
    key: 'hubspot',
    label: 'HubSpot',
    matches: ['https://app.hubspot.com/*', 'https://app-eu1.hubspot.com/*'],
  },
  {
    key: 'dynamics',
    label: 'Dynamics 365',
    // Regional instances live on crmN hosts; match patterns cannot wildcard inside a label.
    matches: ['', '2', '3', '4', '5', '6', '7', '8', '9', '11', '12', '14', '15', '16', '17', '19', '20', '21'].map(
      (n) => `https://*.crm${n}.dynamics.com/*`,
    ),
  },
  { key: 'pipedrive', label: 'Pipedrive', matches: ['https://*.pipedrive.com/*'] },
  {
    key: 'zoho',
    label: 'Zoho CRM',
    matches: ['com', 'eu', 'in', 'com.au', 'jp', 'ca'].map((tld) => `https://crm.zoho.${tld}/*`),
  },
  { key: 'attio', label: 'Attio', matches: ['https://app.attio.com/*'] },
] as const;

export const builtinSiteKeySchema = z.enum(BUILTIN_SITES.map((s) => s.key) as [BuiltinSiteKey, ...BuiltinSiteKey[]]);
export type BuiltinSiteKey = (typeof BUILTIN_SITES)[number]['key'];

export const BUILTIN_MATCHES: string[] = BUILTIN_SITES.flatMap((s) => [...s.matches]);

export const DEFAULT_API_BASE_URL = 'https://api.mycreditapp.ai/v1-beta';
export const API_HOST_PERMISSION = 'https://api.mycreditapp.ai/*';
