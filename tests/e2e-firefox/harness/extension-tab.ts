import type { Firefox } from './firefox';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
const SHADOW = 'shadow-6066-11e4-a52e-4f735466cecf';
const WAIT_MS = 20_000;

type ElementRef = Record<typeof ELEMENT, string>;

/** An XPath string literal for `text` (XPath 1.0 has no escapes). */
function literal(text: string): string {
  if (!text.includes('"')) return `"${text}"`;
  return `concat(${text.split('"').map((part) => `"${part}"`).join(`, '"', `)})`;
}

/** XPath of the form control whose `<label for>` reads `label`, or which a `<label>` wraps. */
export function byLabel(label: string): string {
  const text = literal(label);
  return `//*[@id=//label[normalize-space(.)=${text}]/@for] | //label[normalize-space(.)=${text}]//input`;
}

export function button(name: string): string {
  return `//button[normalize-space(.)=${literal(name)}]`;
}

/** The elements `using` finds in Marionette's current frame, as element ids (Marionette answers a bare list). */
async function findAll(firefox: Firefox, using: 'xpath' | 'css selector', value: string): Promise<string[]> {
  const answer = await firefox.marionette.send<ElementRef[] | { value: ElementRef[] }>('WebDriver:FindElements', { using, value });
  return (Array.isArray(answer) ? answer : answer.value).map((ref) => ref[ELEMENT]);
}

async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (done(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`Timed out waiting for ${what}; last: ${JSON.stringify(last)?.slice(0, 500)} ${lastError ? String(lastError) : ''}`);
}

/**
 * One of the extension's own pages (options, popup) in a tab, driven through Marionette: Firefox's
 * WebDriver BiDi does not reach `moz-extension:` documents. Marionette is a single cursor, so
 * every call first switches it to this tab (without bringing the tab to the front).
 */
export class ExtensionTab {
  private constructor(
    private readonly firefox: Firefox,
    readonly handle: string,
  ) {}

  /**
   * Opens `page` in a background tab: the tab the user was on stays the active one, so a popup
   * opened this way sees it as the current tab (Marionette's own new tab would take the front).
   */
  static async open(firefox: Firefox, page: string): Promise<ExtensionTab> {
    const handles = () => firefox.marionette.send<string[]>('WebDriver:GetWindowHandles');
    const before = new Set(await handles());
    await firefox.chrome(
      'gBrowser.addTab(arguments[0], { inBackground: true, triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() })',
      firefox.extensionUrl(page),
    );
    const [handle] = (await poll(handles, (list) => list.some((h) => !before.has(h)), `a tab for ${page}`)).filter((h) => !before.has(h));
    const tab = new ExtensionTab(firefox, handle!);
    // The new tab shows about:blank until the extension page replaces it.
    const loaded = () => tab.run(() => location.protocol === 'moz-extension:' && document.readyState === 'complete');
    await poll(loaded, (done) => done, `${page} to load`);
    return tab;
  }

  private async use(): Promise<void> {
    await this.firefox.marionette.send('WebDriver:SwitchToWindow', { handle: this.handle, focus: false });
  }

  private async find(xpath: string): Promise<string> {
    await this.use();
    const found = await poll(() => findAll(this.firefox, 'xpath', xpath), (list) => list.length > 0, `an element at ${xpath}`);
    return found[0]!;
  }

  /** Runs `fn` in the page (with the page's `browser` API) and returns its JSON result. */
  async run<T, A extends unknown[]>(fn: (...args: A) => T | Promise<T>, ...args: A): Promise<T> {
    await this.use();
    const answer = await this.firefox.marionette.send<{ value: string }>('WebDriver:ExecuteScript', {
      script: `return (async () => JSON.stringify((await (${fn.toString()})(...arguments)) ?? null))(...arguments)`,
      args,
    });
    return JSON.parse(answer.value) as T;
  }

  async fill(label: string, text: string): Promise<void> {
    const id = await this.find(`(${byLabel(label)})[not(@type="radio" or @type="checkbox")]`);
    await this.firefox.marionette.send('WebDriver:ElementClear', { id });
    if (text) await this.firefox.marionette.send('WebDriver:ElementSendKeys', { id, text });
  }

  async click(xpath: string): Promise<void> {
    const id = await this.find(xpath);
    await this.firefox.marionette.send('WebDriver:ElementClick', { id });
  }

  async isChecked(xpath: string): Promise<boolean> {
    const id = await this.find(xpath);
    return (await this.firefox.marionette.send<{ value: boolean }>('WebDriver:IsElementSelected', { id })).value;
  }

  /** The text of the page (or of the first element at `xpath`) as rendered. */
  async text(xpath = '//body'): Promise<string> {
    const id = await this.find(xpath);
    return (await this.firefox.marionette.send<{ value: string }>('WebDriver:GetElementText', { id })).value;
  }

  /** Waits until the page's text matches, and returns it. */
  async waitForText(match: string | RegExp, timeoutMs = WAIT_MS): Promise<string> {
    const test = (text: string) => (typeof match === 'string' ? text.includes(match) : match.test(text));
    return poll(() => this.text(), test, `text ${String(match)}`, timeoutMs);
  }

  async reload(): Promise<void> {
    await this.use();
    await this.firefox.marionette.send('WebDriver:Refresh');
  }

  async close(): Promise<void> {
    await this.use();
    await this.firefox.marionette.send('WebDriver:CloseWindow');
  }
}

/**
 * The text of the card open on `tab` (Marionette's handle of a web page's tab) and the height of
 * its page: the extension page in the iframe inside the card's closed shadow root, read from
 * inside the frame.
 */
export async function cardText(firefox: Firefox, tabHandle: string): Promise<{ status: string; text: string; height: number }> {
  const m = firefox.marionette;
  await m.send('WebDriver:SwitchToWindow', { handle: tabHandle, focus: false });
  const host = (await m.send<{ value: ElementRef }>('WebDriver:FindElement', { using: 'css selector', value: '[data-mca-card]' })).value[ELEMENT];
  const root = (await m.send<{ value: Record<typeof SHADOW, string> }>('WebDriver:GetShadowRoot', { id: host })).value[SHADOW];
  const frame = (await m.send<{ value: ElementRef }>('WebDriver:FindElementFromShadowRoot', { shadowRoot: root, using: 'css selector', value: 'iframe' })).value[ELEMENT];
  await m.send('WebDriver:SwitchToFrame', { element: frame });
  try {
    const articles = await poll(
      () => findAll(firefox, 'css selector', 'article.mca-card:not([data-status="loading"])'),
      (list) => list.length > 0,
      'the card to load',
    );
    const id = articles[0]!;
    const status = (await m.send<{ value: string }>('WebDriver:GetElementAttribute', { id, name: 'data-status' })).value;
    const text = (await m.send<{ value: string }>('WebDriver:GetElementText', { id })).value;
    const script = 'return Math.ceil(document.body.getBoundingClientRect().height)';
    const height = (await m.send<{ value: number }>('WebDriver:ExecuteScript', { script, args: [] })).value;
    return { status, text, height };
  } finally {
    await m.send('WebDriver:SwitchToParentFrame');
  }
}
