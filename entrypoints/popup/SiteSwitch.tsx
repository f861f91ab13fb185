import { useEffect, useState } from 'preact/hooks';
import { setHostEnabled } from '@/utils/disabled-hosts';
import { loadEffectiveSettings } from '@/utils/effective-settings';
import { t } from '@/utils/i18n';
import { isSiteEnabled } from '@/utils/page-config';
import { updateSettings } from '@/utils/update-settings';

type SiteState = { kind: 'loading' } | { kind: 'unsupported' } | { kind: 'supported'; enabled: boolean };

/**
 * "Show badges on this site": switches badges off and on for the current tab's host. On a site
 * the badges never run on, it says how to add the site instead.
 */
export function SiteSwitch({ url, host }: { url: string; host: string }) {
  const [site, setSite] = useState<SiteState>({ kind: 'loading' });

  useEffect(() => {
    void loadEffectiveSettings().then((settings) => {
      const supported = isSiteEnabled(url, { ...settings, disabledHosts: [] });
      setSite(supported ? { kind: 'supported', enabled: !settings.disabledHosts.includes(host) } : { kind: 'unsupported' });
    });
  }, [url, host]);

  const toggle = async (enabled: boolean) => {
    setSite({ kind: 'supported', enabled });
    const current = await loadEffectiveSettings();
    await updateSettings({ disabledHosts: setHostEnabled(current.disabledHosts, host, enabled) });
  };

  if (site.kind === 'loading') return null;
  return (
    <section aria-labelledby="site-heading">
      <h2 id="site-heading" class="visually-hidden">
        {t('popupSiteHeading')}
      </h2>
      {site.kind === 'unsupported' ? (
        <p class="hint">{t('popupSiteNotSupported', host)}</p>
      ) : (
        <>
          <label class="switch">
            <input
              type="checkbox"
              role="switch"
              checked={site.enabled}
              aria-describedby="site-host"
              onChange={(event) => void toggle(event.currentTarget.checked)}
            />
            {t('popupShowBadgesOnSite')}
          </label>
          <p id="site-host" class="hint">
            {host}
          </p>
        </>
      )}
    </section>
  );
}
