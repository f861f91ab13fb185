import { isAllowedApiUrl } from './api-origin';
import { BUILTIN_SITES, DEFAULT_API_BASE_URL, type BuiltinSiteKey } from './sites';
import { z } from './zod';
import { UUID_PATTERN } from './uuid';

const builtinSiteKeySchema = z.enum(BUILTIN_SITES.map((s) => s.key) as [BuiltinSiteKey, ...BuiltinSiteKey[]]);

const orgId = z
  .string()
  .trim()
  .regex(UUID_PATTERN, 'settingsErrorUuid')
  .transform((s) => s.toLowerCase());

/**
 * An https base URL (http only on a loopback host) without query, fragment or user name;
 * trailing slashes are dropped.
 */
export const baseUrlSchema = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return isAllowedApiUrl(url) && !url.search && !url.hash;
    } catch {
      return false;
    }
  }, 'settingsErrorBaseUrl')
  .transform((value) => value.replace(/\/+$/, ''));

/** A host match pattern for a custom site, e.g. `https://admin.example.com/*` or `https://*.example.com/*`. */
export const sitePatternSchema = z
  .string()
  .trim()
  .regex(/^(https?|\*):\/\/(\*|(\*\.)?[a-z0-9.-]+)(:\d+)?\/.*$/i, 'settingsErrorPattern');

export const siteRuleSchema = z.object({
  /** Match pattern of the pages the rule applies to. */
  pattern: sitePatternSchema,
  selector: z.string().trim().max(500).optional(),
  attribute: z.string().trim().regex(/^[a-z_:][-a-z0-9_:.]*$/i, 'settingsErrorAttribute').max(100).optional(),
});
export type SiteRule = z.infer<typeof siteRuleSchema>;

export const settingsSchema = z.object({
  baseUrl: baseUrlSchema.default(DEFAULT_API_BASE_URL),
  requesterOrgId: orgId.optional(),
  /** Empty means the requester ("Self"), as the host-connection endpoints expect. */
  targetOrgId: orgId.optional(),
  cacheTtlSeconds: z.number().int().min(10).max(86_400).default(300),
  hoverDelayMs: z.number().int().min(0).max(5000).default(300),
  badgeLinks: z.boolean().default(true),
  /** Built-in CRMs switched off; all are on by default. */
  disabledBuiltinSites: z.array(builtinSiteKeySchema).default([]),
  customSites: z.array(sitePatternSchema).max(100).default([]),
  siteRules: z.array(siteRuleSchema).max(100).default([]),
  /** Hosts where the user switched badges off from the popup. */
  disabledHosts: z.array(z.string().max(253)).max(1000).default([]),
});
export type Settings = z.infer<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});

/** The organization calls are aimed at: the target when set, else the requester. */
export function effectiveTargetOrgId(settings: Settings): string | undefined {
  return settings.targetOrgId ?? settings.requesterOrgId;
}
