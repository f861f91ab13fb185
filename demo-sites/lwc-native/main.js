// Newer Lightning components: native shadow roots, each bringing SLDS along (see c/slds).
import '@salesforce-ux/design-system/assets/styles/salesforce-lightning-design-system.min.css';
import { mountAccounts } from '../lightning/mount.js';

await mountAccounts('native shadow');
