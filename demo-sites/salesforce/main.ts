import { css, html, LitElement } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { loadDemoData, type DemoData, type DemoOrg } from '../shared/demo-data';

// Lightning's newer components render into native shadow roots: these do the same, nested.

const RECORD_PATH = /^\/lightning\/r\/Account\/([0-9a-f-]{36})\/view/;
const VISUALFORCE_ORIGIN = 'https://acme--c.visualforce.com';

class SfRecordField extends LitElement {
  static override properties = { label: {}, value: {} };
  declare label: string;
  declare value: string;
  static override styles = css`
    :host { display: block; padding: 6px 0; border-bottom: 1px solid #e5e5e5; }
    .label { color: #444; font-size: 12px; }
    .value { font-size: 14px; }
  `;
  override render() {
    return html`<div class="label">${this.label}</div><div class="value" part="value">${this.value}</div>`;
  }
}

class SfRelatedList extends LitElement {
  static override properties = { heading: {}, orgs: { attribute: false }, descending: { state: true } };
  declare heading: string;
  declare orgs: DemoOrg[];
  declare descending: boolean;
  static override styles = css`
    :host { display: block; background: #fff; border-radius: 4px; padding: 12px 16px; margin-top: 12px; }
    h2 { font-size: 15px; margin: 0 8px 8px 0; display: inline-block; }
    table { border-collapse: collapse; width: 100%; }
    td, th { text-align: left; padding: 6px 8px; border-top: 1px solid #e5e5e5; }
    a { color: #0b5cab; }
  `;

  constructor() {
    super();
    this.descending = false;
  }

  override render() {
    const sorted = [...this.orgs].sort((a, b) => a.name.localeCompare(b.name));
    if (this.descending) sorted.reverse();
    // Keyed: a re-sort moves the rows (and whatever is in them), as Lit's repeat does.
    return html`<h2>${this.heading}</h2>
      <button type="button" @click=${() => (this.descending = !this.descending)}>Sort by account, ${this.descending ? 'A to Z' : 'Z to A'}</button>
      <table>
        <thead><tr><th>Account</th><th>MyCreditApp org ID</th></tr></thead>
        <tbody>
          ${repeat(
            sorted,
            (org) => org.id,
            (org) => html`<tr data-key=${org.id}>
              <td><a href="/lightning/r/Account/${org.id}/view">${org.name}</a></td>
              <td>${org.id}</td>
            </tr>`,
          )}
        </tbody>
      </table>`;
  }
}

class SfApp extends LitElement {
  static override properties = { data: { state: true }, recordId: { state: true } };
  declare data: DemoData | undefined;
  declare recordId: string | undefined;
  static override styles = css`
    :host { display: block; }
    header { background: #032d60; color: #fff; padding: 10px 20px; font-weight: 600; }
    main { display: grid; grid-template-columns: 2fr 1fr; gap: 12px; padding: 12px 20px; }
    .card { background: #fff; border-radius: 4px; padding: 12px 16px; }
    h1 { font-size: 20px; margin: 0 0 8px; }
    iframe { width: 100%; height: 260px; border: 1px solid #c9c9c9; border-radius: 4px; background: #fff; }
  `;

  override connectedCallback() {
    super.connectedCallback();
    void loadDemoData().then((data) => {
      this.data = data;
      this.recordId = RECORD_PATH.exec(location.pathname)?.[1] ?? data.connected[0]!.id;
    });
  }

  override render() {
    const data = this.data;
    if (!data || !this.recordId) return html`<header>Salesforce</header>`;
    const all = [...data.connected, ...data.disconnected, ...data.archived];
    const record = all.find((o) => o.id === this.recordId) ?? { id: this.recordId, name: 'Unknown account' };
    const related = [data.connected[1]!, data.disconnected[0]!, data.archived[0]!, { id: data.notConnected[0]!, name: 'Globex Prospect' }];
    const frameIds = [data.disconnected[1]!.id, data.connected[2]!.id].join(',');
    return html`<header>Salesforce · Sales</header>
      <main>
        <div>
          <section class="card" aria-label="Account details">
            <h1>${record.name}</h1>
            <sf-record-field label="Account name" .value=${record.name}></sf-record-field>
            <sf-record-field label="MyCreditApp org ID" .value=${record.id}></sf-record-field>
            <sf-record-field label="Salesforce record ID" .value=${data.recordGuids[0]!}></sf-record-field>
          </section>
          <sf-related-list heading="Related accounts" .orgs=${related}></sf-related-list>
        </div>
        <section class="card" aria-label="Credit panel">
          <iframe title="Credit panel (Visualforce)" src="${VISUALFORCE_ORIGIN}/apex/CreditPanel?ids=${frameIds}"></iframe>
        </section>
      </main>`;
  }
}

customElements.define('sf-record-field', SfRecordField);
customElements.define('sf-related-list', SfRelatedList);
customElements.define('sf-app', SfApp);
