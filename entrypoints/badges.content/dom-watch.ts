import { isOwnNode } from './markers';
import { INLINE } from './inline-elements';

/** Above this many records in one batch, rescanning the root is cheaper than following each. */
export const HUGE_BATCH = 1000;
/** A page calling back more often than this within the window is backed off, not chased. */
const THRASH_CALLBACKS = 50;
const THRASH_WINDOW_MS = 10_000;
const BACKOFF_MS = 2000;

export interface Changes {
  /** New subtrees, scanned as they are. */
  added: Node[];
  /** Subtrees whose existing hits may have changed (edited text, changed attributes). */
  changed: Node[];
  /** Whether anything left the page (hits may have gone with it). */
  removed: boolean;
}

export interface WatchHandler {
  changes(root: Document | ShadowRoot, changes: Changes): void;
  rescan(root: Document | ShadowRoot): void;
}


/** The element whose rescan covers an inline change at `node` (a run may now join or split). */
function runScope(node: Node): Node {
  let scope: Node = node.nodeType === Node.TEXT_NODE ? (node.parentNode ?? node) : node;
  while (scope.nodeType === Node.ELEMENT_NODE && INLINE.has((scope as Element).localName) && scope.parentNode) {
    scope = scope.parentNode;
  }
  return scope;
}

function isInlineish(node: Node): boolean {
  return node.nodeType === Node.TEXT_NODE || (node.nodeType === Node.ELEMENT_NODE && INLINE.has((node as Element).localName));
}

function coveredBy(node: Node, set: Set<Node>): boolean {
  for (let parent = node.parentNode; parent; parent = parent.parentNode) if (set.has(parent)) return true;
  return false;
}

/** Whether a record is only of the extension's own nodes coming or going. */
function isOwnRecord(record: MutationRecord): boolean {
  if (isOwnNode(record.target)) return true;
  if (record.type !== 'childList') return false;
  // Indexed: thousands of records go through here at once, and an iterator each adds up.
  const { addedNodes, removedNodes } = record;
  for (let i = 0; i < addedNodes.length; i++) if (!isOwnNode(addedNodes[i]!)) return false;
  for (let i = 0; i < removedNodes.length; i++) if (!isOwnNode(removedNodes[i]!)) return false;
  return true;
}

/** Reduces a batch of records to what must be looked at again. */
export function summarize(records: MutationRecord[]): Changes {
  const added = new Set<Node>();
  const changed = new Set<Node>();
  let removed = false;
  for (const record of records) {
    if (record.type === 'childList') {
      if (isOwnNode(record.target)) continue;
      for (const node of record.addedNodes) {
        if (isOwnNode(node)) continue;
        if (isInlineish(node)) changed.add(runScope(record.target));
        else added.add(node);
      }
      for (const node of record.removedNodes) {
        if (isOwnNode(node)) continue;
        removed = true;
        if (isInlineish(node)) changed.add(runScope(record.target));
      }
    } else if (record.type === 'characterData') {
      changed.add(runScope(record.target));
    } else if (!isOwnNode(record.target)) {
      changed.add(record.target);
    }
  }
  const all = new Set<Node>([...added, ...changed]);
  const keep = (node: Node) => node.isConnected && !coveredBy(node, all);
  return {
    added: [...added].filter((node) => keep(node) && !changed.has(node)),
    changed: [...changed].filter(keep),
    removed,
  };
}

/** One MutationObserver per root (the document, each shadow root), batched and backed off when the page thrashes. */
export class DomWatch {
  private readonly observers = new Map<Document | ShadowRoot, MutationObserver>();
  private readonly callbackTimes: number[] = [];
  private held = new Map<Document | ShadowRoot, MutationRecord[]>();
  private holdTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly attributes: string[],
    private readonly handler: WatchHandler,
    signal: AbortSignal,
  ) {
    signal.addEventListener('abort', () => this.stop(), { once: true });
  }

  watch(root: Document | ShadowRoot): void {
    if (this.observers.has(root)) return;
    const observer = new MutationObserver((records) => this.onRecords(root, records));
    observer.observe(root, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
      attributeFilter: this.attributes,
    });
    this.observers.set(root, observer);
  }

  stop(): void {
    for (const observer of this.observers.values()) observer.disconnect();
    this.observers.clear();
    this.held.clear();
    clearTimeout(this.holdTimer);
  }

  private onRecords(root: Document | ShadowRoot, all: MutationRecord[]): void {
    // Badges going in are no change of the page: a list's badges drawn together are thousands of
    // records, which would otherwise count as a huge batch and rescan the whole page.
    const records = all.filter((record) => !isOwnRecord(record));
    if (!records.length) return;
    const now = performance.now();
    this.callbackTimes.push(now);
    while (this.callbackTimes.length && this.callbackTimes[0]! < now - THRASH_WINDOW_MS) this.callbackTimes.shift();
    if (this.holdTimer !== undefined || this.callbackTimes.length > THRASH_CALLBACKS) {
      this.hold(root, records);
      return;
    }
    this.deliver(root, records);
  }

  private deliver(root: Document | ShadowRoot, records: MutationRecord[]): void {
    if (records.length > HUGE_BATCH) this.handler.rescan(root);
    else this.handler.changes(root, summarize(records));
  }

  /** Keeps a thrashing page's records and handles them together after a pause. */
  private hold(root: Document | ShadowRoot, records: MutationRecord[]): void {
    const list = this.held.get(root) ?? [];
    if (list.length <= HUGE_BATCH) list.push(...records);
    this.held.set(root, list);
    if (this.holdTimer !== undefined) return;
    this.holdTimer = setTimeout(() => {
      this.holdTimer = undefined;
      this.callbackTimes.length = 0;
      const held = this.held;
      this.held = new Map();
      for (const [heldRoot, heldRecords] of held) if (this.observers.has(heldRoot)) this.deliver(heldRoot, heldRecords);
    }, BACKOFF_MS);
  }
}
