import { settingsSchema, type Settings } from './settings';

/** Settings an administrator may set by policy (`storage.managed`); a value present there is locked. */
export const POLICY_FIELDS = [
  'baseUrl',
  'requesterOrgId',
  'targetOrgId',
  'disabledBuiltinSites',
  'customSites',
  'siteRules',
  'cacheTtlSeconds',
  'hoverDelayMs',
  'badgeLinks',
] as const satisfies readonly (keyof Settings)[];
export type PolicyField = (typeof POLICY_FIELDS)[number];

export interface Policy {
  values: Partial<Settings>;
  locked: PolicyField[];
  /** Fields whose policy value did not validate: ignored, so the user's own value stays. */
  invalid: PolicyField[];
}

export const EMPTY_POLICY: Policy = { values: {}, locked: [], invalid: [] };

const OPTIONAL_ORG_FIELDS: ReadonlySet<PolicyField> = new Set(['requesterOrgId', 'targetOrgId']);

/** Reads raw managed storage field by field, so one bad value does not void the rest. */
export function parsePolicy(raw: unknown): Policy {
  if (typeof raw !== 'object' || raw === null) return EMPTY_POLICY;
  const record = raw as Record<string, unknown>;
  const values: Record<string, unknown> = {};
  const locked: PolicyField[] = [];
  const invalid: PolicyField[] = [];
  for (const field of POLICY_FIELDS) {
    const value = record[field];
    if (value === undefined || value === null) continue;
    // An empty org ID in policy locks the field empty, e.g. "target = requester".
    if (OPTIONAL_ORG_FIELDS.has(field) && value === '') {
      values[field] = undefined;
      locked.push(field);
      continue;
    }
    const parsed = settingsSchema.shape[field].safeParse(value);
    if (parsed.success) {
      values[field] = parsed.data;
      locked.push(field);
    } else {
      invalid.push(field);
    }
  }
  return { values: values as Partial<Settings>, locked, invalid };
}

/** The settings in force: the user's, with every locked policy value over them. */
export function applyPolicy(settings: Settings, policy: Policy): Settings {
  const merged: Record<string, unknown> = { ...settings };
  for (const field of policy.locked) merged[field] = policy.values[field];
  return merged as Settings;
}
