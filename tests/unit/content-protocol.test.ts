import { describe, expect, it } from 'vitest';
import { backgroundRequestSchema, contentMessageSchema, FRAME_PORT_NAME, MAX_IDS_PER_LOOKUP, MAX_REPORTED_IDS, lookupResultSchema, pageConfigSchema, type LookupResult } from '@/utils/protocol';
import { CONTENT_FRAME_PORT, CONTENT_MAX_IDS_PER_LOOKUP, CONTENT_MAX_REPORTED_IDS, contentSchemas } from '@/utils/content-protocol';

const { badgeResult: badgeResultSchema, pageConfig: contentPageConfigSchema, push: contentPushSchema } = contentSchemas();

const ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const CONNECTION = {
  host_organization_id: ID,
  guest_organization_id: '00000000-0000-4000-8000-000000000002',
  host_name: 'Acme',
  host_email: 'ops@acme.example',
  owner_email: 'owner@acme.example',
  status: 'connected',
  archived: false,
  created_at: '2025-01-01T00:00:00Z',
  updated_at: '2025-01-02T00:00:00Z',
  archived_at: null,
  active_action_type: null,
  active_action_updated_at: null,
};
const RESULTS: LookupResult[] = [
  lookupResultSchema.parse({ status: 'connected', connection: CONNECTION, fetchedAt: 1, stale: false }),
  lookupResultSchema.parse({ status: 'archived', connection: { ...CONNECTION, archived: true }, fetchedAt: 1, stale: true }),
  { status: 'not_connected', fetchedAt: 1, stale: false },
  { status: 'error', error: { kind: 'forbidden', message: 'no', status: 403 } },
  { status: 'unknown' },
];
const CONFIG = { enabled: true, idFieldSelectors: ['.org'], idAttributes: ['data-org'], badgeLinks: true, hoverDelayMs: 300 };
const STATE = { kind: 'unauthorized', authMode: 'token' };

/** A message of every kind the content script takes, valid for the full protocol. */
const PUSHES = [
  { type: 'entriesChanged', results: Object.fromEntries(RESULTS.map((r, i) => [`${i}`, r])) },
  { type: 'stateChanged', state: STATE },
  { type: 'configChanged', config: CONFIG },
  { type: 'revealId', id: ID },
  { type: 'toggleBadges' },
  { type: 'cardClose', id: ID },
  { type: 'cardResize', id: ID, height: 240 },
];

describe('the content script protocol', () => {
  it('takes every message the full protocol lets through to it', () => {
    for (const push of PUSHES) {
      expect(contentMessageSchema.safeParse(push).success, push.type).toBe(true);
      expect(contentPushSchema.safeParse(push).success, push.type).toBe(true);
    }
    const fullTypes = contentMessageSchema.options.map((o) => o.shape.type.value).sort();
    expect(PUSHES.map((p) => p.type).sort()).toEqual(fullTypes);
  });

  it('refuses what the full protocol refuses, where the content script reads it', () => {
    const refused = [
      { type: 'revealId', id: 'not-a-uuid' },
      { type: 'cardResize', id: ID, height: -1 },
      { type: 'configChanged', config: { ...CONFIG, hoverDelayMs: 99_999 } },
      { type: 'stateChanged', state: { kind: 'sleeping' } },
      { type: 'entriesChanged', results: { [ID]: { status: 'connected' } } },
      { type: 'somethingElse' },
    ];
    for (const message of refused) {
      expect(contentMessageSchema.safeParse(message).success, JSON.stringify(message)).toBe(false);
      expect(contentPushSchema.safeParse(message).success, JSON.stringify(message)).toBe(false);
    }
  });

  it('reads lookup results and page configurations as the full protocol writes them', () => {
    for (const result of RESULTS) expect(badgeResultSchema.safeParse(result).success, result.status).toBe(true);
    expect(contentPageConfigSchema.parse(pageConfigSchema.parse(CONFIG))).toEqual(CONFIG);
    expect(CONTENT_MAX_IDS_PER_LOOKUP).toBe(MAX_IDS_PER_LOOKUP);
    expect(CONTENT_MAX_REPORTED_IDS).toBe(MAX_REPORTED_IDS);
    expect(CONTENT_FRAME_PORT).toBe(FRAME_PORT_NAME);
  });

  it('takes a report of IDs as the whole list or as a change, never both, within the cap', () => {
    const accepted = [
      { type: 'reportIds', ids: [ID] },
      { type: 'reportIds', ids: [] },
      { type: 'reportIds', added: [ID], removed: [] },
      { type: 'reportIds', added: [], removed: [ID] },
    ];
    for (const message of accepted) expect(backgroundRequestSchema.safeParse(message).success, JSON.stringify(message)).toBe(true);
    const refused = [
      { type: 'reportIds', ids: [ID], added: [ID], removed: [] },
      { type: 'reportIds', added: ['not-a-uuid'], removed: [] },
      { type: 'reportIds', added: Array(CONTENT_MAX_REPORTED_IDS + 1).fill(ID), removed: [] },
      { type: 'reportIds', added: [], removed: Array(CONTENT_MAX_REPORTED_IDS + 1).fill(ID) },
    ];
    for (const message of refused) expect(backgroundRequestSchema.safeParse(message).success, JSON.stringify(message).slice(0, 80)).toBe(false);
  });
});
