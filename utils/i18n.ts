import { browser } from 'wxt/browser';

// WXT types `getMessage` with the keys it saw in the locale files at the last `wxt prepare`;
// keys are checked against the files by the locale test instead, so any string goes here.
const getMessage = (key: string, subs: string[]): string =>
  (browser.i18n.getMessage as (key: string, subs: string[]) => string)(key, subs);

/**
 * A locale string by key. Falls back to the key itself so a missing string is visible and a
 * context without `i18n` (tests, a torn-down content script) still renders.
 */
export function t(key: string, ...subs: (string | number)[]): string {
  try {
    const message = getMessage(key, subs.map(String));
    return message || key;
  } catch {
    return key;
  }
}
