import {
  CONTENT_MAX_IDS_PER_LOOKUP,
  sendFromContent,
  type BadgeResult,
  type ContentServiceState,
} from '@/utils/content-protocol';
import { after, whenIdle } from './time-slicing';
import { warn } from './markers';

export type Priority = 'visible' | 'idle';

const RETRY_MS = 1500;

/** The commonest answer by far, kept as one object: a long list holds tens of thousands. */
const NOT_CONNECTED: BadgeResult = { status: 'not_connected' };

/**
 * Asks the background about IDs, batched: IDs in view go out within a frame, the rest when the
 * page is idle. Each ID is asked once per view; answers and pushes land in one table.
 */
export class LookupClient {
  readonly results = new Map<string, BadgeResult>();
  state: ContentServiceState | undefined;
  private readonly asked = new Set<string>();
  private readonly pending: Record<Priority, Set<string>> = { visible: new Set(), idle: new Set() };
  private scheduled: Record<Priority, boolean> = { visible: false, idle: false };

  constructor(
    private readonly signal: AbortSignal,
    private readonly onResults: (ids: string[]) => void,
  ) {}

  request(id: string, priority: Priority): void {
    if (this.results.has(id) && this.results.get(id)!.status !== 'unknown') return;
    if (priority === 'visible' && this.pending.idle.delete(id)) this.asked.delete(id);
    if (this.asked.has(id)) return;
    this.asked.add(id);
    this.pending[priority].add(id);
    this.schedule(priority);
  }

  /** Asks again for IDs the service could not answer before (it is back now). */
  retryUnknown(): void {
    for (const [id, result] of this.results) {
      if (result.status !== 'unknown') continue;
      this.results.delete(id);
      this.asked.delete(id);
      this.request(id, 'idle');
    }
  }

  /** Takes answers the background pushed. Returns the IDs that changed. */
  accept(results: Record<string, BadgeResult>): string[] {
    const changed: string[] = [];
    for (const [id, result] of Object.entries(results)) {
      this.results.set(id, result.status === 'not_connected' ? NOT_CONNECTED : result);
      // Answered: `results` keeps it from being asked again, unless the answer was "unknown".
      if (result.status !== 'unknown') this.asked.delete(id);
      changed.push(id);
    }
    return changed;
  }

  private schedule(priority: Priority): void {
    if (this.scheduled[priority]) return;
    this.scheduled[priority] = true;
    const run = () => {
      this.scheduled[priority] = false;
      void this.flush(priority);
    };
    if (priority === 'visible') after(16, run, this.signal);
    else whenIdle(run, this.signal);
  }

  private async flush(priority: Priority): Promise<void> {
    const ids = [...this.pending[priority]];
    this.pending[priority].clear();
    for (let i = 0; i < ids.length; i += CONTENT_MAX_IDS_PER_LOOKUP) {
      if (this.signal.aborted) return;
      await this.send(ids.slice(i, i + CONTENT_MAX_IDS_PER_LOOKUP), priority, true);
    }
  }

  private async send(ids: string[], priority: Priority, retry: boolean): Promise<void> {
    try {
      const answer = await sendFromContent({ type: 'lookup', ids, priority });
      if (this.signal.aborted) return;
      this.state = answer.state;
      this.onResults(this.accept(answer.results));
    } catch (error) {
      if (this.signal.aborted) return;
      // A worker that is starting up may miss the first message.
      if (retry) {
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        if (!this.signal.aborted) await this.send(ids, priority, false);
        return;
      }
      for (const id of ids) this.asked.delete(id);
      warn('lookup failed', error);
    }
  }
}
