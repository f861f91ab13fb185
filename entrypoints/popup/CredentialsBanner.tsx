import type { ServiceState } from '@/utils/protocol';
import { formatRelative } from '@/utils/format-dates';
import { t } from '@/utils/i18n';

/** Expiry warnings start this long before a pasted token runs out. */
const EXPIRY_WARNING_MS = 10 * 60_000;

function bannerText(state: ServiceState, now: number): string | undefined {
  const expiresAt = state.authMode === 'token' ? state.tokenExpiresAt : undefined;
  if (state.kind === 'not_configured') return t('popupBannerNotConfigured');
  if (expiresAt !== undefined && expiresAt <= now) return t('popupBannerExpired');
  if (state.kind === 'unauthorized') return t('popupBannerUnauthorized');
  if (expiresAt !== undefined && expiresAt - now < EXPIRY_WARNING_MS) {
    return t('popupBannerExpiresSoon', formatRelative(expiresAt, now));
  }
  return undefined;
}

/** Says when the extension cannot look anything up because of its credentials, with the way to fix it. */
export function CredentialsBanner({ state, onOpenOptions }: { state: ServiceState; onOpenOptions(): void }) {
  const text = bannerText(state, Date.now());
  if (!text) return null;
  return (
    <div class="banner" role="status">
      <p>{text}</p>
      <button type="button" onClick={onOpenOptions}>
        {t('popupOpenSettings')}
      </button>
    </div>
  );
}
