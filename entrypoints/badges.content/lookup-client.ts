import { browser, type Browser } from 'wxt/browser';
import {
  CONTENT_FRAME_PORT,
  CONTENT_MAX_IDS_PER_LOOKUP,
  sendFromContent,
  type BadgeResult,
  type ContentServiceState,
} from '@/utils/content-protocol';
import { after, whenIdle } from './time-slicing';
import { warn } from './markers';

export type Priority = 'visible' | 'idle';

const RETRY_MS = 1500;

/**
 * IDs per message of those asked for again once in view: the background's calls in flight
 * (LookupTuning.concurrency). It answers a message once all its IDs are answered: small messages,
 * sent together, let the first badges in view appear while the rest are still asked. IDs asked
 * for the first time go together, so that many of them let the background read the list instead.
 */
const PROMOTED_CHUNK = 4;

/** The commonest answer by far, kept as one object: a long list holds tens of thousands. */
const NOT_CONNECTED: BadgeResult = { status: 'not_connected' };

/**
 * Asks the background about IDs, batched: IDs in view go out within a frame, the rest when the
 * page is idle, one message at a time, so an ID still waiting here can be asked for at once when
 * it comes into view. Each ID is asked once per view (and once more, ahead of the rest, if it
 * comes into view before its answer); answers and pushes land in one table.
 */
export class LookupClient {
  readonly results = new Map<string, BadgeResult>();
  state: ContentServiceState | undefined;
  /** Asked for and not answered yet, whether still waiting here or sent. */
  private readonly asked = new Set<string>();
  private readonly pending: Record<Priority, Set<string>> = { visible: new Set(), idle: new Set() };
  /** Asked for again because they came into view before their answer. */
  private readonly promoted = new Set<string>();
  private readonly scheduled: Record<Priority, boolean> = { visible: false, idle: false };
  private readonly sending: Record<Priority, boolean> = { visible: false, idle: false };
  private port: Browser.runtime.Port | undefined;

  constructor(
    private readonly signal: AbortSignal,
    private readonly onResults: (ids: string[]) => void,
  ) {
    signal.addEventListener('abort', () => this.port?.disconnect(), { once: true });
  }

  request(id: string, priority: Priority): void {
    if (this.results.has(id) && this.results.get(id)!.status !== 'unknown') return;
    if (priority === 'visible' && this.pending.idle.delete(id)) this.asked.delete(id);
    if (this.asked.has(id)) return;
    this.asked.add(id);
    this.pending[priority].add(id);
    this.schedule(priority);
  }

  /**
   * IDs that came into view while their answers are still awaited: asked for again, in view, so
   * the background moves them to the front of its queue, however long they have waited.
   */
  promote(ids: Iterable<string>): void {
    let any = false;
    for (const id of ids) {
      if (!this.asked.has(id) || this.promoted.has(id) || this.pending.visible.has(id)) continue;
      this.pending.idle.delete(id);
      this.promoted.add(id);
      this.pending.visible.add(id);
      any = true;
    }
    if (any) this.schedule('visible');
  }

  /** The IDs still awaiting an answer that have not been asked for ahead of the rest yet. */
  awaitingInView(): string[] {
    return [...this.asked].filter((id) => !this.promoted.has(id) && !this.pending.visible.has(id));
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
      if (result.status !== 'unknown') {
        this.asked.delete(id);
        this.promoted.delete(id);
      }
      changed.push(id);
    }
    return changed;
  }

  private schedule(priority: Priority): void {
    // A flush under way takes what is added meanwhile.
    if (this.scheduled[priority] || this.sending[priority]) return;
    this.scheduled[priority] = true;
    const run = () => {
      this.scheduled[priority] = false;
      void this.flush(priority);
    };
    if (priority === 'visible') after(16, run, this.signal);
    else whenIdle(run, this.signal);
  }

  /**
   * Sends what waits: IDs in view at once, in small messages, the rest a message at a time, so
   * an ID leaves `pending` only when its message goes and can still be moved ahead until then.
   */
  private async flush(priority: Priority): Promise<void> {
    this.sending[priority] = true;
    try {
      const pending = this.pending[priority];
      while (pending.size > 0 && !this.signal.aborted) {
        const ids = [...pending];
        if (priority === 'visible') {
          // Not awaited: IDs a later scroll brings into view do not wait for these answers.
          pending.clear();
          const promoted = ids.filter((id) => this.promoted.has(id));
          const first = ids.filter((id) => !this.promoted.has(id));
          for (let i = 0; i < first.length; i += CONTENT_MAX_IDS_PER_LOOKUP) void this.send(first.slice(i, i + CONTENT_MAX_IDS_PER_LOOKUP), priority, true);
          for (let i = 0; i < promoted.length; i += PROMOTED_CHUNK) void this.send(promoted.slice(i, i + PROMOTED_CHUNK), priority, true);
          continue;
        }
        const chunk = ids.slice(0, CONTENT_MAX_IDS_PER_LOOKUP);
        for (const id of chunk) pending.delete(id);
        await this.send(chunk, priority, true);
      }
    } finally {
      this.sending[priority] = false;
    }
  }

  /**
   * Opens the port whose closing tells the background this frame is gone, so it drops what only
   * this frame waits for. A stopped worker closes it; the next lookup opens it again.
   */
  private connect(): void {
    if (this.port || this.signal.aborted) return;
    try {
      const port = browser.runtime.connect({ name: CONTENT_FRAME_PORT });
      port.onDisconnect.addListener(() => {
        if (this.port === port) this.port = undefined;
      });
      this.port = port;
    } catch {
      // The extension was reloaded or removed: this script is on its way out.
    }
  }

  private async send(ids: string[], priority: Priority, retry: boolean): Promise<void> {
    this.connect();
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
      for (const id of ids) {
        this.asked.delete(id);
        this.promoted.delete(id);
      }
      warn('lookup failed', error);
    }
  }
}
