import { ERROR_KINDS } from './error-kinds';
import { z } from './zod';

export { ERROR_KINDS };
export const errorKindSchema = z.enum(ERROR_KINDS);
export type ErrorKind = z.infer<typeof errorKindSchema>;

/** The form an error travels in between contexts: no stack, no token, no request. */
export const apiErrorInfoSchema = z.object({
  kind: errorKindSchema,
  /** English, for logs; the UI names the kind through the locale files. */
  message: z.string().max(2000),
  status: z.number().int().optional(),
  /** The API's own messages (422), or the schema path of a body that did not fit. */
  details: z.array(z.string().max(500)).max(20).optional(),
  /** The API's own error code (`detail[].code`), e.g. `requester_organization_mismatch`. */
  code: z.string().max(100).optional(),
  /** When a rate limit or a breaker lets the caller try again, epoch ms. */
  retryAt: z.number().optional(),
});
export type ApiErrorInfo = z.infer<typeof apiErrorInfoSchema>;

export class ApiError extends Error {
  readonly kind: ErrorKind;
  readonly status?: number;
  readonly details?: string[];
  readonly code?: string;
  readonly retryAt?: number;

  constructor(info: ApiErrorInfo) {
    super(info.message);
    this.name = 'ApiError';
    this.kind = info.kind;
    this.status = info.status;
    this.details = info.details;
    this.code = info.code;
    this.retryAt = info.retryAt;
  }

  toInfo(): ApiErrorInfo {
    const info: ApiErrorInfo = { kind: this.kind, message: this.message };
    if (this.status !== undefined) info.status = this.status;
    if (this.details !== undefined) info.details = this.details;
    if (this.code !== undefined) info.code = this.code;
    if (this.retryAt !== undefined) info.retryAt = this.retryAt;
    return info;
  }
}

/** What a 403 names as the cause, read from its `code`: a setting, the credentials, or nothing in particular. */
export type ForbiddenCause = 'requester' | 'target' | 'credentials';

export function forbiddenCause(info: Pick<ApiErrorInfo, 'code'> | undefined): ForbiddenCause | undefined {
  const code = info?.code?.toLowerCase() ?? '';
  if (code.includes('requester')) return 'requester';
  if (code.includes('target')) return 'target';
  if (/token|scope|client|credential/.test(code)) return 'credentials';
  return undefined;
}
