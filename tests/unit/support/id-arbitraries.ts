import fc from 'fast-check';

/** `n` hex digits in mixed case. */
export const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: n, maxLength: n });

/** A UUID in 8-4-4-4-12 form, mixed case, any version bits (the matcher takes them all). */
export const uuidShaped = fc.tuple(hex(8), hex(4), hex(4), hex(4), hex(12)).map((parts) => parts.join('-'));

/** The references' character-by-character test: a 36-character window in 8-4-4-4-12 hex form. */
export function isIdShaped(window: string): boolean {
  return window.length === 36 && [...window].every((ch, i) => ([8, 13, 18, 23].includes(i) ? ch === '-' : /^[0-9a-f]$/i.test(ch)));
}

/** A valid lower-case ID numbered `n`: distinct IDs for tests that need a few. */
export const numberedId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
