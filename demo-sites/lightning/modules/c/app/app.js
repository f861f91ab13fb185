import { LightningElement, api } from 'lwc';
import slds from 'c/slds';

function withLabels(rows) {
  return rows.map((row) => ({ ...row, selectLabel: `Select ${row.name}` }));
}

/**
 * An Accounts list page of Lightning Experience: the list view, a parent-account field and a
 * related list, with what the page's own users do to it: re-sort (LWC moves the keyed rows), edit a
 * record in place, close and reopen the related list.
 */
export default class App extends LightningElement {
  static stylesheets = [slds];
  @api mode;
  @api parent;
  @api related = [];
  /** The ID the first account gets when it is edited. */
  @api replacementId;
  rows = [];
  descending = false;
  showRelated = true;

  @api
  get accounts() {
    return this.rows;
  }
  set accounts(value) {
    this.rows = withLabels(value);
  }

  get sortedRows() {
    const sorted = [...this.rows].sort((a, b) => a.name.localeCompare(b.name));
    return this.descending ? sorted.reverse() : sorted;
  }

  get relatedRows() {
    return withLabels(this.related);
  }

  get sortLabel() {
    return this.descending ? 'Sort by name, A to Z' : 'Sort by name, Z to A';
  }

  get relatedLabel() {
    return this.showRelated ? 'Close related list' : 'Open related list';
  }

  toggleSort() {
    this.descending = !this.descending;
  }

  /** Renames the first account shown and gives it another organization: its row is patched in place. */
  editFirst() {
    const { key } = this.sortedRows[0];
    this.rows = this.rows.map((row) => {
      if (row.key !== key) return row;
      const name = `${row.name} (edited)`;
      return { ...row, name, orgId: this.replacementId, selectLabel: `Select ${name}` };
    });
  }

  toggleRelated() {
    this.showRelated = !this.showRelated;
  }
}
