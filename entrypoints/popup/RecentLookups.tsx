import { formatDateTime, formatRelative } from '@/utils/format-dates';
import { t } from '@/utils/i18n';
import type { RecentLookup } from '@/utils/recent-lookups';

interface Props {
  items: RecentLookup[];
  onPick(id: string): void;
  onClear(): void;
}

/** The last ten IDs looked up here, newest first; each looks up again when chosen. */
export function RecentLookups({ items, onPick, onClear }: Props) {
  return (
    <section aria-labelledby="recent-heading">
      <div class="section-head">
        <h2 id="recent-heading">{t('popupRecentHeading')}</h2>
        {items.length > 0 && (
          <button type="button" class="link" onClick={onClear}>
            {t('popupRecentClear')}
          </button>
        )}
      </div>
      {items.length === 0 ? (
        <p class="hint">{t('popupRecentEmpty')}</p>
      ) : (
        <ul class="plain id-list">
          {items.map((item) => (
            <li key={item.id}>
              <button type="button" onClick={() => onPick(item.id)}>
                <span class="id">{item.id}</span>
                <time class="hint" dateTime={new Date(item.at).toISOString()} title={formatDateTime(item.at)}>
                  {formatRelative(item.at)}
                </time>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
