import { LightningElement, api } from 'lwc';
import slds from 'c/slds';

/** A related list card: a list of accounts, each with its link and its ID. */
export default class RelatedList extends LightningElement {
  static stylesheets = [slds];
  @api heading;
  @api rows = [];
}
