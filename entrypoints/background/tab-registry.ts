import { MAX_REPORTED_IDS } from '@/utils/protocol';
import { z } from '@/utils/zod';
import { SessionMirror } from './session-mirror';

/** Frames of one tab kept at once: a page that churns frames pushes out its own oldest, no one else's. */
export const MAX_FRAMES_PER_TAB = 64;

/**
 * What the registry may weigh in `storage.session` (its JSON, near enough). The session's quota
 * is shared with the credentials, the minted token and the cache: a page must not fill it.
 */
export const MAX_REGISTRY_BYTES = 768 * 1024;

/** Longest page address kept; origin and path are what a site pattern is matched against. */
export const MAX_ADDRESS_LENGTH = 512;

/** JSON of a stored ID: the quoted UUID and a comma. */
const ID_BYTES = 39;
/** JSON of a stored frame around its address and IDs: brackets, numbers, quotes. */
const FRAME_BYTES = 40;

/** One frame per row, the frame heard longest ago first: `[tabId, frameId, address or null, ids]`. */
const storedSchema = z.array(z.tuple([z.number().int(), z.number().int(), z.string().max(MAX_ADDRESS_LENGTH).nullable(), z.array(z.string())]));

export interface FrameRef {
  tabId: number;
  frameId: number;
  url?: string;
}

/** A frame's report (the reportIds message): its whole list, or what changed. */
export interface IdReport {
  ids?: readonly string[];
  added?: readonly string[];
  removed?: readonly string[];
}

export interface FrameIds extends FrameRef {
  ids: string[];
}

interface Frame {
  /** Origin and path of the frame's page, without query or fragment. */
  url?: string;
  ids: string[];
  bytes: number;
}

/**
 * The address kept for a frame: origin and path, cut to a bounded length. A query or fragment
 * (which a page may make megabytes long) says nothing about which site rules apply.
 */
export function pageAddress(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`.slice(0, MAX_ADDRESS_LENGTH);
  } catch {
    return undefined;
  }
}

function frameBytes(url: string | undefined, ids: readonly string[]): number {
  return FRAME_BYTES + (url?.length ?? 0) + ids.length * ID_BYTES;
}

/**
 * Tabs in the order they last reported, each with its frames in the same order, and the bytes
 * of it all. Maps keep insertion order, so the oldest tab and a tab's oldest frame are each the
 * first key: every report and every eviction costs O(1) besides the IDs it carries.
 */
class Frames {
  readonly tabs = new Map<number, Map<number, Frame>>();
  bytes = 0;

  set(tabId: number, frameId: number, url: string | undefined, ids: string[]): void {
    this.delete(tabId, frameId);
    const tab = this.tabs.get(tabId) ?? new Map<number, Frame>();
    this.tabs.delete(tabId);
    this.tabs.set(tabId, tab);
    const frame: Frame = { ids, bytes: frameBytes(url, ids), ...(url === undefined ? {} : { url }) };
    tab.set(frameId, frame);
    this.bytes += frame.bytes;
  }

  get(tabId: number, frameId: number): Frame | undefined {
    return this.tabs.get(tabId)?.get(frameId);
  }

  delete(tabId: number, frameId: number): void {
    const tab = this.tabs.get(tabId);
    const frame = tab?.get(frameId);
    if (!tab || !frame) return;
    tab.delete(frameId);
    this.bytes -= frame.bytes;
    if (tab.size === 0) this.tabs.delete(tabId);
  }

  deleteTab(tabId: number): boolean {
    const tab = this.tabs.get(tabId);
    if (!tab) return false;
    for (const frame of tab.values()) this.bytes -= frame.bytes;
    return this.tabs.delete(tabId);
  }

  /**
   * Within the caps after `keep` reported: its tab's oldest frames go first, past the frame
   * cap or the byte budget; only when the tab is down to `keep` alone do other tabs' frames
   * go, the tab heard longest ago first.
   */
  evict(keep: FrameRef): void {
    const own = this.tabs.get(keep.tabId);
    while (own && own.size > 1 && (own.size > MAX_FRAMES_PER_TAB || this.bytes > MAX_REGISTRY_BYTES)) {
      this.delete(keep.tabId, own.keys().next().value!);
    }
    while (this.bytes > MAX_REGISTRY_BYTES) {
      const oldestTab = this.tabs.keys().next().value!;
      if (oldestTab === keep.tabId) return;
      const tab = this.tabs.get(oldestTab)!;
      this.delete(oldestTab, tab.keys().next().value!);
    }
  }

  static load(raw: unknown): Frames {
    const frames = new Frames();
    for (const [tabId, frameId, url, ids] of storedSchema.safeParse(raw).data ?? []) {
      frames.set(tabId, frameId, url ?? undefined, ids.slice(-MAX_REPORTED_IDS));
      frames.evict({ tabId, frameId });
    }
    return frames;
  }

  save(): [number, number, string | null, string[]][] {
    const rows: [number, number, string | null, string[]][] = [];
    for (const [tabId, tab] of this.tabs) for (const [frameId, frame] of tab) rows.push([tabId, frameId, frame.url ?? null, frame.ids]);
    return rows;
  }
}

/**
 * Which tab and frame shows which IDs, so changed entries and states reach the pages showing
 * them and the popup can list a tab's IDs. In `storage.session`, within a frame cap per tab and
 * a byte budget overall; a closed tab is forgotten.
 */
export class TabRegistry {
  private readonly mirror = new SessionMirror<Frames>({
    key: 'session:tabIds',
    load: Frames.load,
    save: (frames) => frames.save(),
  });

  /**
   * Applies a frame's report of the IDs it shows: its whole list (`ids`), or, with `added` or
   * `removed`, what changed since its previous report (`{ added: [] }` just makes the frame known).
   */
  async report(frame: FrameRef, report: IdReport): Promise<void> {
    if (report.added === undefined && report.removed === undefined) {
      await this.store(frame, () => report.ids ?? []);
      return;
    }
    const removed = new Set(report.removed);
    await this.store(frame, (previous) => [...previous.filter((id) => !removed.has(id)), ...(report.added ?? [])]);
  }

  /** Sets a frame's IDs from what it showed, its newest IDs within the cap, then evicts past the caps. */
  private async store(frame: FrameRef, next: (previous: readonly string[]) => readonly string[]): Promise<void> {
    await this.mirror.update((frames) => {
      const previous = frames.get(frame.tabId, frame.frameId)?.ids ?? [];
      const ids = [...new Set(next(previous))].slice(-MAX_REPORTED_IDS);
      frames.set(frame.tabId, frame.frameId, pageAddress(frame.url), ids);
      frames.evict(frame);
    });
  }

  async forgetTab(tabId: number): Promise<void> {
    const frames = await this.mirror.get();
    if (frames.deleteTab(tabId)) this.mirror.markDirty();
  }

  async frames(): Promise<FrameIds[]> {
    const frames = await this.mirror.get();
    return [...frames.tabs].flatMap(([tabId, tab]) => [...tab].map(([frameId, frame]) => described(tabId, frameId, frame)));
  }

  /** The frames that show any of `ids`, each with those of the IDs it shows. */
  async framesShowing(ids: Iterable<string>): Promise<FrameIds[]> {
    const wanted = new Set(ids);
    const frames = await this.frames();
    return frames.map((frame) => ({ ...frame, ids: frame.ids.filter((id) => wanted.has(id)) })).filter((frame) => frame.ids.length > 0);
  }

  async framesOfTab(tabId: number): Promise<FrameIds[]> {
    const tab = (await this.mirror.get()).tabs.get(tabId);
    return tab ? [...tab].map(([frameId, frame]) => described(tabId, frameId, frame)) : [];
  }
}

function described(tabId: number, frameId: number, frame: Frame): FrameIds {
  return { tabId, frameId, ids: frame.ids, ...(frame.url === undefined ? {} : { url: frame.url }) };
}
