import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { permissionOrigin } from '@/utils/custom-sites';
import { t } from '@/utils/i18n';
import type { Policy } from '@/utils/policy';
import { sitePatternSchema, type Settings } from '@/utils/settings';
import { BUILTIN_SITES, type BuiltinSiteKey } from '@/utils/sites';
import { updateSettings } from '@/utils/update-settings';
import { Field } from './Field';

interface Props {
  effective: Settings;
  policy: Policy;
}

/** Origins that other entries still need, so removing one site does not take another's permission. */
function originsInUse(settings: Settings, except: string): Set<string> {
  const patterns = [...settings.customSites.filter((p) => p !== except), ...settings.siteRules.map((r) => r.pattern)];
  return new Set([...patterns.map(permissionOrigin), permissionOrigin(`${settings.baseUrl}/`)]);
}

/** The built-in CRMs with a switch each, and custom sites added by host pattern with their permission. */
export function SitesSection({ effective, policy }: Props) {
  const [pattern, setPattern] = useState('');
  const [error, setError] = useState<string>();
  const [granted, setGranted] = useState<Record<string, boolean>>({});
  const builtinLocked = policy.locked.includes('disabledBuiltinSites');
  const customLocked = policy.locked.includes('customSites');

  useEffect(() => {
    void Promise.all(
      effective.customSites.map(async (site) => {
        const has = await browser.permissions.contains({ origins: [permissionOrigin(site)] }).catch(() => false);
        return [site, has] as const;
      }),
    ).then((entries) => setGranted(Object.fromEntries(entries)));
  }, [effective.customSites]);

  const toggleBuiltin = (key: BuiltinSiteKey, on: boolean) => {
    const others = effective.disabledBuiltinSites.filter((k) => k !== key);
    void updateSettings({ disabledBuiltinSites: on ? others : [...others, key] });
  };

  const grant = (site: string) => {
    void browser.permissions
      .request({ origins: [permissionOrigin(site)] })
      .then((ok) => setGranted((g) => ({ ...g, [site]: ok })))
      .catch(() => undefined);
  };

  const add = (event: Event) => {
    event.preventDefault();
    const parsed = sitePatternSchema.safeParse(pattern);
    if (!parsed.success) {
      setError('settingsErrorPattern');
      document.getElementById('opt-site-pattern')?.focus();
      return;
    }
    const site = parsed.data;
    if (effective.customSites.includes(site)) {
      setError('optionsErrorDuplicateSite');
      return;
    }
    setError(undefined);
    // Asked inside the click: the browser prompts only during a user gesture.
    void browser.permissions
      .request({ origins: [permissionOrigin(site)] })
      .then(async (ok) => {
        if (!ok) {
          setError('optionsErrorPermissionDenied');
          return;
        }
        await updateSettings({ customSites: [...effective.customSites, site] });
        setPattern('');
      })
      .catch(() => setError('optionsErrorPermissionDenied'));
  };

  const remove = async (site: string) => {
    await updateSettings({ customSites: effective.customSites.filter((s) => s !== site) });
    const origin = permissionOrigin(site);
    if (!originsInUse(effective, site).has(origin)) {
      await browser.permissions.remove({ origins: [origin] }).catch(() => false);
    }
  };

  return (
    <section aria-labelledby="sites-heading">
      <h2 id="sites-heading">{t('optionsSitesHeading')}</h2>
      <fieldset>
        <legend>{t('optionsBuiltinSitesLegend')}</legend>
        {builtinLocked && (
          <p id="opt-builtin-locked" class="locked">
            {t('optionsLocked')}
          </p>
        )}
        <ul class="plain">
          {BUILTIN_SITES.map((site) => (
            <li key={site.key}>
              <label class="switch">
                <input
                  type="checkbox"
                  role="switch"
                  checked={!effective.disabledBuiltinSites.includes(site.key)}
                  disabled={builtinLocked}
                  aria-describedby={builtinLocked ? 'opt-builtin-locked' : undefined}
                  onChange={(event) => toggleBuiltin(site.key, event.currentTarget.checked)}
                />
                {site.label}
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <fieldset>
        <legend>{t('optionsCustomSitesLegend')}</legend>
        {customLocked && <p class="locked">{t('optionsLocked')}</p>}
        {effective.customSites.length === 0 ? (
          <p class="hint">{t('optionsCustomSitesEmpty')}</p>
        ) : (
          <ul class="plain item-list">
            {effective.customSites.map((site) => (
              <li key={site}>
                <span class="id">{site}</span>
                {granted[site] === false && (
                  <button type="button" onClick={() => grant(site)} aria-label={t('optionsGrantSiteNamed', site)}>
                    {t('optionsGrantSite')}
                  </button>
                )}
                {!customLocked && (
                  <button type="button" onClick={() => void remove(site)} aria-label={t('optionsRemoveSiteNamed', site)}>
                    {t('optionsRemove')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
        {!customLocked && (
          <form onSubmit={add} noValidate class="inline-form">
            <Field
              id="opt-site-pattern"
              label={t('optionsSitePatternLabel')}
              value={pattern}
              onInput={setPattern}
              error={error}
              hint={t('optionsSitePatternHint')}
            />
            <button type="submit">{t('optionsAddSite')}</button>
          </form>
        )}
      </fieldset>
    </section>
  );
}
