import { forbiddenCause, type ApiErrorInfo, type ErrorKind, type ForbiddenCause } from './api-error';
import { t } from './i18n';

const ERROR_KEYS: Record<ErrorKind, string> = {
  not_configured: 'errorNotConfigured',
  unauthorized: 'errorUnauthorized',
  forbidden: 'errorForbidden',
  not_connected: 'errorNotConnected',
  invalid_request: 'errorInvalidRequest',
  rate_limited: 'errorRateLimited',
  unavailable: 'errorUnavailable',
  timeout: 'errorTimeout',
  network: 'errorNetwork',
  invalid_response: 'errorInvalidResponse',
};

/** The user's words for an error kind. */
export function errorText(kind: ErrorKind): string {
  return t(ERROR_KEYS[kind]);
}

function withDetails(reason: string, info: ApiErrorInfo): string {
  const parts = [reason];
  if (info.status !== undefined) parts.push(t('errorHttpStatus', info.status));
  if (info.details?.length) parts.push(info.details.join('; '));
  return parts.join(' ');
}

/** The kind in words plus what the API said, for places that show the exact reason. */
export function errorDetailText(info: ApiErrorInfo): string {
  return withDetails(errorText(info.kind), info);
}

const TEST_FAILURE_KEYS: Partial<Record<ErrorKind, string>> = {
  not_configured: 'optionsTestNotConfigured',
  unauthorized: 'optionsTestUnauthorized',
  forbidden: 'optionsTestForbidden',
  network: 'optionsTestUnreachable',
  timeout: 'optionsTestUnreachable',
  // A base URL that is not the API answers with pages that do not exist or do not fit the schema.
  not_connected: 'optionsTestWrongBaseUrl',
  invalid_response: 'optionsTestWrongBaseUrl',
  rate_limited: 'optionsTestRateLimited',
  unavailable: 'optionsTestUnavailable',
};

/** A 403 whose code names what is refused says which setting to fix. */
const FORBIDDEN_TEST_KEYS: Record<ForbiddenCause, string> = {
  requester: 'optionsTestForbiddenRequester',
  target: 'optionsTestForbiddenTarget',
  credentials: 'optionsTestForbiddenCredentials',
};

/** Why "Test connection" failed, as exactly as the error allows. */
export function connectionTestText(info: ApiErrorInfo): string {
  const cause = info.kind === 'forbidden' ? forbiddenCause(info) : undefined;
  const key = cause ? FORBIDDEN_TEST_KEYS[cause] : TEST_FAILURE_KEYS[info.kind];
  return withDetails(key ? t(key) : errorText(info.kind), info);
}
