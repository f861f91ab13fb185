import { useCallback, useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { HostAccessPrompt } from '@/components/HostAccessPrompt';
import { switchableHost } from '@/utils/disabled-hosts';
import { loadEffectiveSettings } from '@/utils/effective-settings';
import { extractId } from '@/utils/extract-id';
import { t } from '@/utils/i18n';
import { parseLookupHash } from '@/utils/lookup-hash';
import { isSiteEnabled } from '@/utils/page-config';
import { sendToBackground } from '@/utils/messaging';
import type { ServiceState } from '@/utils/protocol';
import { addRecentLookup, loadRecentLookups, recentLookupsItem, type RecentLookup } from '@/utils/recent-lookups';
import { StatusBanner } from './StatusBanner';
import { LookupSection, type LookupView } from './LookupSection';
import { OnThisPage } from './OnThisPage';
import { RecentLookups } from './RecentLookups';
import { SiteSwitch } from './SiteSwitch';

interface ActiveTab {
  id: number;
  url: string;
  host: string | undefined;
}

async function activeTab(): Promise<ActiveTab | undefined> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id === undefined ? undefined : { id: tab.id, url: tab.url ?? '', host: switchableHost(tab.url) };
}

/**
 * The toolbar popup. Opened with `#lookup=<id>` (the context menu's small window) it looks that ID
 * up at once and leaves out what concerns a tab, since its own window has none.
 */
export function Popup({ hash }: { hash: string }) {
  const [lookupRequest] = useState(() => parseLookupHash(hash));
  const [state, setState] = useState<ServiceState>();
  const [tab, setTab] = useState<ActiveTab>();
  const [recent, setRecent] = useState<RecentLookup[]>([]);
  const [query, setQuery] = useState(lookupRequest?.id ?? '');
  const [view, setView] = useState<LookupView>(lookupRequest && !lookupRequest.id ? { kind: 'no-id' } : { kind: 'idle' });

  const lookUp = useCallback(async (text: string) => {
    const id = extractId(text);
    if (!id) {
      setView({ kind: 'no-id' });
      return;
    }
    setQuery(id);
    setView({ kind: 'loading', id });
    const updated = addRecentLookup(await loadRecentLookups(), id, Date.now());
    setRecent(updated);
    await recentLookupsItem.setValue(updated);
    try {
      const answer = await sendToBackground({ type: 'lookupOne', id });
      setState(answer.state);
      setView({ kind: 'done', id, result: answer.result, state: answer.state });
    } catch {
      setView({ kind: 'failed', id });
    }
  }, []);

  useEffect(() => {
    sendToBackground({ type: 'getState' })
      .then(setState)
      .catch(() => undefined);
    void loadRecentLookups().then(setRecent);
    if (lookupRequest?.id) void lookUp(lookupRequest.id);
    else if (!lookupRequest) void activeTab().then(setTab);
  }, [lookupRequest, lookUp]);

  const openOptions = () => {
    void sendToBackground({ type: 'openOptions' })
      .then(() => window.close())
      .catch(() => undefined);
  };

  /** A CRM page open while access was withheld has no content script: it gets one on reload. */
  const reloadGrantedTab = async () => {
    const current = await activeTab();
    setTab(current);
    if (current?.host && isSiteEnabled(current.url, await loadEffectiveSettings())) await browser.tabs.reload(current.id);
  };

  const clearRecent = () => {
    setRecent([]);
    void recentLookupsItem.setValue([]);
  };

  return (
    <main>
      <h1>{t('extName')}</h1>
      {state && <StatusBanner state={state} onOpenOptions={openOptions} />}
      <HostAccessPrompt onGranted={() => void reloadGrantedTab().catch(() => undefined)} />
      <LookupSection
        query={query}
        view={view}
        onQueryChange={setQuery}
        onSubmit={() => void lookUp(query)}
        onOpenOptions={openOptions}
      />
      {tab?.host && <SiteSwitch url={tab.url} host={tab.host} />}
      {tab && <OnThisPage tabId={tab.id} />}
      <RecentLookups items={recent} onPick={(id) => void lookUp(id)} onClear={clearRecent} />
    </main>
  );
}
