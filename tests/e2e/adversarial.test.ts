import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBadges } from './harness/badges';
import { cardShown, openCardByHover, pointAt, shownCardId } from './harness/card';
import { startHarness, type Harness } from './harness/fixture';
import { configureThroughOptions } from './harness/options-page';

/** A CRM host the extension serves; the page itself is ours, hostile, served by route. */
const HOSTILE_URL = 'https://evilcorp.lightning.force.com/lightning/r/Account/hostile/view';

/**
 * This file's share of the adversarial tally: an attack counts once the check that it was held
 * has run (expectations made inside it), and a test counts as held once it reached its end.
 */
const tally = { attacks: 0, faults: 0, tests: 0, held: 0 };

async function attack(kind: 'attacks' | 'faults', check: () => Promise<void> | void): Promise<void> {
  const before = expect.getState().assertionCalls;
  await check();
  if (expect.getState().assertionCalls === before) throw new Error('an attack that checked nothing cannot count');
  tally[kind] += 1;
}

interface PageFindings {
  errors: string[];
  /** What the page's scripts could read anywhere they can reach. */
  reachable: string;
  /** What the page's patched APIs saw the extension do. */
  patchedCalls: { attachShadow: number; fetch: string[]; observers: number };
}

interface HostileIds {
  shown: string[];
  forged: string;
  /** The extension's ID: public for a store extension, so a page targeting it knows it. */
  extensionId: string;
}

/**
 * Runs in the page's own world before anything else: patches what a hostile page would patch,
 * listens for anything the extension might say to the page, forges messages and events that look
 * like ours (WXT's own event names, prefixed as WXT prefixes them), and keeps a record for the
 * test to read.
 */
function hostileScript(ids: HostileIds): string {
  return `
(() => {
  const record = (window.__hostile = { attachShadow: 0, fetch: [], observers: 0, roots: [], heard: [], forgedFired: 0 });
  // Everything posted to this window, and every event named as WXT names the content script's own.
  const extensionId = ${JSON.stringify(ids.extensionId)};
  window.addEventListener('message', (event) => {
    let text;
    try { text = typeof event.data === 'string' ? event.data : JSON.stringify(event.data); } catch { text = String(event.data); }
    if (!record.forging) record.heard.push('message ' + text);
  }, true);
  const names = ['content-script-started', 'locationchange'].flatMap((name) =>
    ['badges', 'badges.content', 'content'].map((entry) => extensionId + ':' + entry + ':wxt:' + name).concat(['wxt:' + name]));
  for (const name of names) {
    for (const target of [window, document]) target.addEventListener(name, (event) => { if (!record.forging) record.heard.push('event ' + event.type); }, true);
  }
  window.__forgeStarted = () => {
    record.forging = true;
    for (const name of names) {
      const detail = { contentScriptName: 'badges', messageId: 'forged-' + Math.random() };
      document.dispatchEvent(new CustomEvent(name, { detail }));
      window.dispatchEvent(new CustomEvent(name, { detail }));
      window.postMessage({ type: name, ...detail }, '*');
      record.forgedFired += 3;
    }
    setTimeout(() => { record.forging = false; }, 0);
  };
  const realAttach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    record.attachShadow++;
    const root = realAttach.call(this, { ...init, mode: 'open' });
    record.roots.push(root);
    return root;
  };
  const realFetch = window.fetch;
  window.fetch = function (input, init) {
    record.fetch.push(String(input));
    return realFetch.call(this, input, init);
  };
  const RealObserver = window.MutationObserver;
  window.__RealObserver = RealObserver;
  window.MutationObserver = class extends RealObserver {
    constructor(cb) { record.observers++; super(() => { throw new Error('hostile observer'); }); }
  };
  for (const name of ['appendChild', 'insertBefore', 'replaceChildren']) {
    const real = Node.prototype[name] ?? Element.prototype[name];
    if (!real) continue;
    (name in Node.prototype ? Node.prototype : Element.prototype)[name] = function (...args) { return real.apply(this, args); };
  }
  Element.prototype.getAttribute = new Proxy(Element.prototype.getAttribute, { apply: (t, self, args) => Reflect.apply(t, self, args) });
  // Messages and events that look like the extension's.
  const forged = [
    { type: 'lookup', ids: [${JSON.stringify(ids.forged)}], priority: 'visible' },
    { type: 'lookupOne', id: ${JSON.stringify(ids.forged)} },
    { type: 'getCredentialsInfo' },
    { type: 'saveCredentials', auth: { mode: 'token', token: 'x.y.z' } },
    { type: 'fetch', url: 'https://api.mycreditapp.ai/v1-beta/host-connections' },
    { type: 'revealId', id: ${JSON.stringify(ids.forged)} },
    { type: 'toggleBadges' },
  ];
  const fire = () => {
    record.forging = true;
    for (const message of forged) {
      window.postMessage(message, '*');
      window.postMessage(JSON.stringify(message), '*');
      record.forgedFired += 2;
      for (const name of ['message', 'mca', 'mca:lookup', 'wxt:content-script-started', 'mca-card', 'mca-badge']) {
        document.dispatchEvent(new CustomEvent(name, { detail: message, bubbles: true }));
        window.dispatchEvent(new CustomEvent(name, { detail: message }));
        record.forgedFired += 2;
      }
    }
    setTimeout(() => { record.forging = false; }, 0);
  };
  fire();
  window.__fireForged = fire;
})();`;
}

function hostilePage(ids: HostileIds): string {
  const rows = ids.shown.map((id, i) => `<tr><td>Org ${i}</td><td class="org">${id}</td></tr>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Hostile CRM</title>
<script>${hostileScript(ids)}</script>
<style id="hostile-css"></style></head>
<body><h1>Accounts</h1><table id="t"><tbody>${rows}</tbody></table><div id="flood"></div></body></html>`;
}

async function pageFindings(page: Page): Promise<Omit<PageFindings, 'errors'>> {
  return page.evaluate(() => {
    const w = window as unknown as { __hostile: { attachShadow: number; fetch: string[]; observers: number; roots: ShadowRoot[] } };
    const parts: string[] = [document.cookie, JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage })];
    const visit = (root: Document | ShadowRoot) => {
      parts.push(root instanceof Document ? root.documentElement.outerHTML : root.innerHTML);
      for (const element of root.querySelectorAll('*')) {
        for (const attribute of element.attributes) parts.push(attribute.value);
        if (element.shadowRoot) visit(element.shadowRoot);
        if (element instanceof HTMLIFrameElement) {
          parts.push(element.src);
          try {
            if (element.contentDocument) visit(element.contentDocument);
          } catch {
            // Cross-origin frames are out of reach.
          }
        }
      }
    };
    visit(document);
    for (const root of w.__hostile.roots) visit(root);
    for (const name of Object.getOwnPropertyNames(window)) {
      try {
        const value = (window as unknown as Record<string, unknown>)[name];
        if (typeof value === 'string') parts.push(value);
      } catch {
        // Some properties throw on access.
      }
    }
    for (const entry of performance.getEntries()) parts.push(entry.name);
    return {
      reachable: parts.join('\n'),
      patchedCalls: { attachShadow: w.__hostile.attachShadow, fetch: w.__hostile.fetch, observers: w.__hostile.observers },
    };
  });
}

describe('a hostile CRM page fights the extension', { timeout: 120_000 }, () => {
  let h: Harness;
  let token: string;

  beforeAll(async () => {
    h = await startHarness();
    token = h.sites.api.mintToken();
    const options = await configureThroughOptions(h.browser, { auth: { token }, requesterOrgId: h.sites.api.requesterOrgId });
    await options.close();
  });
  afterAll(async () => {
    await h?.close();
    const verdict = tally.held === tally.tests ? 'all held' : `${tally.tests - tally.held} of ${tally.tests} did not hold`;
    console.info(`adversarial (browser): ${tally.attacks} attacks tried, ${tally.faults} faults injected, ${verdict}`);
  });

  async function openHostile(ids: Omit<HostileIds, 'extensionId'>): Promise<{ page: Page; errors: string[] }> {
    tally.tests += 1;
    const page = await h.browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => {
      // The page's own sabotage throws on purpose; anything else reached the page from us.
      if (!/hostile observer/.test(error.message)) errors.push(error.message);
    });
    const body = hostilePage({ ...ids, extensionId: h.browser.extensionId });
    await page.route(HOSTILE_URL, (route) => route.fulfill({ status: 200, contentType: 'text/html', body }));
    await page.goto(HOSTILE_URL);
    return { page, errors };
  }

  it('patched prototypes, forged messages and events: badges still right, forged IDs never looked up, no error in the page', async () => {
    const connected = h.sites.data.connected.slice(0, 6).map((o) => o.id);
    const forged = h.sites.api.unknownOrgIds[45]!;
    const { page, errors } = await openHostile({ shown: connected, forged });

    await attack('attacks', () =>
      expect.poll(async () => (await readBadges(page)).filter((b) => b.status === 'connected').length, { timeout: 20_000 }).toBeGreaterThanOrEqual(connected.length),
    );
    await page.evaluate(() => (window as unknown as { __fireForged(): void }).__fireForged());
    await page.waitForTimeout(500);

    await attack('attacks', async () => {
      expect(await page.evaluate(() => (window as unknown as { __hostile: { forgedFired: number } }).__hostile.forgedFired)).toBeGreaterThan(0);
      expect(h.sites.api.requests.some((r) => r.path.includes(forged))).toBe(false);
    });
    const { patchedCalls } = await pageFindings(page);
    // Our content script runs in its own world: the page's patches never saw it work.
    await attack('attacks', () => expect(patchedCalls.attachShadow).toBe(0));
    await attack('attacks', () => expect(patchedCalls.fetch).toEqual([]));
    expect(errors).toEqual([]);
    tally.held += 1;
    await page.close();
  });

  it('the page hears nothing from the extension (no message, no event naming it) and cannot switch it off with one', async () => {
    const connected = h.sites.data.connected.slice(13, 16).map((o) => o.id);
    const { page, errors } = await openHostile({ shown: connected, forged: h.sites.api.unknownOrgIds[48]! });
    await expect.poll(async () => (await readBadges(page)).length, { timeout: 20_000 }).toBe(connected.length);
    // A single-page app moving on: the content script follows the address.
    for (const path of ['/lightning/r/Account/2/view', '/lightning/r/Account/3/view#details']) {
      await page.evaluate((to) => history.pushState(null, '', to), path);
    }
    await page.waitForTimeout(1500);
    const heard = () => page.evaluate(() => (window as unknown as { __hostile: { heard: string[] } }).__hostile.heard);
    await attack('attacks', async () => {
      const all = await heard();
      expect(all).toEqual([]);
      expect(JSON.stringify(all)).not.toContain(h.browser.extensionId);
    });

    // WXT's own "started" event, named as WXT names it: heard, it would stop the content script.
    await page.evaluate(() => (window as unknown as { __forgeStarted(): void }).__forgeStarted());
    const added = h.sites.data.connected[16]!.id;
    await page.evaluate((id) => {
      const row = document.createElement('tr');
      const [name, org] = [document.createElement('td'), document.createElement('td')];
      name.textContent = 'Org new';
      org.className = 'org';
      org.textContent = id;
      row.append(name, org);
      document.querySelector('#t tbody')!.append(row);
    }, added);
    await attack('attacks', async () => {
      await expect.poll(async () => (await readBadges(page)).map((b) => b.id).sort(), { timeout: 20_000 }).toEqual([...connected, added].sort());
      expect(await heard()).toEqual([]);
    });
    expect(errors).toEqual([]);
    tally.held += 1;
    await page.close();
  });

  it('mutation floods, removed and moved badges, hostile CSS: the extension keeps up or backs off, never throws into the page', async () => {
    const connected = h.sites.data.connected.slice(6, 12).map((o) => o.id);
    const { page, errors } = await openHostile({ shown: connected, forged: h.sites.api.unknownOrgIds[46]! });
    await expect.poll(async () => (await readBadges(page)).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(connected.length);

    await page.evaluate(async () => {
      const RealObserver = (window as unknown as { __RealObserver: typeof MutationObserver }).__RealObserver;
      const flood = document.getElementById('flood')!;
      // Removes or moves every badge the moment it appears.
      let moved = 0;
      new RealObserver(() => {
        for (const badge of document.querySelectorAll('[data-mca-org-id]')) {
          if (moved++ % 2) badge.remove();
          else document.body.prepend(badge);
        }
      }).observe(document.body, { childList: true, subtree: true });
      const until = Date.now() + 3000;
      while (Date.now() < until) {
        for (let i = 0; i < 300; i++) {
          const node = document.createElement('span');
          node.textContent = `noise ${i} 00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
          flood.append(node);
        }
        flood.replaceChildren();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      document.getElementById('hostile-css')!.textContent =
        '* { z-index: 2147483647 !important; position: relative !important; } [data-mca-org-id] { display: none !important; }';
    });
    await page.waitForTimeout(1000);
    // The page is still the page's: it answers, and nothing of ours threw into it.
    await attack('faults', async () => {
      expect(await page.evaluate(() => document.querySelectorAll('tr').length)).toBe(connected.length);
      for (const badge of await readBadges(page)) expect(badge.status ?? 'connected').toMatch(/^(connected|loading)$/);
    });

    await page.evaluate(() => {
      document.getElementById('hostile-css')!.textContent = '* { display: none !important; }';
    });
    await page.waitForTimeout(500);
    await attack('attacks', () => expect(errors).toEqual([]));
    tally.held += 1;
    await page.close();
  });

  it('with a card open, the page can find neither the token nor the card\'s content', async () => {
    const target = h.sites.api.connections.find((c) => c.host_organization_id === h.sites.data.connected[12]!.id)!;
    const { page, errors } = await openHostile({ shown: [target.host_organization_id], forged: h.sites.api.unknownOrgIds[47]! });
    await expect.poll(async () => (await readBadges(page)).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    const frame = await openCardByHover(page, target.host_organization_id);
    await expect.poll(() => frame.locator('body').innerText()).toContain(target.owner_email);

    const { reachable } = await pageFindings(page);
    await attack('attacks', () => {
      expect(reachable).toContain(target.host_organization_id);
      expect(reachable).not.toContain(token);
      expect(reachable).not.toContain(target.owner_email);
      expect(reachable).not.toContain(target.host_email);
      expect(reachable).not.toContain(target.host_name);
    });
    expect(errors).toEqual([]);
    tally.held += 1;
    await page.close();
  });

  it('a badge the page forges, events it makes up, and an ID it writes on our badge open no card', async () => {
    const shown = h.sites.data.connected[13]!.id;
    // Known to the API and nowhere on the page: only the page's forged badge names it.
    const forged = h.sites.data.connected[14]!.id;
    const { page, errors } = await openHostile({ shown: [shown], forged });
    await expect.poll(async () => (await readBadges(page)).some((b) => b.id === shown && b.status === 'connected'), { timeout: 20_000 }).toBe(true);
    const ours = page.locator(`td.org [data-mca-org-id]`);
    /** Longer than the hover delay: a card the attack opened would show by then. */
    const settle = () => page.waitForTimeout(800);

    // Made-up events on our own badge: the browser did not make them.
    const clicks = await page.evaluate(() => {
      const badge = document.querySelector('td.org [data-mca-org-id]')!;
      let prevented = 0;
      for (const event of [
        new PointerEvent('pointerover', { bubbles: true, composed: true }),
        new FocusEvent('focusin', { bubbles: true, composed: true }),
        new MouseEvent('click', { bubbles: true, composed: true, cancelable: true }),
        new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true, cancelable: true }),
      ]) {
        badge.dispatchEvent(event);
        if (event.defaultPrevented) prevented++;
      }
      return prevented;
    });
    await settle();
    await attack('attacks', async () => {
      expect(clicks).toBe(0);
      expect(await cardShown(page)).toBe(false);
    });

    // The page's own mca-badge, reached by the real pointer and keyboard.
    h.sites.api.clearRequests();
    await page.evaluate((id) => {
      const fake = document.createElement('mca-badge');
      fake.id = 'forged';
      fake.setAttribute('data-mca-org-id', id);
      fake.tabIndex = 0;
      fake.textContent = '✓';
      document.querySelector('h1')!.append(fake);
    }, forged);
    const fake = page.locator('#forged');
    await pointAt(page, fake);
    await settle();
    const shownOnHover = await cardShown(page);
    await fake.click();
    await fake.focus();
    await page.keyboard.press('Enter');
    await settle();
    await attack('attacks', async () => {
      expect(shownOnHover).toBe(false);
      expect(await cardShown(page)).toBe(false);
      // The card would have asked the API about the forged ID.
      expect(h.sites.api.requests.some((r) => r.path.includes(forged))).toBe(false);
    });

    // The page writes another ID on our badge: the card shows the one the badge was made for.
    await ours.evaluate((badge, id) => badge.setAttribute('data-mca-org-id', id), forged);
    await pointAt(page, ours);
    await attack('attacks', async () => {
      await expect.poll(() => shownCardId(page)).toBe(shown);
      expect(h.sites.api.requests.some((r) => r.path.includes(forged))).toBe(false);
    });
    expect(errors).toEqual([]);
    tally.held += 1;
    await page.close();
  });
});
