const EMBEDDED_UUID = /(?<![0-9a-f])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f])/i;

/**
 * CRM URLs carry IDs percent-encoded (`id=%7B…%7D`); the escape's hex digits would otherwise glue
 * onto the ID. Decoded escape by escape so one malformed escape does not lose the rest.
 */
function decodePercentEscapes(text: string): string {
  return text.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** The first organization ID in pasted text (a bare UUID, a CRM URL, "ID: {…}"), lower-case; undefined when none. */
export function extractId(text: string): string | undefined {
  const match = EMBEDDED_UUID.exec(decodePercentEscapes(text));
  return match?.[0].toLowerCase();
}
