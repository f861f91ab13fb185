// Most of Lightning Experience: LWC's synthetic shadow, loaded before the engine, so components
// render into the page's own tree with their styles scoped by attributes.
import '@lwc/synthetic-shadow';
import '@salesforce-ux/design-system/assets/styles/salesforce-lightning-design-system.min.css';
import { mountAccounts } from '../lightning/mount.js';

await mountAccounts('synthetic shadow');
