import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { HostAccessPrompt } from '@/components/HostAccessPrompt';
import { readPolicy } from '@/utils/effective-settings';
import { t } from '@/utils/i18n';
import { sendToBackground } from '@/utils/messaging';
import { applyPolicy, type Policy, type PolicyField } from '@/utils/policy';
import type { CredentialsInfo } from '@/utils/protocol';
import type { Settings } from '@/utils/settings';
import { loadSettings, settingsItem } from '@/utils/storage';
import { BehaviourSection } from './BehaviourSection';
import { ConnectionSection } from './ConnectionSection';
import { SiteRulesSection } from './SiteRulesSection';
import { SitesSection } from './SitesSection';

const FIELD_LABELS: Record<PolicyField, string> = {
  baseUrl: 'optionsBaseUrlLabel',
  requesterOrgId: 'optionsRequesterLabel',
  targetOrgId: 'optionsTargetLabel',
  disabledBuiltinSites: 'optionsBuiltinSitesLegend',
  customSites: 'optionsCustomSitesLegend',
  siteRules: 'optionsRulesHeading',
  cacheTtlSeconds: 'optionsCacheTtlLabel',
  hoverDelayMs: 'optionsHoverDelayLabel',
  badgeLinks: 'optionsBadgeLinksLabel',
};

interface Loaded {
  settings: Settings;
  policy: Policy;
  /** Set when the stored settings were unreadable and defaults stand in for them. */
  reset?: string;
}

/** The options page. Follows stored settings and the policy live, so a change made elsewhere shows at once. */
export function Options() {
  const [loaded, setLoaded] = useState<Loaded>();
  const [credentials, setCredentials] = useState<CredentialsInfo>();
  // Bumped by every save of credentials, so a reload that read them before it cannot undo it.
  const saves = useRef(0);
  const credentialsChanged = (info: CredentialsInfo) => {
    saves.current += 1;
    setCredentials(info);
  };

  useEffect(() => {
    // Credentials hold only for the API origin they were entered for: a new address (from this
    // page, a policy or anything else that writes settings) is followed by what they are worth now.
    const reload = () => {
      const savesBefore = saves.current;
      void Promise.all([loadSettings(), readPolicy(), sendToBackground({ type: 'getCredentialsInfo' }).catch(() => ({ mode: 'none' as const }))]).then(
        ([{ settings, reset }, policy, info]) => {
          if (reset) console.warn(reset);
          setLoaded({ settings, policy, reset });
          if (saves.current === savesBefore) setCredentials(info);
        },
      );
    };
    reload();
    const unwatch = settingsItem.watch(reload);
    const onChanged = (_changes: unknown, area: string) => {
      if (area === 'managed') reload();
    };
    browser.storage.onChanged.addListener(onChanged);
    return () => {
      unwatch();
      browser.storage.onChanged.removeListener(onChanged);
    };
  }, []);

  if (!loaded || !credentials) return <p aria-busy="true">{t('optionsLoading')}</p>;
  const effective = applyPolicy(loaded.settings, loaded.policy);

  return (
    <main>
      <h1>{t('optionsTitle')}</h1>
      {loaded.reset && (
        <p class="error-box" role="alert">
          {t('optionsSettingsReset')}
        </p>
      )}
      {loaded.policy.locked.length > 0 && <p class="banner">{t('optionsManagedNotice')}</p>}
      {loaded.policy.invalid.length > 0 && (
        <p class="error-box">
          {t('optionsPolicyInvalid', loaded.policy.invalid.map((field) => t(FIELD_LABELS[field])).join(', '))}
        </p>
      )}
      <HostAccessPrompt />
      <ConnectionSection
        effective={effective}
        policy={loaded.policy}
        credentials={credentials}
        onCredentialsChange={credentialsChanged}
      />
      <SitesSection effective={effective} policy={loaded.policy} />
      <SiteRulesSection effective={effective} policy={loaded.policy} />
      <BehaviourSection effective={effective} policy={loaded.policy} />
    </main>
  );
}
