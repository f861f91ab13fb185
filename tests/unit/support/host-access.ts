import { vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

/**
 * Host access as the fake browser cannot give it: `contains` answers from `granted` (every origin
 * by default), and the permission events take listeners (WXT's fake has none).
 */
export function fakeHostAccess(granted: (origin: string) => boolean = () => true) {
  vi.spyOn(fakeBrowser.permissions, 'contains').mockImplementation((async ({ origins = [] }: { origins?: string[] }) =>
    origins.every(granted)) as never);
  for (const event of [fakeBrowser.permissions.onAdded, fakeBrowser.permissions.onRemoved]) {
    vi.spyOn(event, 'addListener').mockImplementation(() => undefined);
    vi.spyOn(event, 'removeListener').mockImplementation(() => undefined);
  }
}
