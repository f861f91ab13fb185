/**
 * Reads the claims of a JWT without verifying it: only to tell the user when a token expires and
 * whose it is. The API is the one that trusts or rejects a token; nothing here grants access.
 */

export interface JwtInfo {
  /** Expiry, epoch ms. */
  exp?: number;
  sub?: string;
  orgId?: string;
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;

function decodeSegment(segment: string): unknown {
  // A base64 string of length 4n+1 cannot come from any byte sequence.
  if (!SEGMENT.test(segment) || segment.length % 4 === 1) return undefined;
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The claims of a compact JWS (`header.payload.signature`), or undefined when it is not one. Never throws. */
export function readJwt(token: string): JwtInfo | undefined {
  try {
    const parts = token.trim().split('.');
    if (parts.length !== 3 || parts.some((part) => part.length === 0)) return undefined;
    const [header, payload, signature] = parts as [string, string, string];
    if (!SEGMENT.test(signature)) return undefined;
    const decodedHeader = decodeSegment(header);
    const claims = decodeSegment(payload);
    if (!isObject(decodedHeader) || typeof decodedHeader.alg !== 'string' || !isObject(claims)) return undefined;
    const info: JwtInfo = {};
    if (typeof claims.exp === 'number' && claims.exp > 0 && Number.isFinite(claims.exp * 1000)) info.exp = claims.exp * 1000;
    if (typeof claims.sub === 'string') info.sub = claims.sub;
    if (typeof claims.org_id === 'string') info.orgId = claims.org_id;
    return info;
  } catch {
    return undefined;
  }
}

/** Whether a pasted value has the shape of a JWT (it may still be expired or forged). */
export function looksLikeJwt(token: string): boolean {
  return readJwt(token) !== undefined;
}
