import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractId } from '@/utils/extract-id';

const ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const uuid = fc.uuid();

describe('extractId', () => {
  it.each([
    ['a bare ID', ID, ID],
    ['an upper-case ID', ID.toUpperCase(), ID],
    ['an ID in braces', `ID: {${ID}}`, ID],
    ['a CRM URL', `https://app.hubspot.com/contacts/123/company/${ID}?tab=1`, ID],
    ['a percent-encoded Dynamics URL', `https://org.crm4.dynamics.com/main.aspx?id=%7b${ID.toUpperCase()}%7d`, ID],
    ['a URN', `urn:uuid:${ID}`, ID],
  ])('finds the ID in %s', (_, text, expected) => {
    expect(extractId(text)).toBe(expected);
  });

  it('takes the first of several IDs', () => {
    expect(extractId(`${ID} and 00000000-0000-4000-8000-000000000000`)).toBe(ID);
  });

  it.each([
    ['empty text', ''],
    ['a truncated ID', ID.slice(0, 35)],
    ['an ID glued into longer hex', `a${ID}`],
    ['a Salesforce record ID', '0015g00000XyZabAAB'],
  ])('finds nothing in %s', (_, text) => {
    expect(extractId(text)).toBeUndefined();
  });

  it('finds the UUID embedded in any text that holds no other', () => {
    fc.assert(
      fc.property(fc.string(), uuid, fc.string(), (before, id, after) => {
        fc.pre(extractId(before) === undefined);
        expect(extractId(`${before} ${id} ${after}`)).toBe(id.toLowerCase());
      }),
    );
  });

  it('finds nothing in text without a UUID shape', () => {
    const noDash = fc.string().map((s) => s.replace(/-/g, ''));
    fc.assert(fc.property(noDash, (text) => extractId(text) === undefined));
  });
});
