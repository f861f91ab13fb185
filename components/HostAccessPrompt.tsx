import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { loadEffectiveSettings, watchEffectiveSettings } from '@/utils/effective-settings';
import { missingHostAccess, type MissingAccess } from '@/utils/host-access';
import { t } from '@/utils/i18n';

/**
 * Says which host access the browser withholds (a CRM where no badge can show, the API no lookup
 * can reach) and asks for it back with one click: the browser only prompts during a user gesture.
 * Shows nothing while all is granted. The browser does not run content scripts in pages that
 * were open before, so `onGranted` may reload one.
 */
export function HostAccessPrompt({ onGranted }: { onGranted?(): void }) {
  const [missing, setMissing] = useState<MissingAccess>();
  const [refused, setRefused] = useState(false);

  useEffect(() => {
    const check = () => void loadEffectiveSettings().then(missingHostAccess).then(setMissing);
    check();
    const unwatch = watchEffectiveSettings(check);
    browser.permissions.onAdded.addListener(check);
    browser.permissions.onRemoved.addListener(check);
    return () => {
      unwatch();
      browser.permissions.onAdded.removeListener(check);
      browser.permissions.onRemoved.removeListener(check);
    };
  }, []);

  if (!missing || missing.origins.length === 0) return null;

  const grant = () => {
    setRefused(false);
    browser.permissions
      .request({ origins: missing.origins })
      .then((ok) => {
        setRefused(!ok);
        if (ok) onGranted?.();
      })
      .catch(() => setRefused(true));
  };

  return (
    <div class="banner" role="status">
      {missing.sites.length > 0 && <p>{t('hostAccessSitesMissing', missing.sites.join(', '))}</p>}
      {missing.apiHost && <p>{t('hostAccessApiMissing', missing.apiHost)}</p>}
      <button type="button" onClick={grant}>
        {t('hostAccessGrant')}
      </button>
      {refused && <p>{t('hostAccessRefused')}</p>}
    </div>
  );
}
