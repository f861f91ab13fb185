import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { looksLikeJwt, readJwt } from '@/utils/jwt';

const b64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const HEADER = b64url({ alg: 'HS256', typ: 'JWT' });
const jwt = (claims: unknown, header = HEADER) => `${header}.${b64url(claims)}.c2lnbmF0dXJl`;

describe('readJwt', () => {
  it('reads exp (as epoch ms), sub and org_id', () => {
    expect(readJwt(jwt({ sub: 'client-1', org_id: 'org-9', exp: 1_900_000_000, iat: 1 }))).toEqual({
      exp: 1_900_000_000_000,
      sub: 'client-1',
      orgId: 'org-9',
    });
  });

  it('reads UTF-8 claims and ignores surrounding whitespace', () => {
    expect(readJwt(`  ${jwt({ sub: 'Jürgen 日本' })}\n`)).toEqual({ sub: 'Jürgen 日本' });
  });

  it('leaves out claims of the wrong type', () => {
    expect(readJwt(jwt({ sub: 7, org_id: null, exp: '1900000000' }))).toEqual({});
    expect(readJwt(jwt({ exp: -1 }))).toEqual({});
    expect(readJwt(jwt({ exp: 1e308 }))).toEqual({});
  });

  it.each([
    ['empty', ''],
    ['two parts', `${HEADER}.${b64url({ sub: 'x' })}`],
    ['four parts', `${jwt({ sub: 'x' })}.more`],
    ['empty signature', `${HEADER}.${b64url({ sub: 'x' })}.`],
    ['standard base64 characters', `${HEADER}.${Buffer.from(JSON.stringify({ sub: '???>>>' })).toString('base64')}.sig`],
    ['payload not JSON', `${HEADER}.${b64url('not json')}.sig`],
    ['payload an array', jwt([1, 2])],
    ['payload a string', jwt('claims')],
    ['header without alg', jwt({ sub: 'x' }, b64url({ typ: 'JWT' }))],
    ['header not JSON', jwt({ sub: 'x' }, b64url('{'))],
    ['impossible base64 length', `${HEADER}.${b64url({ sub: 'x' })}A.sig`],
    ['invalid UTF-8', `${HEADER}.${Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')}.sig`],
    ['an opaque token', 'sk_live_abcdef0123456789'],
  ])('rejects %s', (_name, token) => {
    expect(readJwt(token)).toBeUndefined();
    expect(looksLikeJwt(token)).toBe(false);
  });

  it('never throws, whatever the string', () => {
    fc.assert(
      fc.property(fc.string(), (token) => {
        expect(() => readJwt(token)).not.toThrow();
      }),
    );
    const segment = fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/);
    fc.assert(
      fc.property(segment, segment, segment, (a, b, c) => {
        expect(() => readJwt(`${a}.${b}.${c}`)).not.toThrow();
      }),
    );
    fc.assert(
      fc.property(fc.json(), fc.json(), (header, payload) => {
        expect(() => readJwt(`${b64url(header)}.${b64url(payload)}.sig`)).not.toThrow();
      }),
    );
  });

  it('rejects any string that is not three dot-separated segments', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => s.trim().split('.').length !== 3),
        (token) => {
          expect(readJwt(token)).toBeUndefined();
        },
      ),
    );
  });

  it('reads back any subject it is given', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.integer({ min: 1, max: 4_000_000_000 }), (sub, exp) => {
        expect(readJwt(jwt({ sub, exp }))).toEqual({ sub, exp: exp * 1000 });
      }),
    );
  });
});
