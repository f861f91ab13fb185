import type { ApiErrorInfo } from '@/utils/api-error';

/**
 * How many different IDs in a row must get the same 403 before it is taken to concern every ID.
 * Two could be two organizations the account may not see, side by side on a page.
 */
export const FORBIDDEN_STREAK = 3;

/**
 * Tells a 403 that hits every ID (the requester does not match the token, the account may not
 * read connections at all) from one about an organization the account may not see: the same
 * 403 on different IDs with no answer in between.
 */
export class ForbiddenStreak {
  private signature = '';
  private readonly ids = new Set<string>();

  /** Records a 403 of `id`; true once the same 403 came for FORBIDDEN_STREAK different IDs in a row. */
  add(id: string, error: ApiErrorInfo): boolean {
    const signature = JSON.stringify([error.status, error.code, error.details?.[0]]);
    if (signature !== this.signature) {
      this.signature = signature;
      this.ids.clear();
    }
    this.ids.add(id);
    return this.ids.size >= FORBIDDEN_STREAK;
  }

  /** An answer that was no 403 ends the streak. */
  clear(): void {
    this.signature = '';
    this.ids.clear();
  }
}
