import type { ServiceState } from '@/utils/protocol';
import { formatRelative } from '@/utils/format-dates';
import { t } from '@/utils/i18n';
import { describeState } from '@/utils/state-text';

/** Expiry warnings start this long before a pasted token runs out. */
const EXPIRY_WARNING_MS = 10 * 60_000;

/**
 * Says, once for all IDs, what keeps the extension from looking them up, what the user can do
 * about it and when the extension tries again; or warns of a pasted token about to run out.
 */
export function StatusBanner({ state, onOpenOptions }: { state: ServiceState; onOpenOptions(): void }) {
  const now = Date.now();
  const text = describeState(state, now);
  const expiresAt = state.authMode === 'token' ? state.tokenExpiresAt : undefined;
  const expiresSoon = !text && expiresAt !== undefined && expiresAt - now < EXPIRY_WARNING_MS;
  if (!text && !expiresSoon) return null;
  return (
    <div class="banner" role="status">
      {text ? (
        <>
          <p>
            {text.problem} {text.action}
          </p>
          <p>{text.retry}</p>
        </>
      ) : (
        <p>{t('popupBannerExpiresSoon', formatRelative(expiresAt!, now))}</p>
      )}
      {(!text || text.inSettings) && (
        <button type="button" onClick={onOpenOptions}>
          {t('popupOpenSettings')}
        </button>
      )}
    </div>
  );
}
