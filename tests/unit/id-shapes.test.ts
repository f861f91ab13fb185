import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countIdShapes } from '@/utils/id-shapes';
import { hex, isIdShaped, uuidShaped as uuid } from './support/id-arbitraries';

/** Every start position checked character by character. */
function reference(text: string): number {
  let count = 0;
  for (let start = 0; start + 36 <= text.length; start++) {
    if (isIdShaped(text.slice(start, start + 36))) count++;
  }
  return count;
}

const text = fc
  .array(fc.oneof(uuid, uuid.map((u) => u.slice(3)), hex(4), hex(8), fc.constantFrom('-', '--', ' ', 'x', '-0000-0000-0000-'), fc.string({ maxLength: 4 })), {
    maxLength: 10,
  })
  .map((parts) => parts.join(''));

describe('countIdShapes', () => {
  it('counts what checking every position counts, overlapping runs included', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(countIdShapes(t)).toBe(reference(t));
      }),
      { numRuns: 3000 },
    );
  });

  it('counts runs glued into longer tokens and runs that overlap', () => {
    const id = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
    expect(countIdShapes(`x${id}x`)).toBe(1);
    // The last 8 digits of one run start the next.
    expect(countIdShapes('aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa')).toBe(2);
    expect(countIdShapes(id.slice(0, 35))).toBe(0);
  });
});
