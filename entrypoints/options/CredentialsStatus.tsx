import { formatDateTime, formatRelative } from '@/utils/format-dates';
import { t } from '@/utils/i18n';
import type { CredentialsInfo } from '@/utils/protocol';

function describe(info: CredentialsInfo, now: number): string[] {
  if (info.mode === 'none') return [info.enteredFor ? t('optionsCredentialsOtherOrigin', info.enteredFor) : t('optionsCredentialsNone')];
  if (info.mode === 'client') {
    return [
      t('optionsCredentialsClient', info.clientId),
      info.remembered ? t('optionsCredentialsRemembered') : t('optionsCredentialsSessionOnly'),
    ];
  }
  const lines = [info.subject ? t('optionsTokenSubject', info.subject) : t('optionsTokenNoSubject')];
  if (info.expiresAt !== undefined) {
    const when = `${formatDateTime(info.expiresAt)} (${formatRelative(info.expiresAt, now)})`;
    lines.push(info.expiresAt <= now ? t('optionsTokenExpired', when) : t('optionsTokenExpires', when));
  }
  return lines;
}

/** What is stored now, read back from the background: who a token is for and when it runs out; never a secret. */
export function CredentialsStatus({ info, onRemove }: { info: CredentialsInfo; onRemove(): void }) {
  return (
    <div class="credentials-status" aria-live="polite">
      {describe(info, Date.now()).map((line) => (
        <p key={line}>{line}</p>
      ))}
      {info.mode !== 'none' && (
        <button type="button" onClick={onRemove}>
          {t('optionsRemoveCredentials')}
        </button>
      )}
    </div>
  );
}
