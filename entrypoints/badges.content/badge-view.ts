import { sendFromContent, type ContentPageConfig } from '@/utils/content-protocol';
import { BadgeRegistry, targetFor } from './badge-registry';
import { flashBadge } from './badge-element';
import type { CardOverlay } from './card-overlay';
import { wireCardTriggers, type CardTriggers } from './card-triggers';
import { DomWatch, type Changes } from './dom-watch';
import { IdReport } from './id-report';
import { InViewPromoter } from './in-view';
import type { LookupClient } from './lookup-client';
import { scanShadowHosts, scanSubtree, type ScanOptions, type ScanRules } from './page-scan';
import { SliceClock, whenIdle, yieldToPage } from './time-slicing';
import { warn } from './markers';

const ATTRIBUTE_NAME = /^[a-z_][-a-z0-9_.:]*$/i;

function validSelectors(selectors: readonly string[]): string | undefined {
  const probe = document.createDocumentFragment();
  const valid = selectors.filter((selector) => {
    try {
      probe.querySelector(selector);
      return true;
    } catch {
      warn('site rule selector does not parse', selector);
      return false;
    }
  });
  return valid.length ? valid.join(',') : undefined;
}

/** What the scan looks for on this page, from the background's page configuration. */
export function scanRulesFor(config: ContentPageConfig): ScanRules {
  const idAttributes = config.idAttributes.filter((name) => ATTRIBUTE_NAME.test(name));
  return {
    idFieldSelector: validSelectors(config.idFieldSelectors),
    idAttributeSelector: idAttributes.length ? idAttributes.map((name) => `[${name}]`).join(',') : undefined,
    idAttributes,
    badgeLinks: config.badgeLinks,
  };
}

interface Job {
  node: Node;
  /** `ids`: find IDs (reconciling what is already badged there, or as new); `hosts`: find shadow roots. */
  kind: 'ids' | 'reconcile' | 'hosts';
}

type ShadowRootOpener = (element: Element) => ShadowRoot | null;

/**
 * Badges for one view of the page (until navigation or a new configuration): scans the document
 * and every shadow root, follows their changes and draws badges. Everything stops with `signal`.
 */
export class BadgeView {
  readonly registry: BadgeRegistry;
  private readonly rules: ScanRules;
  private readonly watch: DomWatch;
  private readonly roots = new Set<Document | ShadowRoot>();
  private readonly queue: Job[] = [];
  private pumping = false;
  private readonly report: IdReport;
  private readonly triggers: CardTriggers;

  constructor(
    config: ContentPageConfig,
    private readonly lookups: LookupClient,
    card: CardOverlay,
    private readonly signal: AbortSignal,
    private readonly openOrClosedShadowRoot?: ShadowRootOpener,
  ) {
    this.rules = scanRulesFor(config);
    this.report = new IdReport(signal);
    this.registry = new BadgeRegistry(lookups, this.report, signal);
    const attributes = ['hidden', 'contenteditable', ...this.rules.idAttributes];
    if (config.badgeLinks) attributes.push('href');
    this.watch = new DomWatch(attributes, {
      changes: (_root, changes) => this.onChanges(changes),
      rescan: (root) => this.enqueue(root, 'reconcile'),
    }, signal);
    this.triggers = wireCardTriggers({ card, registry: this.registry, hoverDelayMs: config.hoverDelayMs, signal });
    new InViewPromoter(this.registry, lookups, signal);
    signal.addEventListener('abort', () => this.registry.clear(), { once: true });
  }

  start(): void {
    this.addRoot(document);
    // Even a view without IDs reports, so the popup stops listing the previous view's.
    this.report.schedule();
  }

  /** Scrolls to the first place the ID is shown and makes its badge flash. */
  reveal(id: string): boolean {
    const hit = this.registry.shownHit(id);
    if (!hit) return false;
    targetFor(hit).scrollIntoView({ block: 'center', behavior: 'smooth' });
    const badge = this.registry.drawNow(hit);
    if (badge) flashBadge(badge);
    return true;
  }

  private addRoot(root: Document | ShadowRoot): void {
    if (this.roots.has(root)) return;
    this.roots.add(root);
    this.watch.watch(root);
    this.triggers.listenIn(root);
    this.enqueue(root, 'ids');
  }

  private onChanges(changes: Changes): void {
    if (changes.removed) this.registry.sweep();
    for (const node of changes.changed) this.enqueue(node, 'reconcile');
    for (const node of changes.added) {
      this.enqueue(node, 'ids');
      this.enqueue(node, 'hosts');
    }
  }

  private enqueue(node: Node, kind: Job['kind']): void {
    this.queue.push({ node, kind });
    if (!this.pumping) void this.pump();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      // The page's own task (and its observer callbacks) end first; the scan runs in tasks of its own.
      await yieldToPage();
      const clock = new SliceClock();
      while (this.queue.length && !this.signal.aborted) {
        const job = this.queue.shift()!;
        if (job.node !== document && !job.node.isConnected) continue;
        const options: ScanOptions = {
          rules: this.rules,
          reconcile: job.kind === 'reconcile',
          clock,
          signal: this.signal,
          openOrClosedShadowRoot: this.openOrClosedShadowRoot,
          sink: {
            found: (anchor, hits) => this.registry.found(anchor, hits),
            shadowRoot: (root) => this.addRoot(root),
          },
        };
        const done = job.kind === 'hosts' ? await scanShadowHosts(job.node, options) : await scanSubtree(job.node, options);
        if (!done) return;
        if (job.kind !== 'hosts' && (job.node === document || job.node instanceof ShadowRoot)) {
          // Shadow roots inside a whole root are looked for when the page is idle: that walk
          // visits every element, and the IDs in plain view come first.
          const root = job.node;
          whenIdle(() => this.enqueue(root, 'hosts'), this.signal);
        }
        if (clock.expired() && !(await clock.next(this.signal))) return;
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Tells the background this view shows nothing any more. */
  static reportNone(): void {
    sendFromContent({ type: 'reportIds', ids: [] }).catch(() => undefined);
  }
}
