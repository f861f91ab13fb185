import { describe, expect, it } from 'vitest';
import { classifySender, senderPageUrl, type SenderContext, type SenderLike } from '@/utils/classify-sender';
import { isSiteCovered } from '@/utils/page-config';
import { settingsSchema } from '@/utils/settings';

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const BASE = `chrome-extension://${ID}/`;
const settings = settingsSchema.parse({
  disabledBuiltinSites: ['pipedrive'],
  customSites: ['https://admin.example.com/*'],
  disabledHosts: ['app.attio.com'],
});
const context: SenderContext = {
  extensionId: ID,
  extensionBases: [BASE],
  cardPath: '/card.html',
  isSiteCovered: (url) => isSiteCovered(url, settings),
};
const tab = { id: 7 };

describe('classifySender', () => {
  it.each<[string, SenderLike]>([
    ['popup (no tab)', { id: ID, url: `${BASE}popup.html`, origin: BASE.slice(0, -1) }],
    ['options opened in a tab', { id: ID, url: `${BASE}options.html`, tab, frameId: 0 }],
  ])('%s is an extension page', (_name, sender) => {
    expect(classifySender(sender, context)).toBe('extension');
  });

  it('the card frame inside a CRM tab is the card', () => {
    const crmTab = { id: 7, url: 'https://acme.lightning.force.com/lightning/r/Account/1/view' };
    expect(classifySender({ id: ID, url: `${BASE}card.html#0b9e7c52-4c1a-4d0e-9f3a-6f1c2d3e4a5b`, tab: crmTab, frameId: 3 }, context)).toBe('card');
  });

  it.each<[string, SenderLike]>([
    ['Salesforce top frame', { id: ID, url: 'https://acme.lightning.force.com/lightning/r/Account/1/view', tab, frameId: 0 }],
    ['Visualforce sub-frame', { id: ID, url: 'https://acme--c.vf.force.com/apex/page', tab, frameId: 4 }],
    ['custom site', { id: ID, url: 'https://admin.example.com/orgs', tab, frameId: 0, origin: 'https://admin.example.com' }],
    ['srcdoc frame of an enabled site', { id: ID, url: 'about:srcdoc', origin: 'https://app.hubspot.com', tab, frameId: 2 }],
    // Heard so that switching the site on again reaches it; the service itself answers nothing there.
    ['a built-in CRM the user switched off', { id: ID, url: 'https://acme.pipedrive.com/deals', tab, frameId: 0 }],
    ['a host the user switched off', { id: ID, url: 'https://app.attio.com/', tab, frameId: 0 }],
  ])('%s is our content script', (_name, sender) => {
    expect(classifySender(sender, context)).toBe('content');
  });

  it.each<[string, SenderLike | undefined]>([
    ['no sender', undefined],
    ['another extension', { id: 'otherextensionidotherextensionid', url: 'chrome-extension://otherextensionidotherextensionid/popup.html' }],
    ['no id', { url: `${BASE}popup.html` }],
    ['no url', { id: ID, tab, frameId: 0 }],
    ['an unparsable url', { id: ID, url: 'not a url', tab, frameId: 0 }],
    ['a web page not on the list', { id: ID, url: 'https://evil.example/', tab, frameId: 0 }],
    ['a look-alike CRM host', { id: ID, url: 'https://app.hubspot.com.evil.com/', tab, frameId: 0 }],
    ['a look-alike extension host', { id: ID, url: `chrome-extension://${ID}.evil.com/popup.html` }],
    ['plain http for an https CRM', { id: ID, url: 'http://app.hubspot.com/', tab, frameId: 0 }],
    ['a CRM page without a tab', { id: ID, url: 'https://app.hubspot.com/contacts' }],
    ['an iframe of a random origin in a CRM tab', { id: ID, url: 'https://ads.example.net/frame', tab, frameId: 5 }],
    ['a data: URL frame', { id: ID, url: 'data:text/html,<p>x</p>', tab, frameId: 5 }],
    ['a file: URL', { id: ID, url: 'file:///tmp/page.html', tab, frameId: 0 }],
    ['about:blank with an opaque origin', { id: ID, url: 'about:blank', origin: 'null', tab, frameId: 5 }],
    ['a CRM URL claiming another origin', { id: ID, url: 'https://app.hubspot.com/', origin: 'https://evil.example', tab, frameId: 0 }],
    ['our page in a sub-frame that is not the card', { id: ID, url: `${BASE}options.html`, tab, frameId: 2 }],
    ['our page in a sub-frame without a tab', { id: ID, url: `${BASE}popup.html`, frameId: 1 }],
    ['the card outside any tab', { id: ID, url: `${BASE}card.html` }],
    ['the card framed by a site we do not run on', { id: ID, url: `${BASE}card.html#x`, tab: { id: 7, url: 'https://evil.example/' }, frameId: 3 }],
    ['the card in a tab whose URL the browser does not tell us', { id: ID, url: `${BASE}card.html#x`, tab, frameId: 3 }],
    ['our URL with a foreign origin', { id: ID, url: `${BASE}popup.html`, origin: 'https://evil.example' }],
  ])('refuses %s', (_name, sender) => {
    expect(classifySender(sender, context)).toBe('refused');
  });
});

describe('senderPageUrl', () => {
  it('stands a srcdoc frame in for its parent origin', () => {
    expect(senderPageUrl({ url: 'about:srcdoc', origin: 'https://app.hubspot.com' })).toBe('https://app.hubspot.com/');
    expect(senderPageUrl({ url: 'https://x.example/a' })).toBe('https://x.example/a');
  });
});
