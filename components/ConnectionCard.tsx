import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import './connection-card.css';
import { KNOWN_ACTION_TYPES, type HostConnection } from '@/utils/api-schemas';
import type { ApiErrorInfo } from '@/utils/api-error';
import { errorDetailText } from '@/utils/error-text';
import { describeState } from '@/utils/state-text';
import { formatDateTime, formatRelative } from '@/utils/format-dates';
import { t } from '@/utils/i18n';
import type { LookupResult, ServiceState } from '@/utils/protocol';

export interface ConnectionCardProps {
  id: string;
  result?: LookupResult;
  state?: ServiceState;
  onOpenOptions?(): void;
}

const ACTION_KEYS: Record<(typeof KNOWN_ACTION_TYPES)[number], string> = {
  analytics_request: 'cardActionAnalyticsRequest',
  documents_update_request: 'cardActionDocumentsUpdateRequest',
};

/** A known action type in words; one the extension does not know yet, as the API names it. */
function actionText(type: string): string {
  const key = (ACTION_KEYS as Record<string, string | undefined>)[type];
  return key ? t(key) : type;
}

/** Only ever a mail address: nothing in the value can turn the link into another scheme. */
function mailtoHref(email: string): string {
  // A lone surrogate is valid JSON but makes encodeURIComponent throw; it becomes U+FFFD.
  const wellFormed = email.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  return `mailto:${encodeURIComponent(wellFormed)}`;
}

function When({ iso }: { iso: string }) {
  const ms = Date.parse(iso);
  const exact = formatDateTime(ms);
  return (
    <>
      <time dateTime={iso} title={exact}>
        {formatRelative(ms)}
      </time>{' '}
      <span class="mca-card-exact">({exact})</span>
    </>
  );
}

function Row({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function OptionsButton({ onOpenOptions }: { onOpenOptions?(): void }) {
  if (!onOpenOptions) return null;
  return (
    <button type="button" class="mca-card-button" onClick={() => onOpenOptions()}>
      {t('cardOpenOptions')}
    </button>
  );
}

function ConnectionDetails({ connection, status, stale }: { connection: HostConnection; status: string; stale: boolean }) {
  const statusKey = status === 'archived' ? 'cardStatusArchived' : status === 'connected' ? 'cardStatusConnected' : 'cardStatusDisconnected';
  return (
    <>
      <header class="mca-card-header">
        <h2 class="mca-card-title">{connection.host_name}</h2>
        <span class="mca-card-status" data-status={status}>
          {t(statusKey)}
        </span>
      </header>
      <dl class="mca-card-fields">
        <Row label={t('cardFieldStatus')}>
          {t(connection.status === 'connected' ? 'cardStatusConnected' : 'cardStatusDisconnected')}
        </Row>
        {connection.archived && (
          <Row label={t('cardFieldArchived')}>
            {connection.archived_at ? <When iso={connection.archived_at} /> : t('cardYes')}
          </Row>
        )}
        <Row label={t('cardFieldAction')}>
          <span>{connection.active_action_type ? actionText(connection.active_action_type) : t('cardNoAction')}</span>
          {connection.active_action_type && connection.active_action_updated_at && (
            <>
              {' · '}
              <When iso={connection.active_action_updated_at} />
            </>
          )}
        </Row>
        <Row label={t('cardFieldHostEmail')}>
          <a href={mailtoHref(connection.host_email)}>{connection.host_email}</a>
        </Row>
        <Row label={t('cardFieldOwnerEmail')}>
          <a href={mailtoHref(connection.owner_email)}>{connection.owner_email}</a>
        </Row>
        <Row label={t('cardFieldCreated')}>
          <When iso={connection.created_at} />
        </Row>
        <Row label={t('cardFieldUpdated')}>
          <When iso={connection.updated_at} />
        </Row>
      </dl>
      {stale && <p class="mca-card-note">{t('cardStale')}</p>}
    </>
  );
}

function Message({ title, text, children }: { title: string; text: string; children?: ComponentChildren }) {
  return (
    <>
      <h2 class="mca-card-title">{title}</h2>
      <p class="mca-card-note">{text}</p>
      {children}
    </>
  );
}

function ErrorView({ error, onOpenOptions }: { error: ApiErrorInfo; onOpenOptions?(): void }) {
  const help =
    error.kind === 'forbidden'
      ? t('cardForbiddenHelp')
      : error.kind === 'rate_limited'
        ? t('cardRateLimitedHelp')
        : error.kind === 'unauthorized' || error.kind === 'not_configured'
          ? t('cardUnauthorizedHelp')
          : t('cardErrorHelp');
  const needsOptions = error.kind === 'unauthorized' || error.kind === 'not_configured';
  return (
    <Message title={t('cardErrorTitle')} text={errorDetailText(error)}>
      <p class="mca-card-note">{help}</p>
      {needsOptions && <OptionsButton onOpenOptions={onOpenOptions} />}
    </Message>
  );
}

/** Nothing is known of the ID because of the service's state: said as the popup and toolbar say it. */
function ServiceView({ state, onOpenOptions }: { state?: ServiceState; onOpenOptions?(): void }) {
  const text = state && describeState(state);
  if (!text) return <Message title={t('cardUnknownTitle')} text={t('cardUnknownHelp')} />;
  return (
    <Message title={text.problem} text={`${text.action} ${text.retry}`}>
      {text.inSettings && <OptionsButton onOpenOptions={onOpenOptions} />}
    </Message>
  );
}

function Body({ result, state, onOpenOptions }: Omit<ConnectionCardProps, 'id'>) {
  if (!result) {
    return (
      <p class="mca-card-note" role="status">
        {t('cardLoading')}
      </p>
    );
  }
  switch (result.status) {
    case 'connected':
    case 'disconnected':
    case 'archived':
      return <ConnectionDetails connection={result.connection} status={result.status} stale={result.stale} />;
    case 'not_connected':
      return <Message title={t('cardNotConnectedTitle')} text={t('cardNotConnectedHelp')} />;
    case 'error':
      return <ErrorView error={result.error} onOpenOptions={onOpenOptions} />;
    case 'unknown':
      return <ServiceView state={state} onOpenOptions={onOpenOptions} />;
  }
}

function CopyId({ id }: { id: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | undefined>();
  const copy = () => {
    navigator.clipboard.writeText(id).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  };
  return (
    <div class="mca-card-id">
      <code>{id}</code>
      <button type="button" class="mca-card-button" onClick={copy}>
        {t('cardCopyId')}
      </button>
      <span class="mca-card-copied" aria-live="polite">
        {copied === 'yes' ? t('cardCopied') : copied === 'failed' ? t('cardCopyFailed') : ''}
      </span>
    </div>
  );
}

/** Everything known about one organization ID: the page's hover card and the popup's lookup answer. */
export function ConnectionCard({ id, result, state, onOpenOptions }: ConnectionCardProps) {
  return (
    <article class="mca-card" aria-label={t('cardLabel')} data-status={result?.status ?? 'loading'}>
      <Body result={result} state={state} onOpenOptions={onOpenOptions} />
      <CopyId id={id} />
    </article>
  );
}
