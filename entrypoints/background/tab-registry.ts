import { MAX_REPORTED_IDS } from '@/utils/protocol';
import { z } from '@/utils/zod';
import { SessionMirror } from './session-mirror';

/**
 * All frames together: the registry shares storage.session's quota with the credentials and the
 * cache, so a flood of frames must not crowd them out.
 */
const MAX_IDS_IN_ALL = 20_000;

const frameSchema = z.object({ url: z.string().optional(), ids: z.array(z.string()) });
const registrySchema = z.record(z.string(), z.record(z.string(), frameSchema));
type Registry = z.infer<typeof registrySchema>;

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

/** Past the overall cap, frames of the oldest tabs (lowest ids) go first; the frame just heard stays. */
function dropOldestFrames(registry: Registry, keep: FrameRef): void {
  let total = Object.values(registry).reduce((sum, frames) => sum + Object.values(frames).reduce((n, f) => n + f.ids.length, 0), 0);
  for (const tabId of Object.keys(registry)) {
    for (const frameId of Object.keys(registry[tabId]!)) {
      if (total <= MAX_IDS_IN_ALL) return;
      if (Number(tabId) === keep.tabId && Number(frameId) === keep.frameId) continue;
      total -= registry[tabId]![frameId]!.ids.length;
      delete registry[tabId]![frameId];
    }
    if (Object.keys(registry[tabId]!).length === 0) delete registry[tabId];
  }
}

/**
 * Which tab and frame shows which IDs, so changed entries and states reach the pages showing
 * them and the popup can list a tab's IDs. In `storage.session`; a closed tab is forgotten.
 */
export class TabRegistry {
  private readonly mirror = new SessionMirror<Registry>({
    key: 'session:tabIds',
    load: (raw) => registrySchema.safeParse(raw).data ?? {},
    save: (value) => value,
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

  /** Sets a frame's IDs from what it showed, within the caps: the newest per frame, the frames of the newest tabs. */
  private async store(frame: FrameRef, next: (previous: readonly string[]) => readonly string[]): Promise<void> {
    await this.mirror.update((registry) => {
      const tab = (registry[frame.tabId] ??= {});
      const merged = [...new Set(next(tab[frame.frameId]?.ids ?? []))].slice(-MAX_REPORTED_IDS);
      tab[frame.frameId] = frame.url === undefined ? { ids: merged } : { url: frame.url, ids: merged };
      dropOldestFrames(registry, frame);
    });
  }

  async forgetTab(tabId: number): Promise<void> {
    const registry = await this.mirror.get();
    if (!(tabId in registry)) return;
    await this.mirror.update((all) => {
      delete all[tabId];
    });
  }

  async frames(): Promise<FrameIds[]> {
    const registry = await this.mirror.get();
    return Object.entries(registry).flatMap(([tabId, frames]) =>
      Object.entries(frames).map(([frameId, frame]) => ({ tabId: Number(tabId), frameId: Number(frameId), ...frame })),
    );
  }

  /** The frames that show any of `ids`, each with those of the IDs it shows. */
  async framesShowing(ids: Iterable<string>): Promise<FrameIds[]> {
    const wanted = new Set(ids);
    const frames = await this.frames();
    return frames.map((frame) => ({ ...frame, ids: frame.ids.filter((id) => wanted.has(id)) })).filter((frame) => frame.ids.length > 0);
  }

  async framesOfTab(tabId: number): Promise<FrameIds[]> {
    return (await this.frames()).filter((frame) => frame.tabId === tabId);
  }
}
