import type { BadgeResult, ContentServiceState } from './content-protocol';
import { SERVICE_WIDE_KINDS } from './error-kinds';

export const BADGE_STATUSES = [
  'loading',
  'connected',
  'disconnected',
  'archived',
  'not-connected',
  'auth-required',
  'forbidden',
  'error',
] as const;
export type BadgeStatus = (typeof BADGE_STATUSES)[number];

/**
 * What a badge shows for an ID, or undefined for no badge. Pages are full of GUIDs that are not
 * organizations, so an ID the API does not know, or one not looked up yet, stays unbadged unless
 * it sits in a field a site rule marks as holding organization IDs. Errors that concern every ID
 * are the toolbar's and the popup's to show, never a badge's.
 */
export function badgeStatusFor(
  result: BadgeResult | undefined,
  inIdField: boolean,
  serviceKind: ContentServiceState['kind'] | undefined,
): BadgeStatus | undefined {
  const unknown = (): BadgeStatus | undefined => {
    if (!inIdField) return undefined;
    return serviceKind === 'unauthorized' || serviceKind === 'not_configured' ? 'auth-required' : undefined;
  };
  if (!result) return inIdField ? 'loading' : undefined;
  switch (result.status) {
    case 'connected':
    case 'disconnected':
    case 'archived':
      return result.status;
    case 'not_connected':
      return inIdField ? 'not-connected' : undefined;
    case 'error':
      if (SERVICE_WIDE_KINDS.has(result.error.kind)) return unknown();
      // A 403 an ID got before the service saw that every ID gets it says nothing of that ID.
      if (result.error.kind === 'forbidden' && serviceKind === 'forbidden') return unknown();
      if (result.error.kind === 'not_connected') return inIdField ? 'not-connected' : undefined;
      return result.error.kind === 'forbidden' ? 'forbidden' : 'error';
    case 'unknown':
      return unknown();
  }
}
