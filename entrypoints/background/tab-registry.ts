import { z } from '@/utils/zod';
import { SessionMirror } from './session-mirror';

/** As many IDs as one `reportIds` may carry. */
const MAX_IDS_PER_FRAME = 20_000;

const frameSchema = z.object({ url: z.string().optional(), ids: z.array(z.string()) });
const registrySchema = z.record(z.string(), z.record(z.string(), frameSchema));
type Registry = z.infer<typeof registrySchema>;

export interface FrameRef {
  tabId: number;
  frameId: number;
  url?: string;
}

export interface FrameIds extends FrameRef {
  ids: string[];
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

  /** Records IDs a frame shows: `replace` for a full report, else added to what it showed. */
  async remember(frame: FrameRef, ids: readonly string[], replace: boolean): Promise<void> {
    await this.mirror.update((registry) => {
      const tab = (registry[frame.tabId] ??= {});
      const previous = replace ? [] : (tab[frame.frameId]?.ids ?? []);
      const merged = [...new Set([...previous, ...ids])].slice(-MAX_IDS_PER_FRAME);
      tab[frame.frameId] = frame.url === undefined ? { ids: merged } : { url: frame.url, ids: merged };
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
