/** The IDs the demo pages show; the local server derives them from the mock API's seed. */
export interface DemoData {
  connected: DemoOrg[];
  disconnected: DemoOrg[];
  archived: DemoOrg[];
  /** Well-formed UUIDs the API does not know. */
  notConnected: string[];
  /** UUIDs of the CRM's own records: not organizations at all. */
  recordGuids: string[];
}

export interface DemoOrg {
  id: string;
  name: string;
}

export async function loadDemoData(): Promise<DemoData> {
  const response = await fetch('/__demo/data.json');
  if (!response.ok) throw new Error(`demo data: HTTP ${response.status}`);
  return (await response.json()) as DemoData;
}

export interface CompanyRow {
  key: string;
  name: string;
  orgId: string;
  owner: string;
  city: string;
}

const OWNERS = ['Mara Lindqvist', 'Jonas Weber', 'Aiko Tanaka', 'Priya Raman', 'Luis Ortega'];
const CITIES = ['Berlin', 'Austin', 'Osaka', 'Lyon', 'Toronto', 'Porto'];

/** Companies in a fixed order: the known statuses interleaved with IDs the API has never seen. */
export function companyRows(data: DemoData): CompanyRow[] {
  const pools: { id: string; name: string }[][] = [
    data.connected,
    data.disconnected,
    data.archived,
    data.notConnected.map((id, i) => ({ id, name: `Prospect ${i + 1} GmbH` })),
  ];
  const rows: CompanyRow[] = [];
  const longest = Math.max(...pools.map((p) => p.length));
  for (let i = 0; i < longest; i++) {
    for (const pool of pools) {
      const org = pool[i];
      if (!org) continue;
      const n = rows.length;
      rows.push({ key: org.id, name: org.name, orgId: org.id, owner: OWNERS[n % OWNERS.length]!, city: CITIES[n % CITIES.length]! });
    }
  }
  return rows;
}
