import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findIds, pieceAt } from '@/utils/find-ids';
import { isIdShaped, uuidShaped as uuid } from './support/id-arbitraries';

const TOKEN = /^[0-9a-z_-]$/i;

/** Character by character: a 36-char window in 8-4-4-4-12 hex form, with no token character on either side. */
function reference(text: string): { id: string; start: number; end: number }[] {
  const found: { id: string; start: number; end: number }[] = [];
  for (let start = 0; start + 36 <= text.length; start++) {
    const window = text.slice(start, start + 36);
    if (!isIdShaped(window)) continue;
    if (start > 0 && TOKEN.test(text[start - 1]!)) continue;
    if (start + 36 < text.length && TOKEN.test(text[start + 36]!)) continue;
    found.push({ id: window.toLowerCase(), start, end: start + 36 });
  }
  return found;
}

/** Text with UUIDs, near misses and the characters that decide boundaries. */
const noisyText = fc
  .array(
    fc.oneof(
      uuid,
      uuid.map((u) => u.slice(1)),
      uuid.map((u) => `${u}0`),
      uuid.map((u) => u.replace('-', '')),
      uuid.map((u) => `{${u}}`),
      uuid.map((u) => `urn:uuid:${u}`),
      fc.constantFrom(' ', '-', '_', 'x', 'g', '0', 'F', ',', '{', '}', ':', '/', '\n', 'é'),
      fc.string({ maxLength: 5 }),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

const SAMPLE = '3F2504E0-4F89-11D3-9A0C-0305E82C3301';

describe('findIds', () => {
  it('finds exactly what the character-by-character reference finds', () => {
    fc.assert(
      fc.property(noisyText, (text) => {
        expect(findIds(text)).toEqual(reference(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('returns the lower-case canonical form and the offsets of the ID itself', () => {
    expect(findIds(`Org: ${SAMPLE}.`)).toEqual([{ id: SAMPLE.toLowerCase(), start: 5, end: 41 }]);
  });

  it('takes braces and urn:uuid: as delimiters', () => {
    expect(findIds(`{${SAMPLE}}`).map((m) => m.start)).toEqual([1]);
    expect(findIds(`urn:uuid:${SAMPLE}`).map((m) => m.start)).toEqual([9]);
  });

  it('never matches a near miss', () => {
    const nearMisses = [
      SAMPLE.slice(0, -1),
      `${SAMPLE}0`,
      `0${SAMPLE}`,
      `x${SAMPLE}`,
      `${SAMPLE}_`,
      `-${SAMPLE}`,
      `${SAMPLE}-1`,
      SAMPLE.replace('E0', 'G0'),
      SAMPLE.replace('-4F89', '4F89-'),
      SAMPLE.replaceAll('-', ''),
    ];
    for (const text of nearMisses) expect(findIds(text), text).toEqual([]);
  });

  it('finds neighbours separated by any delimiter', () => {
    const other = '00000000-0000-4000-8000-000000000002';
    expect(findIds(`${SAMPLE}, ${other}`).map((m) => m.id)).toEqual([SAMPLE.toLowerCase(), other]);
    expect(findIds(`${SAMPLE}/${other}`)).toHaveLength(2);
  });
});

describe('pieceAt', () => {
  it('names the piece a character offset falls in', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 10 }), (lengths) => {
        const starts = lengths.map((_, i) => lengths.slice(0, i).reduce((a, b) => a + b, 0));
        const total = lengths.reduce((a, b) => a + b, 0);
        for (let offset = 0; offset < total; offset++) {
          const index = pieceAt(starts, offset);
          expect(starts[index]! <= offset && offset < starts[index]! + lengths[index]!).toBe(true);
        }
      }),
    );
  });
});
