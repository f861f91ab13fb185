import { API_HOST, SITE_HOSTS, startSites, type Sites } from '../../e2e/harness/sites';
import { ExtensionTab, button } from './extension-tab';
import { launchFirefox, type Firefox } from './firefox';

export interface FirefoxHarness {
  sites: Sites;
  firefox: Firefox;
  close(): Promise<void>;
}

/** The local sites and API, and a fresh Firefox with the add-on pointed at them: one per test file. */
export async function startFirefoxHarness(prefs?: Record<string, string | number | boolean>): Promise<FirefoxHarness> {
  const sites = await startSites();
  try {
    const firefox = await launchFirefox({ hosts: [...SITE_HOSTS, API_HOST], sitesPort: sites.port, prefs });
    return {
      sites,
      firefox,
      async close() {
        await firefox.close();
        await sites.close();
      },
    };
  } catch (error) {
    await sites.close();
    throw error;
  }
}

/**
 * Sets the add-on up the way a user does: options page, token pasted, requester organization ID,
 * Save, and the page's own confirmation. Returns the options page, still open.
 */
export async function configureThroughOptions(h: FirefoxHarness, token = h.sites.api.mintToken()): Promise<ExtensionTab> {
  const options = await ExtensionTab.open(h.firefox, 'options.html');
  await options.click(`//label[normalize-space(.)="Access token"]//input[@type="radio"]`);
  await options.fill('Access token', token);
  await options.fill('Requester organization ID', h.sites.api.requesterOrgId);
  await options.fill('Target organization ID', '');
  await options.click(button('Save'));
  await options.waitForText('Saved.');
  return options;
}
