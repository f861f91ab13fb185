import type { z } from '../utils/zod';
import type { hostConnectionSchema } from '../utils/api-schemas';

/** A host connection exactly as the API sends it (before the extension's schema normalises it). */
export type HostConnectionJson = z.input<typeof hostConnectionSchema>;

/** The dev account: its organization is the guest side of every seeded connection. */
export const DEV_REQUESTER_ORG_ID = '5d0c8f3e-2b7a-4e19-8c64-a1f0e9d7b312';
export const DEV_CLIENT_ID = 'mca-dev-client';
export const DEV_CLIENT_SECRET = 'mca-dev-secret-4f9a2c7e1b';

/**
 * Fixed IDs of the hand-made entries at the start of every seeded set, whatever the seed, so demo
 * pages and tests can name them. They come in this order, before the generated ones.
 */
export const DEMO_ORG_IDS = {
  acme: '6f1d2c3b-8a4e-4c1f-9b2a-1e5d7c9a0b01',
  globex: '0a8e4b7c-3d2f-4e6a-8c1b-5f9d2e7a4c02',
  initech: 'c47e9a1d-6b3f-4a28-9e5c-2d8f1b6a7e03',
  umbrella: '9b2f6e4a-1c8d-4f3b-a7e2-6c1d9f5b3a04',
  longName: 'e5a1b3c7-4d2e-4f60-8a9b-7c3d1e5f2a05',
  japanese: '1c7b5d3f-9e2a-4b48-b6d1-3a5f7c9e1b06',
  arabic: '8d3f1a5c-7b9e-4d26-9f4a-5c7e1b3d9f07',
  cyrillic: '4e6a8c2d-1f3b-4a57-8d9c-6e2a4c8f1d08',
  htmlImg: 'b2d4f6a8-3c5e-4f71-a2b4-8d6f2a4c6e09',
  htmlBold: '7a9c1e3b-5d7f-4b92-8e1a-9c3e5b7d1a10',
  documentsUpdate: '3b5d7f9a-2c4e-4d63-9a5c-1e7b3d5f9c11',
  unknownAction: 'f8a2c4e6-9b1d-4e35-b7f9-2d4a6c8e0b12',
  shortName: '2c4e6a8b-7d9f-4c14-8b3d-5f9a1c3e7d13',
  archivedDisconnected: 'd9f1b3e5-6a8c-4e28-9d1f-3b5e7a9c2f14',
  archivedWithAction: '5e7a9c1d-3f5b-4a86-a8c2-4e6b8d0f3a15',
  documentsUpdateDisconnected: 'a6c8e0f2-4b6d-4f39-b1e3-7f9b1d3a5c16',
  shortEmail: '0f2b4d6e-8a1c-4b53-9e7a-2c4f6b8d1e17',
} as const;

type Rng = () => number;

/** mulberry32: tiny, fast and the same on every platform, which is all a fixture needs. */
function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T;
}

function hex(rng: Rng, digits: number): string {
  let out = '';
  for (let i = 0; i < digits; i++) out += Math.floor(rng() * 16).toString(16);
  return out;
}

/** A lower-case version-4 UUID drawn from the generator. */
function randomUuid(rng: Rng): string {
  const variant = pick(rng, ['8', '9', 'a', 'b']);
  return `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-${variant}${hex(rng, 3)}-${hex(rng, 12)}`;
}

const DAY_MS = 86_400_000;
const EPOCH_START = Date.UTC(2022, 0, 3, 9, 0, 0);

/** The API writes date-times in two forms; the set uses both so clients must parse both. */
function formatDateTime(ms: number, withZone: boolean, micros: number): string {
  const iso = new Date(ms).toISOString().slice(0, 19);
  return withZone ? `${iso}Z` : `${iso}.${String(micros).padStart(6, '0')}`;
}

function randomDateTime(rng: Rng, ms: number): string {
  return formatDateTime(ms, rng() < 0.5, Math.floor(rng() * 1_000_000));
}

type Curated = Omit<HostConnectionJson, 'guest_organization_id'>;

function curated(
  id: string,
  host_name: string,
  host_email: string,
  owner_email: string,
  rest: Partial<Curated> = {},
): Curated {
  return {
    host_organization_id: id,
    host_name,
    host_email,
    owner_email,
    status: 'connected',
    archived: false,
    created_at: '2023-11-07T05:31:56Z',
    updated_at: '2025-12-12T12:00:00.123456',
    archived_at: null,
    active_action_type: null,
    active_action_updated_at: null,
    ...rest,
  };
}

const LONG_NAME = (
  'Northwind Consolidated Holdings International Trading and Logistics Company Limited, '.repeat(4)
).slice(0, 300);

const CURATED: readonly Curated[] = [
  curated(DEMO_ORG_IDS.acme, 'Acme Corp', 'finance@acme.example', 'wile.coyote@acme.example', {
    created_at: '2023-03-14T09:26:53Z',
    updated_at: '2025-10-01T08:15:00.250000',
  }),
  curated(DEMO_ORG_IDS.globex, 'Globex GmbH', 'buchhaltung@globex.example', 'hank.scorpio@globex.example', {
    status: 'disconnected',
    created_at: '2022-06-01T12:00:00.000001',
    updated_at: '2025-09-30T16:45:10Z',
  }),
  curated(DEMO_ORG_IDS.initech, 'Initech', 'accounts@initech.example', 'bill.lumbergh@initech.example', {
    archived: true,
    created_at: '2021-02-19T10:00:00Z',
    updated_at: '2024-08-08T08:08:08.080808',
    archived_at: '2024-08-08T08:08:08.080808',
  }),
  curated(DEMO_ORG_IDS.umbrella, 'Umbrella KK', 'credit@umbrella.example', 'albert.wesker@umbrella.example', {
    created_at: '2024-01-05T07:30:00Z',
    updated_at: '2025-11-20T11:11:11.111111',
    active_action_type: 'analytics_request',
    active_action_updated_at: '2025-11-20T11:11:11.111111',
  }),
  curated(DEMO_ORG_IDS.longName, LONG_NAME, 'ap@northwind.example', 'nancy.davolio@northwind.example'),
  curated(DEMO_ORG_IDS.japanese, '株式会社山田製作所', 'keiri@yamada.example', 'taro.yamada@yamada.example', {
    created_at: '2024-04-01T00:00:00Z',
  }),
  curated(DEMO_ORG_IDS.arabic, 'شركة النور للتجارة', 'finance@alnoor.example', 'layla.haddad@alnoor.example', {
    status: 'disconnected',
    updated_at: '2025-02-02T02:02:02Z',
  }),
  curated(DEMO_ORG_IDS.cyrillic, 'ООО «Ромашка»', 'buh@romashka.example', 'ivan.petrov@romashka.example', {
    active_action_type: 'analytics_request',
    active_action_updated_at: '2025-12-01T10:00:00Z',
  }),
  curated(DEMO_ORG_IDS.htmlImg, '<img src=x onerror=alert(1)>', 'xss@evil.example', 'mallory@evil.example'),
  curated(DEMO_ORG_IDS.htmlBold, '<b>Bold</b> & Co', 'hello@bold.example', 'bob@bold.example', {
    status: 'disconnected',
  }),
  curated(DEMO_ORG_IDS.documentsUpdate, 'Stark Industries', 'ar@stark.example', 'pepper.potts@stark.example', {
    active_action_type: 'documents_update_request',
    active_action_updated_at: '2023-11-07T05:31:56Z',
  }),
  curated(DEMO_ORG_IDS.unknownAction, 'Wayne Enterprises', 'credit@wayne.example', 'lucius.fox@wayne.example', {
    active_action_type: 'kyc_review_request',
    active_action_updated_at: '2025-12-12T12:00:00.123456',
  }),
  curated(DEMO_ORG_IDS.shortName, 'Q', 'q@q.example', 'owner@q.example'),
  curated(DEMO_ORG_IDS.archivedDisconnected, 'Soylent Corp', 'billing@soylent.example', 'sol.roth@soylent.example', {
    status: 'disconnected',
    archived: true,
    archived_at: '2025-01-15T14:00:00Z',
  }),
  curated(DEMO_ORG_IDS.archivedWithAction, 'Tyrell Corporation', 'ops@tyrell.example', 'eldon.tyrell@tyrell.example', {
    archived: true,
    archived_at: '2025-06-30T23:59:59.999999',
    active_action_type: 'analytics_request',
    active_action_updated_at: '2025-06-01T09:00:00Z',
  }),
  curated(DEMO_ORG_IDS.documentsUpdateDisconnected, 'Cyberdyne Systems', 'finance@cyberdyne.example', 'miles.dyson@cyberdyne.example', {
    status: 'disconnected',
    active_action_type: 'documents_update_request',
    active_action_updated_at: '2024-10-10T10:10:10.101010',
  }),
  // The shortest emails the schema allows (3 chars) and the longest (100 chars).
  curated(DEMO_ORG_IDS.shortEmail, 'Tiny Mail Ltd', 'a@b', `${'o'.repeat(87)}@tiny.example`),
];

const PREFIXES = ['Blue', 'North', 'Silver', 'Prime', 'Green', 'Rapid', 'Golden', 'United', 'Royal', 'Bright', 'Delta', 'Summit'];
const CORES = ['River', 'Oak', 'Harbor', 'Falcon', 'Maple', 'Stone', 'Cedar', 'Atlas', 'Beacon', 'Vertex', 'Meadow', 'Orbit'];
const SUFFIXES = ['Ltd', 'GmbH', 'Inc', 'LLC', 'AG', 'SARL', 'BV', 'Oy', 'KK', 'S.p.A.', 'Trading', 'Logistics'];
const NON_LATIN = ['東京物産株式会社', 'مؤسسة الفجر', 'АО «Северсталь-Трейд»', 'Ελληνική Εμπορική Α.Ε.', 'שלום סחר בע"מ', '대한상사 주식회사'];
const FIRST_NAMES = ['anna', 'ben', 'carla', 'dev', 'emma', 'farid', 'grace', 'hiro', 'ines', 'jonas', 'kemal', 'lena'];
const LAST_NAMES = ['smith', 'muller', 'rossi', 'tanaka', 'nowak', 'garcia', 'okafor', 'ivanova', 'haddad', 'berg'];

function generated(rng: Rng, id: string, index: number): Curated {
  const nonLatin = rng() < 0.08;
  const host_name = nonLatin
    ? pick(rng, NON_LATIN)
    : `${pick(rng, PREFIXES)} ${pick(rng, CORES)} ${pick(rng, SUFFIXES)}`;
  const domain = `org${index}.example`;
  const created = EPOCH_START + Math.floor(rng() * 3 * 365 * DAY_MS);
  const updated = created + Math.floor(rng() * 200 * DAY_MS);
  const archived = rng() < 0.15;
  const actionRoll = rng();
  const active_action_type = actionRoll < 0.2 ? 'analytics_request' : actionRoll < 0.23 ? 'documents_update_request' : null;
  return {
    host_organization_id: id,
    host_name,
    host_email: `${pick(rng, ['billing', 'finance', 'ap', 'credit'])}@${domain}`,
    owner_email: `${pick(rng, FIRST_NAMES)}.${pick(rng, LAST_NAMES)}@${domain}`,
    status: rng() < 0.65 ? 'connected' : 'disconnected',
    archived,
    created_at: randomDateTime(rng, created),
    updated_at: randomDateTime(rng, updated),
    archived_at: archived ? randomDateTime(rng, updated + Math.floor(rng() * 30 * DAY_MS)) : null,
    active_action_type,
    active_action_updated_at: active_action_type ? randomDateTime(rng, updated + Math.floor(rng() * 10 * DAY_MS)) : null,
  };
}

/**
 * The connections of `guestOrgId`: the hand-made entries first (fixed, whatever the seed), then
 * generated ones up to `count`. Same arguments, same result.
 */
export function seedConnections(seed: number, count: number, guestOrgId: string): HostConnectionJson[] {
  const rng = createRng(seed);
  const taken = new Set<string>([guestOrgId, ...Object.values(DEMO_ORG_IDS)]);
  const out: HostConnectionJson[] = [];
  for (let i = 0; i < count; i++) {
    let entry = CURATED[i];
    if (!entry) {
      let id = randomUuid(rng);
      while (taken.has(id)) id = randomUuid(rng);
      taken.add(id);
      entry = generated(rng, id, i);
    }
    const { host_organization_id, ...rest } = entry;
    out.push({ host_organization_id, guest_organization_id: guestOrgId, ...rest });
  }
  return out;
}

/** `count` valid UUIDs that are none of `exclude`: organizations the API has no connection with. */
export function seedUnknownOrgIds(seed: number, count: number, exclude: Iterable<string>): string[] {
  // Its own stream, so adding connections does not shift these; `exclude` rules out any overlap.
  const rng = createRng((seed ^ 0x5eed5eed) >>> 0);
  const taken = new Set(exclude);
  const out: string[] = [];
  while (out.length < count) {
    const id = randomUuid(rng);
    if (taken.has(id)) continue;
    taken.add(id);
    out.push(id);
  }
  return out;
}
