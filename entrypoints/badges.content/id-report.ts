import { CONTENT_MAX_REPORTED_IDS, sendFromContent } from '@/utils/content-protocol';
import { warn } from './markers';
import { after } from './time-slicing';

const REPORT_DELAY_MS = 800;

/**
 * Tells the background which IDs this view shows: the whole list first, then only what changed,
 * at most once per REPORT_DELAY_MS and one message at a time, so they arrive in order. What a
 * change costs follows the change, not the page. At most CONTENT_MAX_REPORTED_IDS are reported;
 * IDs past that wait until reported ones go.
 */
export class IdReport {
  private readonly reported = new Set<string>();
  private readonly waiting = new Set<string>();
  private readonly gone = new Set<string>();
  private whole = true;
  private scheduled = false;
  private sending: Promise<unknown> = Promise.resolve();

  constructor(private readonly signal: AbortSignal) {}

  /** The view shows `id` now (it showed none of it before). */
  shown(id: string): void {
    this.gone.delete(id);
    if (!this.reported.has(id)) this.waiting.add(id);
    this.schedule();
  }

  /** The view no longer shows `id` anywhere. */
  hidden(id: string): void {
    this.waiting.delete(id);
    if (this.reported.has(id)) this.gone.add(id);
    this.schedule();
  }

  /** Reports soon, even if nothing is shown: a new view replaces what the previous one reported. */
  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    after(REPORT_DELAY_MS, () => {
      this.scheduled = false;
      this.send();
    }, this.signal);
  }

  private send(): void {
    const removed = [...this.gone];
    this.gone.clear();
    for (const id of removed) this.reported.delete(id);
    const added: string[] = [];
    for (const id of this.waiting) {
      if (this.reported.size >= CONTENT_MAX_REPORTED_IDS) break;
      this.waiting.delete(id);
      this.reported.add(id);
      added.push(id);
    }
    if (!this.whole && !added.length && !removed.length) return;
    const message = this.whole
      ? { type: 'reportIds' as const, ids: [...this.reported] }
      : { type: 'reportIds' as const, added, removed };
    this.whole = false;
    this.sending = this.sending
      .then(() => (this.signal.aborted ? undefined : sendFromContent(message)))
      .catch((error: unknown) => {
        // The background's list may now differ from ours: the next report carries the whole list.
        this.whole = true;
        warn('could not report IDs', error);
      });
  }
}
