import type { BadgeReading } from '../../e2e/harness/badges';
import type { Bidi } from './bidi';

export type { BadgeReading };

/** A node as WebDriver BiDi serializes it (`script.NodeRemoteValue`). */
export interface NodeValue {
  type: 'node';
  sharedId?: string;
  value?: {
    localName?: string;
    attributes?: Record<string, string>;
    children?: NodeValue[];
    shadowRoot?: NodeValue | null;
  };
}

/** Where a script runs: a page or frame, in its own world or a sandbox of the test's. */
interface Target {
  context: string;
  sandbox?: string;
}

/** A badge as BiDi serializes it: its ID, and the status and name inside its closed shadow root. */
export function badgeOf(host: NodeValue): BadgeReading {
  const inner = host.value?.shadowRoot?.value?.children?.find((child) => child.value?.attributes?.['data-status'] !== undefined);
  const attributes = inner?.value?.attributes;
  return { id: host.value?.attributes?.['data-mca-org-id'] ?? '', status: attributes?.['data-status'], label: attributes?.['aria-label'] };
}

type Arg = string | number | boolean;

/** A node of the page, for BiDi's input actions. */
export interface ElementRef {
  sharedId: string;
}

const OWN_WORLD = 'mca-test';

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
    return (await this.childFrames(prefix)).map((frame) => frame.context);
  }

  /** The URLs of child frames (any depth) that start with `prefix`. */
  async frameUrls(prefix: string): Promise<string[]> {
    return (await this.childFrames(prefix)).map((frame) => frame.url);
  }

  private async childFrames(prefix: string): Promise<{ context: string; url: string }[]> {
    type Info = { context: string; url: string; children?: Info[] | null };
    const { contexts } = await this.bidi.send<{ contexts: Info[] }>('browsingContext.getTree', { root: this.context });
    const found: Info[] = [];
    const walk = (list: Info[]) => {
      for (const info of list) {
        if (info.context !== this.context && info.url.startsWith(prefix)) found.push(info);
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
    return this.evaluateWith({ context }, fn, args);
  }

  /**
   * `evaluate` in a world of the test's own in the page, where the page's patches of the DOM (LWC's
   * synthetic shadow hides components' insides from `querySelector` and `activeElement`) do not apply.
   */
  async evaluateInOwnWorld<T, A extends Arg[]>(fn: (...args: A) => T | Promise<T>, ...args: A): Promise<T> {
    return this.evaluateWith({ context: this.context, sandbox: OWN_WORLD }, fn, args);
  }

  private async evaluateWith<T, A extends Arg[]>(target: Target, fn: (...args: A) => T | Promise<T>, args: A): Promise<T> {
    const answer = await this.call(target, `async (...args) => JSON.stringify((await (${fn.toString()})(...args)) ?? null)`, args, { awaitPromise: true });
    return JSON.parse((answer as { value?: string }).value ?? 'null') as T;
  }

  /**
   * Calls `declaration` with `args` in `target`; the result as BiDi serializes it (nodes with their
   * closed shadow roots, `maxDomDepth` levels down). A throw in the page becomes an error here.
   */
  private async call(target: Target, declaration: string, args: unknown[], options: { awaitPromise?: boolean; maxDomDepth?: number } = {}): Promise<unknown> {
    const answer = await this.bidi.send<{ type: string; result?: unknown; exceptionDetails?: { text: string } }>('script.callFunction', {
      functionDeclaration: declaration,
      arguments: args.map((value) => (typeof value === 'object' ? value : { type: typeof value, value })),
      target,
      awaitPromise: options.awaitPromise ?? false,
      serializationOptions: { maxDomDepth: options.maxDomDepth ?? 0, includeShadowTree: 'all' },
      resultOwnership: 'none',
    });
    if (answer.type === 'exception') throw new Error(`In the page: ${answer.exceptionDetails?.text}`);
    return answer.result;
  }

  /**
   * Calls `fn` with `args` in the test's own world; its result as BiDi serializes it, nodes
   * `maxDomDepth` levels down with every shadow root, closed ones included.
   */
  async serializedInOwnWorld<A extends Arg[]>(fn: (...args: A) => unknown, args: A, maxDomDepth: number): Promise<unknown> {
    return this.call({ context: this.context, sandbox: OWN_WORLD }, String(fn), args, { maxDomDepth });
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
    return (answer.result.value ?? []).map(badgeOf);
  }

  /**
   * The element `fn` returns (run in the test's own world), scrolled into view, as a BiDi reference
   * for input actions; `fn` gets `args`.
   */
  async locate<A extends Arg[]>(fn: (...args: A) => Element | null | undefined, ...args: A): Promise<ElementRef> {
    return this.locateIn(OWN_WORLD, fn, args);
  }

  /** `locate` in the page's own world, for what only the page's script holds (a closed shadow root it kept). */
  async locateInPage<A extends Arg[]>(fn: (...args: A) => Element | null | undefined, ...args: A): Promise<ElementRef> {
    return this.locateIn(undefined, fn, args);
  }

  private async locateIn<A extends Arg[]>(sandbox: string | undefined, fn: (...args: A) => Element | null | undefined, args: A): Promise<ElementRef> {
    const declaration = `(...args) => { const el = (${fn.toString()})(...args); el?.scrollIntoView({ block: "center" }); return el ?? null; }`;
    const found = (await this.call({ context: this.context, sandbox }, declaration, args)) as NodeValue | { type: 'null' };
    if (found.type !== 'node' || !found.sharedId) throw new Error(`No element: ${fn.toString()} (${args.join(', ')})`);
    return { sharedId: found.sharedId };
  }

  /** Runs `fn` on `element` in the test's own world. */
  async withElement(element: ElementRef, fn: (element: Element) => void): Promise<void> {
    await this.call({ context: this.context, sandbox: OWN_WORLD }, fn.toString(), [element]);
  }

  /** Moves the pointer onto the middle of the first element matching `selector`. */
  async hover(selector: string): Promise<void> {
    await this.pointAt(await this.locate((selector) => document.querySelector(selector), selector));
  }

  /** Moves the pointer onto the middle of `element`. */
  async pointAt(element: ElementRef): Promise<void> {
    await this.pointer([{ type: 'pointerMove', x: 0, y: 0, origin: { type: 'element', element }, duration: 100 }]);
  }

  /** Clicks the middle of `element` with the pointer. */
  async click(element: ElementRef): Promise<void> {
    await this.pointer([
      { type: 'pointerMove', x: 0, y: 0, origin: { type: 'element', element }, duration: 50 },
      { type: 'pointerDown', button: 0 },
      { type: 'pointerUp', button: 0 },
    ]);
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
