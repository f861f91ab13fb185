import { companyRows, loadDemoData } from '../shared/demo-data';

/**
 * Renders the Accounts page with LWC's engine. The engine is loaded here, after the page's entry
 * had its say: synthetic shadow must patch the DOM before the engine starts.
 */
export async function mountAccounts(mode) {
  const [{ createElement }, { default: App }, data] = await Promise.all([import('lwc'), import('c/app'), loadDemoData()]);
  const rows = companyRows(data);
  const app = createElement('c-app', { is: App });
  Object.assign(app, {
    mode,
    accounts: rows.slice(0, 12),
    parent: data.connected[20],
    related: rows.slice(12, 16),
    replacementId: data.disconnected[20].id,
  });
  document.getElementById('root').append(app);
}
