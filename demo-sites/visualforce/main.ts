import { css, html, LitElement } from 'lit';

// A Visualforce page runs on its own origin, framed by the Lightning page; it gets its IDs from
// its URL, as Apex pages get theirs from the controller.
class VfCreditPanel extends LitElement {
  static override styles = css`
    :host { display: block; padding: 10px 14px; }
    h1 { font-size: 15px; margin: 0 0 8px; }
    li { margin: 4px 0; font-family: ui-monospace, monospace; }
  `;
  override render() {
    const ids = (new URLSearchParams(location.search).get('ids') ?? '').split(',').filter(Boolean);
    return html`<h1>Credit panel</h1>
      <p>Organizations linked to this account:</p>
      <ul>
        ${ids.map((id) => html`<li>${id}</li>`)}
      </ul>`;
  }
}

customElements.define('vf-credit-panel', VfCreditPanel);
