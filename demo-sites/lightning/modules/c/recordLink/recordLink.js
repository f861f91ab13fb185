import { LightningElement, api } from 'lwc';
import slds from 'c/slds';

/** A link to an Account record, like lightning-formatted-url in a data table cell. */
export default class RecordLink extends LightningElement {
  static stylesheets = [slds];
  @api recordId;
  @api label;

  get href() {
    return `/lightning/r/Account/${this.recordId}/view`;
  }

  // Lightning navigates inside the app; the demo stays on its page.
  navigate(event) {
    event.preventDefault();
  }
}
