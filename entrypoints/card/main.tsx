import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import '@/assets/page-theme.css';
import './card.css';
import { ConnectionCard } from '@/components/ConnectionCard';
import { uiLocale } from '@/utils/format-dates';
import { t } from '@/utils/i18n';
import { sendToBackground } from '@/utils/messaging';
import type { BackgroundRequest, LookupResult, ServiceState } from '@/utils/protocol';
import { canonicalUuid } from '@/utils/uuid';

/**
 * Tells the content script that shows this card (it owns the frame) to close or fit it. Runtime
 * messaging, not `postMessage`: the page cannot forge or read it. The background passes it on to
 * the card's own tab, which it knows from the browser.
 */
async function toOwnTab(message: CardMessage): Promise<void> {
  try {
    await sendToBackground(message);
  } catch {
    // The background refused or could not pass it on: the card stays as it is.
  }
}

type CardMessage = BackgroundRequest<'cardClose'> | BackgroundRequest<'cardResize'>;

interface Answer {
  result: LookupResult;
  state?: ServiceState;
}

function idFromHash(): string | undefined {
  return canonicalUuid(decodeURIComponent(location.hash.slice(1)));
}

function CardPage() {
  const [id, setId] = useState(idFromHash);
  const [answer, setAnswer] = useState<Answer | undefined>();

  useEffect(() => {
    const onHash = () => setId(idFromHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    setAnswer(undefined);
    if (!id) return;
    let current = true;
    sendToBackground({ type: 'lookupOne', id }).then(
      (value) => current && setAnswer(value),
      () => current && setAnswer({ result: { status: 'unknown' } }),
    );
    return () => {
      current = false;
    };
  }, [id]);

  useEffect(() => {
    if (!id) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') void toOwnTab({ type: 'cardClose', id });
    };
    addEventListener('keydown', onKey);
    const observer = new ResizeObserver(() => {
      void toOwnTab({ type: 'cardResize', id, height: Math.ceil(document.body.getBoundingClientRect().height) });
    });
    observer.observe(document.body);
    return () => {
      removeEventListener('keydown', onKey);
      observer.disconnect();
    };
  }, [id]);

  if (!id) return <p class="mca-card-note">{t('cardNoId')}</p>;
  return (
    <ConnectionCard
      id={id}
      result={answer?.result}
      state={answer?.state}
      onOpenOptions={() => void sendToBackground({ type: 'openOptions' }).catch(() => undefined)}
    />
  );
}

document.documentElement.lang = uiLocale();
document.title = t('cardFrameTitle');
const root = document.getElementById('app');
if (root) render(<CardPage />, root);
