import type { BadgeReading } from '../../e2e/harness/badges';
import type { Bidi } from './bidi';

export type { BadgeReading };

/** A node as WebDriver BiDi serializes it (`script.NodeRemoteValue`). */
interface NodeValue {
  type: 'node';
  sharedId?: string;
  value?: {
    localName?: string;
    attributes?: Record<string, string>;
    children?: NodeValue[];
    shadowRoot?: NodeValue | null;
  };
}

type Arg = string | number | boolean;

/** WebDriver's key codes for the keys the tests press. */
export const KEYS = { Tab: '\uE004', Enter: '\uE007', Escape: '\uE00C' } as const;

/**
 * A web page in a tab, driven through WebDriver BiDi: navigation, script in the page's own world,
 * real input (pointer and keys go through the browser's event dispatch, so the content script
 * hears them like a user's) and the badges' closed shadow roots, which BiDi serializes when asked
 * (`includeShadowTree: "all"`), as Chromium's DevTools protocol does.
 */
export class WebTab {
  /** Errors the page logged (uncaught exceptions, console.error), as BiDi reports them. */
  readonly errors: string[] = [];
  private readonly stopLog: () => void;

  constructor(
    private readonly bidi: Bidi,
    readonly context: string,
  ) {
    this.stopLog = bidi.on('log.entryAdded', (entry) => {
      const source = entry.source as { context?: string } | undefined;
      if (entry.level === 'error' && source?.context === context) this.errors.push(`${String(entry.type)}: ${String(entry.text)}`);
    });
  }

  static async open(bidi: Bidi, url?: string): Promise<WebTab> {
    const { context } = await bidi.send<{ context: string }>('browsingContext.create', { type: 'tab' });
    const tab = new WebTab(bidi, context);
    if (url) await tab.goto(url);
    return tab;
  }

  async goto(url: string): Promise<void> {
    await this.bidi.send('browsingContext.navigate', { context: this.context, url, wait: 'complete' });
  }

  async reload(): Promise<void> {
    await this.bidi.send('browsingContext.reload', { context: this.context, wait: 'complete' });
  }

  async activate(): Promise<void> {
    await this.bidi.send('browsingContext.activate', { context: this.context });
  }

  async url(): Promise<string> {
    const { contexts } = await this.bidi.send<{ contexts: { url: string }[] }>('browsingContext.getTree', { root: this.context, maxDepth: 0 });
    return contexts[0]!.url;
  }

  /** Child frames (any depth) whose URL starts with `prefix`, as BiDi browsing contexts. */
  async frames(prefix: string): Promise<string[]> {
    type Info = { context: string; url: string; children?: Info[] | null };
    const { contexts } = await this.bidi.send<{ contexts: Info[] }>('browsingContext.getTree', { root: this.context });
    const found: string[] = [];
    const walk = (list: Info[]) => {
      for (const info of list) {
        if (info.context !== this.context && info.url.startsWith(prefix)) found.push(info.context);
        walk(info.children ?? []);
      }
    };
    walk(contexts);
    return found;
  }

  /**
   * Runs `fn` in the page's world (or frame `context`) and returns its result, which must be
   * JSON. Arguments are primitives.
   */
  async evaluate<T, A extends Arg[]>(fn: (...args: A) => T | Promise<T>, ...args: A): Promise<T> {
    return this.evaluateIn(this.context, fn, ...args);
  }

  async evaluateIn<T, A extends Arg[]>(context: string, fn: (...args: A) => T | Promise<T>, ...args: A): Promise<T> {
    const answer = await this.bidi.send<{ type: string; result?: { value?: string }; exceptionDetails?: { text: string } }>('script.callFunction', {
      functionDeclaration: `async (...args) => JSON.stringify((await (${fn.toString()})(...args)) ?? null)`,
      arguments: args.map((value) => ({ type: typeof value, value })),
      target: { context },
      awaitPromise: true,
    });
    if (answer.type === 'exception') throw new Error(`In the page: ${answer.exceptionDetails?.text}`);
    return JSON.parse(answer.result?.value ?? 'null') as T;
  }

  /**
   * Every badge in the page (or frame `context`), open shadow roots included, with what its closed
   * shadow root shows. `roots` is an expression for the roots to search, for a page's closed shadow
   * roots the test kept a reference to.
   */
  async badges(context = this.context, roots = '[document]'): Promise<BadgeReading[]> {
    const answer = await this.bidi.send<{ type: string; result: { value?: NodeValue[] } }>('script.evaluate', {
      // The page's own open shadow roots are walked here; the badges' closed ones BiDi serializes.
      expression: `(() => {
        const found = [];
        const visit = (root) => {
          for (const element of root.querySelectorAll('*')) {
            if (element.hasAttribute('data-mca-org-id')) found.push(element);
            else if (element.shadowRoot) visit(element.shadowRoot);
          }
        };
        for (const root of ${roots}) visit(root);
        return found;
      })()`,
      target: { context },
      awaitPromise: false,
      serializationOptions: { maxDomDepth: 2, includeShadowTree: 'all' },
      resultOwnership: 'none',
    });
    return (answer.result.value ?? []).map((host) => {
      const inner = host.value?.shadowRoot?.value?.children?.find((child) => child.value?.attributes?.['data-status'] !== undefined);
      const attributes = inner?.value?.attributes;
      return { id: host.value?.attributes?.['data-mca-org-id'] ?? '', status: attributes?.['data-status'], label: attributes?.['aria-label'] };
    });
  }

  /** The first element matching `selector`, as a BiDi reference for input actions. */
  private async element(selector: string): Promise<{ sharedId: string }> {
    const answer = await this.bidi.send<{ result: NodeValue }>('script.callFunction', {
      functionDeclaration: '(selector) => { const el = document.querySelector(selector); el?.scrollIntoView({ block: "center" }); return el; }',
      arguments: [{ type: 'string', value: selector }],
      target: { context: this.context },
      awaitPromise: false,
    });
    if (answer.result.type !== 'node' || !answer.result.sharedId) throw new Error(`No element matches ${selector}`);
    return { sharedId: answer.result.sharedId };
  }

  /** Moves the pointer onto the middle of the first element matching `selector`. */
  async hover(selector: string): Promise<void> {
    const origin = { type: 'element', element: await this.element(selector) };
    await this.pointer([{ type: 'pointerMove', x: 0, y: 0, origin, duration: 100 }]);
  }

  /** Moves the pointer to a point of the viewport. */
  async moveMouse(x: number, y: number): Promise<void> {
    await this.pointer([{ type: 'pointerMove', x, y, origin: 'viewport', duration: 100 }]);
  }

  private async pointer(actions: unknown[]): Promise<void> {
    await this.bidi.send('input.performActions', {
      context: this.context,
      actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions }],
    });
  }

  /** Presses and releases a key (a character or one of KEYS) where the focus is. */
  async press(key: string): Promise<void> {
    await this.bidi.send('input.performActions', {
      context: this.context,
      actions: [{ type: 'key', id: 'keyboard', actions: [{ type: 'keyDown', value: key }, { type: 'keyUp', value: key }] }],
    });
  }

  async close(): Promise<void> {
    this.stopLog();
    await this.bidi.send('browsingContext.close', { context: this.context }).catch(() => undefined);
  }
}
