import { browser } from 'wxt/browser';
import { apiErrorInfoSchema, type ApiErrorInfo, type ErrorKind } from '@/utils/api-error';
import { serviceStateSchema, type CredentialsInfo, type ServiceState } from '@/utils/protocol';
import { stateTitle } from '@/utils/state-text';
import { z } from '@/utils/zod';
import { SessionMirror } from './session-mirror';

export type StateKind = ServiceState['kind'];

/**
 * The errors that concern every ID, as the state of the service they put it in. A 403 is not
 * here: the lookup service decides when one concerns every ID (then the state is `forbidden`).
 */
const KIND_BY_ERROR: Partial<Record<ErrorKind, StateKind>> = {
  not_configured: 'not_configured',
  unauthorized: 'unauthorized',
  unavailable: 'unavailable',
  timeout: 'unavailable',
  rate_limited: 'rate_limited',
  network: 'offline',
};

export function stateKindForError(kind: ErrorKind): StateKind | undefined {
  return KIND_BY_ERROR[kind];
}

/** States in which calling the API is pointless until the user changes the settings or credentials. */
export function blocksCalls(kind: StateKind): boolean {
  return kind === 'not_configured' || kind === 'unauthorized' || kind === 'forbidden';
}

/** States that end by themselves: the extension calls the API again at `retryAt`. */
export function waitsForApi(kind: StateKind): boolean {
  return kind === 'unavailable' || kind === 'offline' || kind === 'rate_limited';
}

// Red where the user must act, amber where the extension waits for the API or the network.
const BADGE_COLOURS: Record<Exclude<StateKind, 'ready'>, string> = {
  not_configured: '#B3261E',
  unauthorized: '#B3261E',
  forbidden: '#B3261E',
  rate_limited: '#B26A00',
  unavailable: '#B26A00',
  offline: '#B26A00',
};

const storedSchema = z.object({ kind: serviceStateSchema.shape.kind, error: apiErrorInfoSchema.optional() });
type StoredState = z.infer<typeof storedSchema>;

export interface ServiceStateDeps {
  credentialsInfo(): Promise<CredentialsInfo>;
  /** When the extension calls the API again by itself (the circuit breaker's time), if it waits. */
  retryAt?(): Promise<number | undefined>;
  /** Called after the kind changed, with the new state. */
  onChange(state: ServiceState): void;
}

/**
 * The state of the lookup service as every asker and the toolbar icon see it. Kept in
 * `storage.session`, so a restarted worker neither forgets an outage nor shows a stale one.
 */
export class ServiceStateStore {
  private readonly mirror = new SessionMirror<StoredState>({
    key: 'session:serviceState',
    load: (raw) => storedSchema.safeParse(raw).data ?? { kind: 'ready' },
    save: (value) => value,
  });

  private showing: Promise<void> = Promise.resolve();

  constructor(private readonly deps: ServiceStateDeps) {}

  async kind(): Promise<StateKind> {
    return (await this.mirror.get()).kind;
  }

  async current(): Promise<ServiceState> {
    const [stored, info] = await Promise.all([this.mirror.get(), this.credentials()]);
    const state: ServiceState = { kind: stored.kind, authMode: info.mode };
    if (stored.error) state.error = stored.error;
    if (info.mode === 'token' && info.expiresAt !== undefined) state.tokenExpiresAt = info.expiresAt;
    if (waitsForApi(stored.kind)) {
      const retryAt = (await this.deps.retryAt?.().catch(() => undefined)) ?? stored.error?.retryAt;
      if (retryAt !== undefined) state.retryAt = retryAt;
    }
    return state;
  }

  /** Records what the last call said of the service; a change is stored, shown and announced. */
  async report(kind: StateKind, error?: ApiErrorInfo): Promise<void> {
    const before = await this.mirror.get();
    const next: StoredState = kind === 'ready' ? { kind } : { kind, error };
    if (before.kind === next.kind && JSON.stringify(before.error) === JSON.stringify(next.error)) return;
    await this.mirror.update(() => next);
    await this.mirror.flush();
    await this.show();
    if (before.kind !== next.kind) this.deps.onChange(await this.current());
  }

  /**
   * Sets the toolbar icon's badge and title from the stored state: what is wrong, what to do,
   * when it is tried again. One at a time, in order: each reads the state when its turn comes,
   * so one begun before a change cannot finish after it with what it read before.
   */
  show(): Promise<void> {
    this.showing = this.showing.then(() => this.showNow());
    return this.showing;
  }

  private async showNow(): Promise<void> {
    try {
      const current = await this.current();
      const { kind } = current;
      await browser.action.setTitle({ title: stateTitle(current) });
      if (kind === 'ready') {
        await browser.action.setBadgeText({ text: '' });
      } else {
        await browser.action.setBadgeText({ text: '!' });
        await browser.action.setBadgeBackgroundColor({ color: BADGE_COLOURS[kind] });
      }
    } catch (error) {
      console.warn('Could not update the toolbar icon', error);
    }
  }

  private async credentials(): Promise<CredentialsInfo> {
    try {
      return await this.deps.credentialsInfo();
    } catch {
      return { mode: 'none' };
    }
  }
}
