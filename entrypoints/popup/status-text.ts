import type { LookupResult } from '@/utils/protocol';
import { errorText } from '@/utils/error-text';
import { t } from '@/utils/i18n';

const STATUS_KEYS: Record<Exclude<LookupResult['status'], 'error'>, string> = {
  connected: 'popupStatusConnected',
  disconnected: 'popupStatusDisconnected',
  archived: 'popupStatusArchived',
  not_connected: 'popupStatusNotConnected',
  unknown: 'popupStatusUnknown',
};

/** A lookup result in a few words, for lists. */
export function statusText(result: LookupResult): string {
  return result.status === 'error' ? errorText(result.error.kind) : t(STATUS_KEYS[result.status]);
}
