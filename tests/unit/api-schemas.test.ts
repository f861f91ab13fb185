import { describe, expect, it } from 'vitest';
import {
  apiErrorBodySchema,
  hostConnectionPageSchema,
  hostConnectionSchema,
  listQuerySchema,
  parseApiDateTime,
  tokenResponseSchema,
} from '@/utils/api-schemas';

const HOST = '6F1D2C3B-8A4E-4C1F-9B2A-1E5D7C9A0B01';
const GUEST = '5d0c8f3e-2b7a-4e19-8c64-a1f0e9d7b312';

function connection(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    host_organization_id: HOST,
    guest_organization_id: GUEST,
    host_name: 'Acme Corp',
    host_email: 'ops@acme.example',
    owner_email: 'owner@acme.example',
    status: 'connected',
    archived: false,
    created_at: '2023-11-07T05:31:56Z',
    updated_at: '2025-12-12T12:00:00.123456',
    archived_at: null,
    active_action_type: 'analytics_request',
    active_action_updated_at: null,
    ...overrides,
  };
}

function paths(result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }): string[] {
  return (result.error?.issues ?? []).map((issue) => issue.path.join('.'));
}

describe('API date-times', () => {
  it('parses the zoned form and the zone-less microsecond form as UTC', () => {
    expect(parseApiDateTime('2023-11-07T05:31:56Z')).toBe(Date.UTC(2023, 10, 7, 5, 31, 56));
    expect(parseApiDateTime('2025-12-12T12:00:00.123456')).toBe(Date.UTC(2025, 11, 12, 12, 0, 0, 123));
    expect(parseApiDateTime('2025-12-12T12:00:00+02:00')).toBe(Date.UTC(2025, 11, 12, 10, 0, 0));
  });

  it.each(['2023-02-30T00:00:00Z', '2023-11-07', '2023-11-07T24:00:00Z', 'yesterday', '2023-11-07T05:31:56 Z'])('rejects %j', (value) => {
    expect(parseApiDateTime(value)).toBeUndefined();
  });

  it('normalises both forms to ISO strings in UTC', () => {
    const parsed = hostConnectionSchema.parse(connection());
    expect(parsed.created_at).toBe('2023-11-07T05:31:56.000Z');
    expect(parsed.updated_at).toBe('2025-12-12T12:00:00.123Z');
  });
});

describe('hostConnectionSchema', () => {
  it('lower-cases the organization IDs', () => {
    expect(hostConnectionSchema.parse(connection()).host_organization_id).toBe(HOST.toLowerCase());
  });

  it('keeps an unknown active action type instead of failing the connection', () => {
    const parsed = hostConnectionSchema.parse(connection({ active_action_type: 'kyc_review_request' }));
    expect(parsed.active_action_type).toBe('kyc_review_request');
    expect(hostConnectionSchema.parse(connection({ active_action_type: 'documents_update_request' })).active_action_type).toBe(
      'documents_update_request',
    );
  });

  it.each([
    ['a missing name', { host_name: undefined }, 'host_name'],
    ['an empty name', { host_name: '' }, 'host_name'],
    ['a name over 300 characters', { host_name: 'x'.repeat(301) }, 'host_name'],
    ['a string for archived', { archived: 'yes' }, 'archived'],
    ['an unknown status', { status: 'pending' }, 'status'],
    ['a bad date-time', { updated_at: '12/12/2025' }, 'updated_at'],
    ['a non-UUID host', { host_organization_id: 'acme' }, 'host_organization_id'],
    ['an empty action type', { active_action_type: '' }, 'active_action_type'],
  ])('rejects %s, naming the field', (_name, overrides, field) => {
    expect(paths(hostConnectionSchema.safeParse(connection(overrides)))).toContain(field);
  });
});

describe('hostConnectionPageSchema', () => {
  it('accepts a page and names the index of a broken item', () => {
    const items = [connection(), connection(), connection(), connection({ host_name: undefined })];
    expect(paths(hostConnectionPageSchema.safeParse({ items, total_items: 4 }))).toEqual(['items.3.host_name']);
    expect(hostConnectionPageSchema.parse({ items: items.slice(0, 3), total_items: 3 }).items).toHaveLength(3);
  });

  it('rejects a string total', () => {
    expect(paths(hostConnectionPageSchema.safeParse({ items: [], total_items: '3' }))).toEqual(['total_items']);
  });
});

describe('tokenResponseSchema and error bodies', () => {
  it('accepts the documented token answer and rejects a numeric token', () => {
    expect(tokenResponseSchema.parse({ access_token: 'a.b.c', expires_in: 3600 })).toEqual({ access_token: 'a.b.c', expires_in: 3600 });
    expect(paths(tokenResponseSchema.safeParse({ access_token: 42, expires_in: 3600 }))).toEqual(['access_token']);
  });

  it('reads an error body with several validation items', () => {
    const body = apiErrorBodySchema.parse({
      detail: [
        { loc: ['path', 'host_org_id'], msg: 'Input should be a valid UUID', type: 'uuid_parsing' },
        { loc: ['query', 'statuses', 0], msg: 'Field required', type: 'missing', code: 'missing' },
      ],
    });
    expect(body.detail.map((d) => d.msg)).toEqual(['Input should be a valid UUID', 'Field required']);
  });
});

describe('listQuerySchema', () => {
  it('requires at least one status and bounds the page size', () => {
    expect(listQuerySchema.safeParse({ statuses: [] }).success).toBe(false);
    expect(listQuerySchema.safeParse({ statuses: ['connected'], limit: 101 }).success).toBe(false);
    expect(listQuerySchema.safeParse({ statuses: ['connected', 'disconnected'], limit: 100, offset: 0 }).success).toBe(true);
  });
});
