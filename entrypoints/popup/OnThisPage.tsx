import { useEffect, useState } from 'preact/hooks';
import { sendToBackground } from '@/utils/messaging';
import { t } from '@/utils/i18n';
import type { LookupResult } from '@/utils/protocol';
import { statusText } from './status-text';

interface Entry {
  id: string;
  frameId: number;
  result: LookupResult;
}

/** One row per ID, in the first frame it was seen in: the page shows each ID once here. */
function firstPerId(entries: Entry[]): Entry[] {
  const seen = new Set<string>();
  return entries.filter((entry) => !seen.has(entry.id) && seen.add(entry.id));
}

/** The IDs the badges found in the current tab (all frames); choosing one scrolls the page to it. */
export function OnThisPage({ tabId }: { tabId: number }) {
  const [entries, setEntries] = useState<Entry[] | undefined>();
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    sendToBackground({ type: 'getTabIds', tabId })
      .then((answer) => setEntries(firstPerId(answer.entries)))
      .catch(() => setFailed(true));
  }, [tabId]);

  const reveal = (entry: Entry) => {
    void sendToBackground({ type: 'revealId', tabId, frameId: entry.frameId, id: entry.id }).catch(() => undefined);
  };

  return (
    <section aria-labelledby="page-heading">
      <h2 id="page-heading">{t('popupOnThisPageHeading')}</h2>
      {failed && <p class="hint">{t('popupOnThisPageUnavailable')}</p>}
      {entries?.length === 0 && <p class="hint">{t('popupOnThisPageEmpty')}</p>}
      {entries && entries.length > 0 && (
        <ul class="plain id-list">
          {entries.map((entry) => (
            <li key={entry.id}>
              <button type="button" onClick={() => reveal(entry)} title={t('popupRevealHint')}>
                {'connection' in entry.result && <strong>{entry.result.connection.host_name}</strong>}
                <span class="id">{entry.id}</span>
                <span data-status={entry.result.status}>{statusText(entry.result)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
