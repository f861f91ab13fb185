import { LightningElement, api } from 'lwc';
import slds from 'c/slds';

/** The accounts list view: one row per account, keyed, each cell a component of its own. */
export default class AccountTable extends LightningElement {
  static stylesheets = [slds];
  @api rows = [];
  @api descending = false;

  get ariaSort() {
    return this.descending ? 'descending' : 'ascending';
  }
}
