import { LightningElement, api } from 'lwc';

/** Text alone at the top of its shadow root, like lightning-formatted-text. */
export default class FormattedId extends LightningElement {
  @api value;
}
