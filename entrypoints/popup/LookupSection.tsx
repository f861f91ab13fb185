import { ConnectionCard } from '@/components/ConnectionCard';
import { t } from '@/utils/i18n';
import type { LookupResult, ServiceState } from '@/utils/protocol';

export type LookupView =
  | { kind: 'idle' }
  | { kind: 'no-id' }
  | { kind: 'loading'; id: string }
  | { kind: 'done'; id: string; result: LookupResult; state: ServiceState }
  | { kind: 'failed'; id: string };

interface Props {
  query: string;
  view: LookupView;
  onQueryChange(query: string): void;
  onSubmit(): void;
  onOpenOptions(): void;
}

/** The "Organization ID" field, its "Look up" button and the answer as the same card the page shows. */
export function LookupSection({ query, view, onQueryChange, onSubmit, onOpenOptions }: Props) {
  const noId = view.kind === 'no-id';
  return (
    <section aria-labelledby="lookup-heading">
      <h2 id="lookup-heading" class="visually-hidden">
        {t('popupLookupHeading')}
      </h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
      >
        <div class="field">
          <label for="lookup-id">{t('popupIdLabel')}</label>
          <div class="lookup-row">
            <input
              id="lookup-id"
              type="text"
              autoComplete="off"
              spellcheck={false}
              value={query}
              aria-invalid={noId}
              aria-describedby={noId ? 'lookup-error' : 'lookup-hint'}
              onInput={(event) => onQueryChange(event.currentTarget.value)}
            />
            <button type="submit" class="primary" disabled={view.kind === 'loading'}>
              {t('popupLookupButton')}
            </button>
          </div>
          {noId ? (
            <p id="lookup-error" class="field-error" role="alert">
              {t('popupNoIdFound')}
            </p>
          ) : (
            <p id="lookup-hint" class="hint">
              {t('popupIdHint')}
            </p>
          )}
        </div>
      </form>
      <div aria-live="polite">
        {view.kind === 'loading' && <p>{t('popupLookingUp')}</p>}
        {view.kind === 'failed' && (
          <p class="error-box" role="alert">
            {t('popupLookupFailed')}
          </p>
        )}
        {view.kind === 'done' && (
          <ConnectionCard id={view.id} result={view.result} state={view.state} onOpenOptions={onOpenOptions} />
        )}
      </div>
    </section>
  );
}
