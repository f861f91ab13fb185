import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import {
  extraApiOrigin,
  validateConnectionForm,
  type ConnectionField,
  type ConnectionFormValues,
  type ValidConnectionForm,
} from '@/utils/connection-form';
import { connectionTestText, errorDetailText } from '@/utils/error-text';
import { t } from '@/utils/i18n';
import { sendToBackground } from '@/utils/messaging';
import { describeState } from '@/utils/state-text';
import type { Policy } from '@/utils/policy';
import type { CredentialsInfo } from '@/utils/protocol';
import type { Settings } from '@/utils/settings';
import { DEFAULT_API_BASE_URL } from '@/utils/sites';
import { settingsItem } from '@/utils/storage';
import { updateSettings } from '@/utils/update-settings';
import { CredentialsStatus } from './CredentialsStatus';
import { Field } from './Field';

interface Props {
  effective: Settings;
  policy: Policy;
  credentials: CredentialsInfo;
  onCredentialsChange(info: CredentialsInfo): void;
}

type Feedback = { kind: 'ok' | 'error'; text: string } | undefined;

const API_ORIGIN = new URL(DEFAULT_API_BASE_URL).origin;

function initialValues(settings: Settings, credentials: CredentialsInfo): ConnectionFormValues {
  return {
    authMode: credentials.mode === 'client' ? 'client' : 'token',
    token: '',
    clientId: credentials.mode === 'client' ? credentials.clientId : '',
    clientSecret: '',
    remember: credentials.mode === 'client' ? credentials.remembered : false,
    baseUrl: settings.baseUrl,
    requesterOrgId: settings.requesterOrgId ?? '',
    targetOrgId: settings.targetOrgId ?? '',
  };
}

function focusField(field: ConnectionField) {
  document.getElementById(`opt-${field}`)?.focus();
}

/** Credentials, API base URL and organization IDs: checked as a whole, then saved as a whole. */
export function ConnectionSection({ effective, policy, credentials, onCredentialsChange }: Props) {
  const [values, setValues] = useState(() => initialValues(effective, credentials));
  const [errors, setErrors] = useState<Partial<Record<ConnectionField, string>>>({});
  const [saveFeedback, setSaveFeedback] = useState<Feedback>();
  const [testFeedback, setTestFeedback] = useState<Feedback>();
  const [busy, setBusy] = useState(false);
  const locked = new Set<string>(policy.locked);

  const set = (field: ConnectionField) => (value: string | boolean) => setValues((v) => ({ ...v, [field]: value }));
  const shown = (field: 'baseUrl' | 'requesterOrgId' | 'targetOrgId') =>
    locked.has(field) ? (effective[field] ?? '') : values[field];

  const save = async (valid: ValidConnectionForm, permission: Promise<boolean>) => {
    if (!(await permission)) {
      setErrors({ baseUrl: 'optionsErrorPermissionDenied' });
      focusField('baseUrl');
      return;
    }
    const previous = await settingsItem.getValue();
    await updateSettings(valid.settings);
    if (valid.auth) {
      const answer = await sendToBackground({ type: 'saveCredentials', auth: valid.auth }).catch(() => undefined);
      if (!answer?.ok) {
        // Credentials refused: the settings go back too, so nothing is saved half-way.
        await settingsItem.setValue(previous);
        const field = valid.auth.mode === 'token' ? 'token' : 'clientSecret';
        setErrors({ [field]: 'optionsErrorCredentialsRejected' });
        setSaveFeedback({ kind: 'error', text: answer?.error ? errorDetailText(answer.error) : t('optionsSaveFailed') });
        focusField(field);
        return;
      }
      onCredentialsChange(answer.info);
    }
    setValues((v) => ({ ...v, token: '', clientSecret: '' }));
    setSaveFeedback({ kind: 'ok', text: t('optionsSaved') });
  };

  const onSubmit = (event: Event) => {
    event.preventDefault();
    setSaveFeedback(undefined);
    setTestFeedback(undefined);
    const result = validateConnectionForm(values, { stored: credentials, locked: policy.locked, current: effective });
    if (!result.ok) {
      setErrors(result.errors);
      const first = Object.keys(result.errors)[0] as ConnectionField | undefined;
      if (first) focusField(first);
      setSaveFeedback({ kind: 'error', text: t('optionsFixErrors') });
      return;
    }
    setErrors({});
    // Asked here, inside the click, because the browser only prompts during a user gesture.
    const origin = extraApiOrigin(result.value.settings.baseUrl, API_ORIGIN);
    const permission = origin ? browser.permissions.request({ origins: [origin] }) : Promise.resolve(true);
    setBusy(true);
    save(result.value, permission)
      .catch(() => setSaveFeedback({ kind: 'error', text: t('optionsSaveFailed') }))
      .finally(() => setBusy(false));
  };

  const testConnection = async () => {
    setTestFeedback({ kind: 'ok', text: t('optionsTesting') });
    try {
      const answer = await sendToBackground({ type: 'testConnection' });
      if (answer.ok) {
        setTestFeedback({
          kind: 'ok',
          text:
            answer.totalConnections === undefined
              ? t('optionsTestOk')
              : t('optionsTestOkCount', answer.totalConnections),
        });
      } else {
        // The service's state after the test says when the extension itself tries again.
        const state = await sendToBackground({ type: 'getState' }).catch(() => undefined);
        const retry = state && describeState(state)?.retry;
        const reason = answer.error ? connectionTestText(answer.error) : t('optionsTestFailed');
        setTestFeedback({ kind: 'error', text: retry ? `${reason} ${retry}` : reason });
      }
    } catch {
      setTestFeedback({ kind: 'error', text: t('optionsTestFailed') });
    }
  };

  const removeCredentials = async () => {
    await sendToBackground({ type: 'clearCredentials' }).catch(() => undefined);
    onCredentialsChange(await sendToBackground({ type: 'getCredentialsInfo' }).catch(() => ({ mode: 'none' as const })));
  };

  return (
    <section aria-labelledby="connection-heading">
      <h2 id="connection-heading">{t('optionsConnectionHeading')}</h2>
      <form onSubmit={onSubmit} noValidate>
        <fieldset>
          <legend>{t('optionsCredentialsLegend')}</legend>
          <CredentialsStatus info={credentials} onRemove={() => void removeCredentials()} />
          <div role="radiogroup" aria-label={t('optionsAuthModeLabel')} class="choice">
            <label class="switch">
              <input
                type="radio"
                name="authMode"
                value="token"
                checked={values.authMode === 'token'}
                onChange={() => set('authMode')('token')}
              />
              {t('optionsAuthToken')}
            </label>
            <label class="switch">
              <input
                type="radio"
                name="authMode"
                value="client"
                checked={values.authMode === 'client'}
                onChange={() => set('authMode')('client')}
              />
              {t('optionsAuthClient')}
            </label>
          </div>
          {values.authMode === 'token' ? (
            <Field
              id="opt-token"
              label={t('optionsTokenLabel')}
              type="password"
              value={values.token}
              onInput={set('token')}
              error={errors.token}
              hint={credentials.mode === 'token' ? t('optionsTokenKeepHint') : t('optionsTokenHint')}
            />
          ) : (
            <>
              <Field
                id="opt-clientId"
                label={t('optionsClientIdLabel')}
                value={values.clientId}
                onInput={set('clientId')}
                error={errors.clientId}
              />
              <Field
                id="opt-clientSecret"
                label={t('optionsClientSecretLabel')}
                type="password"
                value={values.clientSecret}
                onInput={set('clientSecret')}
                error={errors.clientSecret}
                hint={credentials.mode === 'client' ? t('optionsClientSecretKeepHint') : undefined}
              />
              <label class="switch">
                <input
                  type="checkbox"
                  checked={values.remember}
                  aria-describedby="opt-remember-warning"
                  onChange={(event) => set('remember')(event.currentTarget.checked)}
                />
                {t('optionsRememberLabel')}
              </label>
              <p id="opt-remember-warning" class="hint">
                {t('optionsRememberWarning')}
              </p>
            </>
          )}
        </fieldset>
        <Field
          id="opt-baseUrl"
          label={t('optionsBaseUrlLabel')}
          type="url"
          value={shown('baseUrl')}
          onInput={set('baseUrl')}
          error={errors.baseUrl}
          locked={locked.has('baseUrl')}
        />
        <Field
          id="opt-requesterOrgId"
          label={t('optionsRequesterLabel')}
          value={shown('requesterOrgId')}
          onInput={set('requesterOrgId')}
          error={errors.requesterOrgId}
          locked={locked.has('requesterOrgId')}
        />
        <Field
          id="opt-targetOrgId"
          label={t('optionsTargetLabel')}
          value={shown('targetOrgId')}
          onInput={set('targetOrgId')}
          error={errors.targetOrgId}
          locked={locked.has('targetOrgId')}
          hint={t('optionsTargetHint')}
        />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t('optionsSave')}
          </button>
          <button type="button" onClick={() => void testConnection()}>
            {t('optionsTestConnection')}
          </button>
        </div>
        <p class="hint">{t('optionsTestHint')}</p>
        <div aria-live="polite">
          {saveFeedback && (
            <p class={saveFeedback.kind === 'ok' ? 'success' : 'error-box'} role={saveFeedback.kind === 'error' ? 'alert' : undefined}>
              {saveFeedback.text}
            </p>
          )}
          {testFeedback && (
            <p class={testFeedback.kind === 'ok' ? 'success' : 'error-box'} data-testid="test-result">
              {testFeedback.text}
            </p>
          )}
        </div>
      </form>
    </section>
  );
}
