import { badgeStatusFor } from '@/utils/badge-status';
import { BADGE_TAG } from './markers';
import { createBadge, setBadgeStatus } from './badge-element';
import type { LookupClient } from './lookup-client';
import type { Hit } from './page-scan';
import { after, SliceClock, whenIdle } from './time-slicing';

/** A hit the page shows now, with its badge once it has one. */
export interface TrackedHit extends Hit {
  badge?: HTMLElement;
  /**
   * The element the ID is in, watched for visibility and hovered to open the card. Held only once
   * needed: every node a content script holds has a wrapper in its world, and the browser keeps
   * those in one table that it copies whole each time it grows, a long task on a long list.
   */
  target?: Element;
}

// A badge goes after these (it would be invalid or invisible inside); inside anything else.
const BADGE_AFTER = new Set([
  'a', 'abbr', 'b', 'button', 'code', 'em', 'i', 'img', 'input', 'label', 'mark', 'output', 'select', 'small',
  'span', 'strong', 'textarea', 'time',
]);

/** Told when an ID first shows anywhere in the view and when its last hit goes. */
export interface IdListener {
  shown(id: string): void;
  hidden(id: string): void;
}

type Anchor = Text | Element;

const NONE: TrackedHit[] = [];
const NO_ANCHORS: Anchor[] = [];

/**
 * How many new IDs at a time wait for the visibility observer before their lookup. A page that
 * shows thousands at once asks about the rest at idle priority; rows added later get watched
 * again once the observer has answered for the first ones.
 */
const FIRST_SIGHT_BUDGET = 300;

/**
 * How long no badge has begun to wait before those out of view are drawn. Each drawing makes the
 * page lay out the list again, and on a long table that takes as long however many badges go in
 * (300-600 ms at 10,000 rows): the rest are drawn together once the answers have stopped coming,
 * so that scrolling the list later lays out nothing.
 */
const REST_QUIET_MS = 1000;

function isBadge(node: Node | null): node is Element {
  return !!node && node.nodeType === Node.ELEMENT_NODE && (node as Element).localName === BADGE_TAG;
}

/** The element an anchor is in: for text at the top of a shadow root (a component's bare text), its host. */
function targetOf(anchor: Anchor): Element | null {
  if (anchor.nodeType !== Node.TEXT_NODE) return anchor as Element;
  const parent = anchor.parentNode;
  if (parent?.nodeType === Node.DOCUMENT_FRAGMENT_NODE) return (parent as ShadowRoot).host ?? null;
  return anchor.parentElement;
}

/**
 * The element `hit` is in, from when it is first needed on (the root element for a node that has
 * since left its element: the next sweep drops that hit).
 */
export function targetFor(hit: TrackedHit): Element {
  return (hit.target ??= targetOf(hit.anchor) ?? document.documentElement);
}

/** Whether `badge` sits where it belongs for `hit` (after the anchor, maybe behind other badges). */
function isInPlace(hit: TrackedHit, badge: Element): boolean {
  if (!badge.isConnected) return false;
  if (hit.anchor.nodeType === Node.ELEMENT_NODE && !BADGE_AFTER.has((hit.anchor as Element).localName)) {
    return badge.parentNode === hit.anchor;
  }
  let node = badge.previousSibling;
  while (isBadge(node)) node = node.previousSibling;
  return node === hit.anchor;
}

function insertBadge(hit: TrackedHit, badge: HTMLElement): void {
  const anchor = hit.anchor;
  if (anchor.nodeType === Node.ELEMENT_NODE && !BADGE_AFTER.has((anchor as Element).localName)) {
    (anchor as Element).append(badge);
    return;
  }
  let after: Node = anchor;
  while (isBadge(after.nextSibling)) after = after.nextSibling;
  after.parentNode?.insertBefore(badge, after.nextSibling);
}

/**
 * Every ID the frame shows, by the node it is anchored at. Badges are drawn only for IDs worth
 * one: at once for those in view, and for the rest together, once the answers have stopped coming.
 *
 * Most GUIDs on a CRM page need no badge. A lone hit whose ID needs none goes dormant: only its
 * node and ID are kept, without the hit and its lists, until an answer or a change of that node
 * wakes it. On a long list, the memory held per row sets off collections that a renderer with a
 * million nodes runs inside our tasks.
 */
export class BadgeRegistry {
  private readonly byAnchor = new Map<Node, TrackedHit[]>();
  // Arrays, not sets: most IDs show once, and a set for each costs a long list megabytes.
  private readonly byId = new Map<string, TrackedHit[]>();
  private readonly dormant = new Map<Anchor, string>();
  /** The same by ID: one anchor, or a list for an ID shown more than once. */
  private readonly dormantById = new Map<string, Anchor | Anchor[]>();
  private readonly waiting = new Map<Element, Set<TrackedHit>>();
  /** Hits not yet looked up, until the observer says whether they are in view (no forced layout). */
  private readonly unseen = new Map<Element, Set<TrackedHit>>();
  private readonly byTarget = new WeakMap<Element, TrackedHit>();
  private firstSightBudget = FIRST_SIGHT_BUDGET;
  private readonly visibility: IntersectionObserver | undefined;
  /** Whether a drawing of the waiting badges is scheduled or under way. */
  private restDue = false;
  /** When the last badge began to wait. */
  private waitedFrom = 0;
  /** Badges built off the page for the drawing under way; a hit whose answer changes, or that goes, is taken out. */
  private building: Map<TrackedHit, HTMLElement> | undefined;

  constructor(
    private readonly lookups: LookupClient,
    private readonly listener: IdListener,
    private readonly signal: AbortSignal,
  ) {
    this.visibility =
      typeof IntersectionObserver === 'function'
        ? new IntersectionObserver((entries) => this.onVisible(entries), { rootMargin: '200px 0px' })
        : undefined;
  }

  /** Sets the hits anchored at `anchor`, keeping badges that still fit and removing the rest. */
  found(anchor: Anchor, hits: Hit[]): void {
    const old = this.byAnchor.get(anchor) ?? this.wake(anchor);
    if (!old && hits.length === 0) return;
    const kept: TrackedHit[] = [];
    const leftover = old ? [...old] : NONE;
    for (const hit of hits) {
      const index = leftover.findIndex((o) => o.id === hit.id);
      if (index >= 0) {
        const tracked = leftover.splice(index, 1)[0]!;
        if (tracked.inIdField !== hit.inIdField) {
          tracked.inIdField = hit.inIdField;
          this.evaluate(tracked);
        }
        kept.push(tracked);
        continue;
      }
      if (!targetOf(anchor)) continue;
      // The scan's hit object becomes the tracked one: one object per hit on a long page, not two.
      const tracked: TrackedHit = hit;
      kept.push(tracked);
      this.add(tracked);
    }
    for (const stale of leftover) this.remove(stale);
    if (kept.length) {
      this.byAnchor.set(anchor, kept);
      this.rest(kept);
    } else {
      this.byAnchor.delete(anchor);
    }
  }

  /** Drops hits whose node left the page and puts back badges the page moved away from their ID. */
  sweep(): void {
    for (const [anchor, id] of this.dormant) {
      if (anchor.isConnected) continue;
      this.dormant.delete(anchor);
      this.unrest(id, anchor);
      if (!this.isShown(id)) this.listener.hidden(id);
    }
    for (const [anchor, hits] of this.byAnchor) {
      if (!anchor.isConnected) {
        for (const hit of hits) this.remove(hit);
        this.byAnchor.delete(anchor);
        continue;
      }
      for (const hit of hits) {
        if (hit.badge && !isInPlace(hit, hit.badge)) insertBadge(hit, hit.badge);
      }
    }
  }

  /** Redraws the badges of IDs whose answer changed. */
  refresh(ids: Iterable<string>): void {
    for (const id of ids) {
      for (const hit of [...(this.byId.get(id) ?? NONE)]) {
        this.evaluate(hit);
        const hits = this.byAnchor.get(hit.anchor);
        if (hits) this.rest(hits);
      }
      if (this.needsBadge(id)) for (const anchor of this.dormantOf(id)) this.evaluate(this.wake(anchor)![0]!);
    }
  }

  /** Redraws what depends on the service's state; dormant hits do not (they are in no ID field). */
  refreshAll(): void {
    this.refresh([...this.byId.keys()]);
  }

  ids(): string[] {
    return [...new Set([...this.byId.keys(), ...this.dormantById.keys()])];
  }

  /** The nodes `id` is shown at, live or dormant (to tell whether it is in view). */
  anchorsOf(id: string): readonly Anchor[] {
    const live = this.byId.get(id);
    const dormant = this.dormantById.get(id);
    if (!live) return dormant === undefined ? NO_ANCHORS : Array.isArray(dormant) ? dormant : [dormant];
    return [...live.map((hit) => hit.anchor), ...this.dormantOf(id)];
  }

  /** A hit of `id` still on the page, if there is one. */
  shownHit(id: string): TrackedHit | undefined {
    const live = this.byId.get(id)?.find((hit) => hit.anchor.isConnected);
    const anchor = live ? undefined : this.dormantOf(id).find((a) => a.isConnected);
    return live ?? (anchor && { id, anchor, inIdField: false });
  }

  /** The hit whose ID text or badge this element is, for hovering. */
  hitAt(element: Element): TrackedHit | undefined {
    return this.byTarget.get(element);
  }

  /** Makes sure a hit has its badge now, visible or not (the user asked to be shown it). */
  drawNow(hit: TrackedHit): HTMLElement | undefined {
    this.draw(hit);
    return hit.badge;
  }

  /** Removes every badge and forgets every hit. */
  clear(): void {
    for (const hits of this.byAnchor.values()) for (const hit of hits) hit.badge?.remove();
    this.byAnchor.clear();
    this.byId.clear();
    this.dormant.clear();
    this.dormantById.clear();
    this.waiting.clear();
    this.unseen.clear();
    this.firstSightBudget = FIRST_SIGHT_BUDGET;
    this.visibility?.disconnect();
    this.building = undefined;
    this.restDue = false;
  }

  private add(hit: TrackedHit): void {
    if (!this.isShown(hit.id)) this.listener.shown(hit.id);
    this.track(hit);
    if (!this.lookups.results.has(hit.id)) {
      // The first IDs are asked about as soon as the observer says which are in view; past
      // that, watching each would cost more than the order of the answers is worth.
      if (this.visibility && this.firstSightBudget > 0) {
        this.firstSightBudget--;
        this.watchFirstSight(hit);
      } else {
        this.lookups.request(hit.id, 'idle');
      }
    }
    this.evaluate(hit);
  }

  private track(hit: TrackedHit): void {
    const same = this.byId.get(hit.id);
    if (same) same.push(hit);
    else this.byId.set(hit.id, [hit]);
  }

  /** Stops tracking `hit`: the ID is hidden unless other hits, live or dormant, show it. */
  private remove(hit: TrackedHit): void {
    this.untrack(hit);
    if (!this.isShown(hit.id)) this.listener.hidden(hit.id);
  }

  private untrack(hit: TrackedHit): void {
    this.building?.delete(hit);
    hit.badge?.remove();
    hit.badge = undefined;
    this.unwatch(hit);
    if (hit.target && this.unseen.get(hit.target)?.delete(hit)) this.firstSightBudget++;
    const same = this.byId.get(hit.id);
    const index = same ? same.indexOf(hit) : -1;
    if (same && index >= 0) {
      same.splice(index, 1);
      if (!same.length) this.byId.delete(hit.id);
    }
    if (hit.target && this.byTarget.get(hit.target) === hit) this.byTarget.delete(hit.target);
  }

  /**
   * Lets the hits at one anchor go dormant if that is all they are: one hit, outside any ID field,
   * not waiting for first sight, whose ID needs no badge now. Only a new answer can change that
   * (`refresh` wakes the ID's anchors then); a rescan of the node wakes it to compare.
   */
  private rest(hits: TrackedHit[]): void {
    const hit = hits[0]!;
    if (hits.length !== 1 || hit.inIdField || hit.badge || this.needsBadge(hit.id)) return;
    if (hit.target && this.unseen.get(hit.target)?.has(hit)) return;
    this.untrack(hit);
    this.byAnchor.delete(hit.anchor);
    this.dormant.set(hit.anchor, hit.id);
    const held = this.dormantById.get(hit.id);
    if (held === undefined) this.dormantById.set(hit.id, hit.anchor);
    else if (Array.isArray(held)) held.push(hit.anchor);
    else this.dormantById.set(hit.id, [held, hit.anchor]);
  }

  /** Turns a dormant anchor back into a tracked hit; undefined if it was not dormant. */
  private wake(anchor: Anchor): TrackedHit[] | undefined {
    const id = this.dormant.get(anchor);
    if (id === undefined) return undefined;
    this.dormant.delete(anchor);
    this.unrest(id, anchor);
    const hits: TrackedHit[] = [{ id, anchor, inIdField: false }];
    this.track(hits[0]!);
    this.byAnchor.set(anchor, hits);
    return hits;
  }

  /** A copy: waking an anchor takes it off the list. */
  private dormantOf(id: string): Anchor[] {
    const held = this.dormantById.get(id);
    return held === undefined ? [] : Array.isArray(held) ? [...held] : [held];
  }

  private unrest(id: string, anchor: Anchor): void {
    const held = this.dormantById.get(id);
    if (Array.isArray(held) && held.length > 1) held.splice(held.indexOf(anchor), 1);
    else this.dormantById.delete(id);
  }

  /** Whether any hit, live or dormant, shows `id`. */
  private isShown(id: string): boolean {
    return this.byId.has(id) || this.dormantById.has(id);
  }

  /** Whether `id` outside any ID field gets a badge with the answer it has now. */
  private needsBadge(id: string): boolean {
    return !!badgeStatusFor(this.lookups.results.get(id), false, this.lookups.state?.kind);
  }

  private statusOf(hit: TrackedHit) {
    return badgeStatusFor(this.lookups.results.get(hit.id), hit.inIdField, this.lookups.state?.kind);
  }

  private evaluate(hit: TrackedHit): void {
    this.building?.delete(hit);
    const status = this.statusOf(hit);
    if (!status) {
      hit.badge?.remove();
      hit.badge = undefined;
      this.unwatch(hit);
      return;
    }
    if (hit.badge) {
      setBadgeStatus(hit.badge, status, this.hostName(hit.id));
      return;
    }
    if (!this.visibility) {
      this.draw(hit);
      return;
    }
    const target = targetFor(hit);
    let set = this.waiting.get(target);
    if (!set) {
      this.waiting.set(target, (set = new Set()));
      this.visibility.observe(target);
    }
    set.add(hit);
    this.scheduleRest();
  }

  private scheduleRest(): void {
    this.waitedFrom = performance.now();
    if (this.restDue) return;
    this.restDue = true;
    after(REST_QUIET_MS, () => this.drawRestWhenQuiet(), this.signal);
  }

  private drawRestWhenQuiet(): void {
    const quiet = performance.now() - this.waitedFrom;
    if (quiet < REST_QUIET_MS) after(REST_QUIET_MS - quiet, () => this.drawRestWhenQuiet(), this.signal);
    else whenIdle(() => void this.drawRest(), this.signal);
  }

  /**
   * Draws every waiting badge in one go: each is built off the page in slices of work, and all go
   * in within one task, so the page lays out its list once for all of them.
   */
  private async drawRest(): Promise<void> {
    const began = performance.now();
    const building = (this.building = new Map());
    const clock = new SliceClock();
    for (const hits of [...this.waiting.values()]) {
      for (const hit of hits) {
        const status = this.statusOf(hit);
        if (status) building.set(hit, createBadge(hit.id, status, this.hostName(hit.id)));
      }
      if (clock.expired() && !(await clock.next(this.signal))) return;
    }
    // Putting them in gets a task of its own, not the rest of the last slice.
    if (!(await clock.next(this.signal))) return;
    this.building = undefined;
    this.restDue = false;
    // A hit drawn in view meanwhile keeps the badge it has.
    for (const [hit, badge] of building) this.draw(hit, badge);
    if (this.waitedFrom >= began) this.scheduleRest();
  }

  private hostName(id: string): string | undefined {
    const result = this.lookups.results.get(id);
    return result?.status === 'connected' || result?.status === 'disconnected' || result?.status === 'archived'
      ? result.connection.host_name
      : undefined;
  }

  /** Puts in the badge of `hit`: `built` with its answer as it is now, or one made here. */
  private draw(hit: TrackedHit, built?: HTMLElement): void {
    const status = this.statusOf(hit);
    if (!status || !hit.anchor.isConnected) return;
    this.unwatch(hit);
    if (hit.badge) {
      setBadgeStatus(hit.badge, status, this.hostName(hit.id));
      return;
    }
    hit.badge = built ?? createBadge(hit.id, status, this.hostName(hit.id));
    insertBadge(hit, hit.badge);
    this.byTarget.set(targetFor(hit), hit);
  }

  private watchFirstSight(hit: TrackedHit): void {
    const target = targetFor(hit);
    let set = this.unseen.get(target);
    if (!set) {
      this.unseen.set(target, (set = new Set()));
      this.visibility!.observe(target);
    }
    set.add(hit);
  }

  private unwatch(hit: TrackedHit): void {
    if (!hit.target) return;
    const set = this.waiting.get(hit.target);
    if (!set?.delete(hit) || set.size) return;
    this.waiting.delete(hit.target);
    if (!this.unseen.has(hit.target)) this.visibility?.unobserve(hit.target);
  }

  private onVisible(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      const target = entry.target;
      const unseen = this.unseen.get(target);
      if (unseen) {
        this.unseen.delete(target);
        this.firstSightBudget += unseen.size;
        for (const hit of unseen) this.lookups.request(hit.id, entry.isIntersecting ? 'visible' : 'idle');
      }
      const waiting = this.waiting.get(target);
      if (entry.isIntersecting && waiting) for (const hit of [...waiting]) this.draw(hit);
      if (!this.waiting.has(target) && !this.unseen.has(target)) this.visibility!.unobserve(target);
    }
  }
}
