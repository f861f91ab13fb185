/** Canonical 8-4-4-4-12 hex UUID, any case. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** Lower-case canonical form, the only form IDs travel in between contexts. */
export function canonicalUuid(value: string): string | undefined {
  const trimmed = value.trim().replace(/^urn:uuid:/i, '').replace(/^\{(.*)\}$/, '$1');
  return isUuid(trimmed) ? trimmed.toLowerCase() : undefined;
}
