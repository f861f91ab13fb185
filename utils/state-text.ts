import { forbiddenCause, type ForbiddenCause } from './api-error';
import { formatTime } from './format-dates';
import { t } from './i18n';
import type { ServiceState } from './protocol';

/** A state of the service in the user's words: what is wrong, what they can do, when the extension tries again. */
export interface StateText {
  problem: string;
  action: string;
  retry: string;
  /** Whether the fix is in the settings (the popup then offers to open them). */
  inSettings: boolean;
}

/** What a 403 for every ID means and what fixes it, by what its code names. */
function forbiddenText(cause: ForbiddenCause | undefined): [problem: string, action: string] {
  switch (cause) {
    case 'requester':
      return [t('stateForbiddenRequesterProblem'), t('stateForbiddenRequesterAction')];
    case 'target':
      return [t('stateForbiddenTargetProblem'), t('stateForbiddenTargetAction')];
    case 'credentials':
      return [t('stateForbiddenCredentialsProblem'), t('stateForbiddenCredentialsAction')];
    case undefined:
      return [t('stateForbiddenProblem'), t('stateForbiddenAction')];
  }
}

/** Undefined for `ready`: nothing to say. */
export function describeState(state: ServiceState, now = Date.now()): StateText | undefined {
  const untilSaved = t('stateRetryOnSave');
  // A pasted token past its expiry is said to be expired before any call finds out.
  const expired = state.authMode === 'token' && state.tokenExpiresAt !== undefined && state.tokenExpiresAt <= now;
  if (expired && (state.kind === 'ready' || state.kind === 'unauthorized')) {
    return { problem: t('stateTokenExpiredProblem'), action: t('stateTokenAction'), retry: untilSaved, inSettings: true };
  }
  switch (state.kind) {
    case 'ready':
      return undefined;
    case 'not_configured':
      return { problem: t('stateNotConfiguredProblem'), action: t('stateNotConfiguredAction'), retry: t('stateRetryWhenSet'), inSettings: true };
    case 'unauthorized':
      if (state.authMode === 'client') {
        return { problem: t('stateClientRefusedProblem'), action: t('stateClientAction'), retry: untilSaved, inSettings: true };
      }
      return { problem: t('stateTokenRefusedProblem'), action: t('stateTokenAction'), retry: untilSaved, inSettings: true };
    case 'forbidden': {
      const [problem, action] = forbiddenText(forbiddenCause(state.error));
      return { problem, action, retry: untilSaved, inSettings: true };
    }
    case 'rate_limited': {
      const retry = state.retryAt === undefined ? t('stateResumeSoon') : t('stateResumeAt', formatTime(state.retryAt));
      return { problem: t('stateRateLimitedProblem'), action: t('stateWaitAction'), retry, inSettings: false };
    }
    case 'unavailable':
    case 'offline': {
      const retry = state.retryAt === undefined ? t('stateRetrySoon') : t('stateRetryAt', formatTime(state.retryAt));
      if (state.kind === 'offline') return { problem: t('stateOfflineProblem'), action: t('stateOfflineAction'), retry, inSettings: false };
      const problem = state.error?.kind === 'timeout' ? t('stateSlowProblem') : t('stateUnavailableProblem');
      return { problem, action: t('stateWaitAction'), retry, inSettings: false };
    }
  }
}

/** The whole state as one sentence run, for the toolbar button's title. */
export function stateTitle(state: ServiceState, now = Date.now()): string {
  const text = describeState(state, now);
  return text ? t('stateTitle', `${text.problem} ${text.action} ${text.retry}`) : t('extName');
}
