import { useState } from 'preact/hooks';
import { t } from '@/utils/i18n';
import { sendToBackground } from '@/utils/messaging';
import type { Policy } from '@/utils/policy';
import { settingsSchema, type Settings } from '@/utils/settings';
import { updateSettings } from '@/utils/update-settings';
import { Field } from './Field';

type NumberField = 'cacheTtlSeconds' | 'hoverDelayMs';

const LIMITS: Record<NumberField, { min: number; max: number }> = {
  cacheTtlSeconds: { min: 10, max: 86_400 },
  hoverDelayMs: { min: 0, max: 5000 },
};

/** Cache lifetime, hover delay and link badges; each applies as soon as it is changed. */
export function BehaviourSection({ effective, policy }: { effective: Settings; policy: Policy }) {
  const [drafts, setDrafts] = useState<Partial<Record<NumberField, string>>>({});
  const [errors, setErrors] = useState<Partial<Record<NumberField, string>>>({});
  const [cacheCleared, setCacheCleared] = useState<boolean | undefined>();
  const locked = new Set<string>(policy.locked);

  const commit = (field: NumberField, raw: string) => {
    const parsed = settingsSchema.shape[field].safeParse(raw.trim() === '' ? Number.NaN : Number(raw));
    if (!parsed.success) {
      setErrors((e) => ({ ...e, [field]: field === 'cacheTtlSeconds' ? 'optionsErrorCacheTtl' : 'optionsErrorHoverDelay' }));
      return;
    }
    setErrors((e) => ({ ...e, [field]: undefined }));
    setDrafts((d) => ({ ...d, [field]: undefined }));
    void updateSettings({ [field]: parsed.data });
  };

  const numberField = (field: NumberField, label: string) => (
    <Field
      id={`opt-${field}`}
      label={label}
      type="number"
      value={drafts[field] ?? String(effective[field])}
      onInput={(value) => setDrafts((d) => ({ ...d, [field]: value }))}
      onChange={(value) => commit(field, value)}
      error={errors[field]}
      locked={locked.has(field)}
      hint={t('optionsRangeHint', LIMITS[field].min, LIMITS[field].max)}
    />
  );

  const clearCache = () => {
    // The message goes and comes back, so a second clear is seen and announced too.
    setCacheCleared(undefined);
    sendToBackground({ type: 'clearCache' })
      .then(() => setCacheCleared(true))
      .catch(() => setCacheCleared(false));
  };

  return (
    <section aria-labelledby="behaviour-heading">
      <h2 id="behaviour-heading">{t('optionsBehaviourHeading')}</h2>
      {numberField('cacheTtlSeconds', t('optionsCacheTtlLabel'))}
      {numberField('hoverDelayMs', t('optionsHoverDelayLabel'))}
      <label class="switch">
        <input
          type="checkbox"
          role="switch"
          checked={effective.badgeLinks}
          disabled={locked.has('badgeLinks')}
          aria-describedby={locked.has('badgeLinks') ? 'opt-badgeLinks-locked' : undefined}
          onChange={(event) => void updateSettings({ badgeLinks: event.currentTarget.checked })}
        />
        {t('optionsBadgeLinksLabel')}
      </label>
      {locked.has('badgeLinks') && (
        <p id="opt-badgeLinks-locked" class="locked">
          {t('optionsLocked')}
        </p>
      )}
      <div class="actions">
        <button type="button" onClick={clearCache}>
          {t('optionsClearCache')}
        </button>
        <span aria-live="polite">
          {cacheCleared === true && <span class="success">{t('optionsCacheCleared')}</span>}
          {cacheCleared === false && <span class="field-error">{t('optionsCacheClearFailed')}</span>}
        </span>
      </div>
    </section>
  );
}
