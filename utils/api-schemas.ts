import { z } from './zod';
import { UUID_PATTERN } from './uuid';

export const orgIdSchema = z
  .string()
  .regex(UUID_PATTERN, 'must be a UUID')
  .transform((s) => s.toLowerCase());

// The API writes date-times both as `2023-11-07T05:31:56Z` and as `2025-12-12T12:00:00.123456`
// (no zone, microseconds). A value without a zone is UTC.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})?$/i;

/** Epoch milliseconds of an API date-time, or undefined when it is not one. */
export function parseApiDateTime(value: string): number | undefined {
  const m = DATE_TIME.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac = '', zone = 'Z'] = m;
  const ms = Number((frac + '000').slice(0, 3));
  const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const date = new Date(base);
  // Date.UTC rolls 2023-02-30 over into March; a real date-time round-trips its fields.
  if (date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return undefined;
  }
  if (zone.toUpperCase() === 'Z') return base;
  const sign = zone.startsWith('-') ? -1 : 1;
  const offset = (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  return base - sign * offset;
}

/** An API date-time, normalised to an ISO string in UTC so it survives JSON storage. */
export const apiDateTimeSchema = z.string().transform((value, ctx) => {
  const ms = parseApiDateTime(value);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: 'must be a date-time' });
    return z.NEVER;
  }
  return new Date(ms).toISOString();
});

export const KNOWN_ACTION_TYPES = ['analytics_request', 'documents_update_request'] as const;

export const hostConnectionSchema = z.object({
  host_organization_id: orgIdSchema,
  guest_organization_id: orgIdSchema,
  host_name: z.string().min(1).max(300),
  host_email: z.string().min(3).max(100),
  owner_email: z.string().min(3).max(100),
  status: z.enum(['connected', 'disconnected']),
  archived: z.boolean(),
  created_at: apiDateTimeSchema,
  updated_at: apiDateTimeSchema,
  archived_at: apiDateTimeSchema.nullable(),
  // Older docs named another action type: unknown values are kept, so a new kind never hides a
  // connection.
  active_action_type: z.string().min(1).nullable(),
  active_action_updated_at: apiDateTimeSchema.nullable(),
});
export type HostConnection = z.infer<typeof hostConnectionSchema>;

/** A page of the list as the API documents it. */
export const hostConnectionPageSchema = z.object({
  items: z.array(hostConnectionSchema),
  total_items: z.number().int().nonnegative(),
});

/**
 * The same page with its items left unread: they are checked one by one (`readPage`), so one
 * record that breaks the schema costs only that record.
 */
export const hostConnectionPageEnvelopeSchema = hostConnectionPageSchema.extend({ items: z.array(z.unknown()) });

/** A list item that does not fit the schema: its organization, when that much is readable, and what is wrong. */
export interface RejectedItem {
  hostOrgId?: string;
  /** `host_name: Invalid input…`, at most a few. */
  details: string[];
}

export interface HostConnectionPage {
  items: HostConnection[];
  rejected: RejectedItem[];
  total_items: number;
}

/** `path: message` of each issue, at most `max`. */
export function issueDetails(error: z.ZodError, max = 20): string[] {
  return error.issues.slice(0, max).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`.slice(0, 500));
}

/** Splits a page's items into the connections that fit the schema and those that do not. */
export function readPage(envelope: z.infer<typeof hostConnectionPageEnvelopeSchema>): HostConnectionPage {
  const page: HostConnectionPage = { items: [], rejected: [], total_items: envelope.total_items };
  for (const item of envelope.items) {
    const parsed = hostConnectionSchema.safeParse(item);
    if (parsed.success) {
      page.items.push(parsed.data);
      continue;
    }
    const id = orgIdSchema.safeParse((item as { host_organization_id?: unknown } | null)?.host_organization_id);
    page.rejected.push({ ...(id.success ? { hostOrgId: id.data } : {}), details: issueDetails(parsed.error, 5) });
  }
  return page;
}

export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

export const apiErrorBodySchema = z.object({
  detail: z.array(
    z.object({
      loc: z.array(z.union([z.string(), z.number()])).optional(),
      msg: z.string(),
      type: z.string().optional(),
      code: z.string().optional(),
    }),
  ),
});
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;

export const listQuerySchema = z.object({
  statuses: z.array(z.enum(['connected', 'disconnected'])).min(1),
  search_field: z.enum(['host_name', 'host_email', 'owner_email']).optional(),
  search_text: z.string().min(1).max(255).optional(),
  order_by: z
    .enum(['host_name', 'host_email', 'owner_email', 'created_at', 'updated_at', 'archived_at', 'active_action_updated_at'])
    .optional(),
  order_dir: z.enum(['asc', 'desc']).optional(),
  archived: z.boolean().optional(),
  limit: z.number().int().min(1).max(100).optional(),
  offset: z.number().int().min(0).optional(),
});
export type ListQuery = z.infer<typeof listQuerySchema>;
