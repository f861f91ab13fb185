import sldsCss from '@salesforce-ux/design-system/assets/styles/salesforce-lightning-design-system.min.css?inline';

/**
 * SLDS for a component's own shadow root. In native shadow the page's stylesheet stops at every
 * component, so each one brings SLDS along, as Lightning's base components do; in synthetic shadow
 * the page's copy styles everything, and LWC leaves a native-only stylesheet out.
 */
export default function slds() {
  return sldsCss;
}
slds.$nativeOnly$ = true;
