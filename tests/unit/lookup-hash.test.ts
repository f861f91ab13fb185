import { describe, expect, it } from 'vitest';
import { lookupHash, parseLookupHash } from '@/utils/lookup-hash';

const ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';

describe('lookup hash', () => {
  it('carries an ID to the popup and back', () => {
    expect(parseLookupHash(lookupHash(ID))).toEqual({ id: ID });
  });

  it('tells "no ID in the text" apart from a normal opening', () => {
    expect(parseLookupHash(lookupHash(undefined))).toEqual({ id: undefined });
    expect(parseLookupHash('')).toBeUndefined();
    expect(parseLookupHash('#other')).toBeUndefined();
  });

  it('accepts only a UUID, whatever else the hash holds', () => {
    expect(parseLookupHash('#lookup=<img src=x onerror=alert(1)>')).toEqual({ id: undefined });
    expect(parseLookupHash('#lookup=%E0%A4%A')).toEqual({ id: undefined });
    expect(parseLookupHash(`#lookup=%7B${ID.toUpperCase()}%7D`)).toEqual({ id: ID });
  });
});
