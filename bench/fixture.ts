import { createHash } from 'node:crypto';

/** One generated CRM list view: `rows` rows of about 20 cells, one organization ID per row. */
export interface Fixture {
  rows: number;
  /** The ID shown in each row, in row order. */
  ids: string[];
  /** The rows whose ID the mock API knows. */
  knownRows: Set<number>;
}

export const CELLS_PER_ROW = 20;
/** Share of rows whose ID is a known connection, like a list where some accounts are customers. */
export const KNOWN_SHARE = 0.05;

/** Deterministic UUID from a label: the same page on every run and in every browser. */
export function labelUuid(label: string): string {
  const hex = createHash('sha256').update(label).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Every 20th row carries a known ID, spread evenly so the viewport, the middle and the end of the
 * page all have some; the others are IDs the API answers "no connection" for.
 */
export function makeFixture(rows: number, knownIds: readonly string[], salt = 'rows'): Fixture {
  const step = Math.round(1 / KNOWN_SHARE);
  const ids: string[] = [];
  const knownRows = new Set<number>();
  let nextKnown = 0;
  for (let i = 0; i < rows; i++) {
    if (i % step === 2 && nextKnown < knownIds.length) {
      ids.push(knownIds[nextKnown++] as string);
      knownRows.add(i);
    } else {
      ids.push(labelUuid(`${salt}-${i}`));
    }
  }
  return { rows, ids, knownRows };
}

const FIRST = ['Anna', 'Ben', 'Carla', 'Dev', 'Emma', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas'];
const LAST = ['Smith', 'Muller', 'Rossi', 'Tanaka', 'Nowak', 'Garcia', 'Okafor', 'Ivanova'];
const CITY = ['Berlin', 'Lyon', 'Osaka', 'Austin', 'Porto', 'Leeds', 'Graz', 'Turku'];
const STAGE = ['Prospecting', 'Qualification', 'Proposal', 'Negotiation', 'Closed Won', 'Closed Lost'];

/** The text of each cell of row `i`; the ID sits in the fourth cell, like an "Org ID" column. */
export function rowCells(i: number, id: string): string[] {
  const first = FIRST[i % FIRST.length] as string;
  const last = LAST[(i * 7) % LAST.length] as string;
  const day = String((i % 28) + 1).padStart(2, '0');
  return [
    String(i + 1),
    `${first} ${last}`,
    `Account ${i}`,
    id,
    `${first.toLowerCase()}.${last.toLowerCase()}@example.com`,
    `+49 30 ${String(1_000_000 + i)}`,
    CITY[i % CITY.length] as string,
    STAGE[i % STAGE.length] as string,
    `€${((i * 37) % 90_000) + 1_000}`,
    `2025-03-${day}`,
    `${(i * 13) % 100}%`,
    `Q${(i % 4) + 1}`,
    i % 3 === 0 ? 'Yes' : 'No',
    `REF-${(i * 101) % 100_000}`,
    'Partner',
    `${last} Holdings`,
    `Owner ${i % 50}`,
    `${i % 12} open`,
    'EMEA',
    `Note for row ${i}`,
  ];
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Static HTML of a Salesforce-like list view: header, a toolbar and one table. */
export function pageHtml(fixture: Fixture): string {
  const parts: string[] = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Accounts | Salesforce</title>',
    '<style>body{font:13px system-ui;margin:0}header{padding:8px 16px;background:#0176d3;color:#fff}',
    'table{border-collapse:collapse;table-layout:fixed;width:4200px}td,th{width:200px;overflow:hidden;border-bottom:1px solid #ddd;padding:2px 6px;white-space:nowrap}td:nth-child(4){width:300px}</style>',
    '</head><body><header><h1>Accounts</h1><nav><a href="#">Home</a> <a href="#">Reports</a></nav></header>',
    '<main><div class="toolbar"><button type="button">New</button> <input aria-label="Search" placeholder="Search this list"></div>',
    '<table id="list"><thead><tr>',
  ];
  for (let c = 0; c < CELLS_PER_ROW; c++) parts.push(`<th>Column ${c + 1}</th>`);
  parts.push('</tr></thead><tbody>');
  for (let i = 0; i < fixture.rows; i++) {
    parts.push('<tr>');
    for (const cell of rowCells(i, fixture.ids[i] as string)) parts.push(`<td>${escapeHtml(cell)}</td>`);
    parts.push('</tr>');
  }
  parts.push('</tbody></table></main></body></html>');
  return parts.join('');
}
