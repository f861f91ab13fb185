import {
  admit,
  breakerStateSchema,
  CLOSED,
  DEFAULT_BREAKER_OPTIONS,
  recordFailure,
  recordSuccess,
  type Admission,
  type BreakerOptions,
  type BreakerState,
} from '@/utils/circuit-breaker';
import { z } from '@/utils/zod';
import { SessionMirror } from './session-mirror';

const storedSchema = z.record(z.string(), breakerStateSchema);

/** One circuit breaker per API origin, its state in `storage.session`. */
export class BreakerStore {
  private readonly mirror = new SessionMirror<Record<string, BreakerState>>({
    key: 'session:breakers',
    load: (raw) => storedSchema.safeParse(raw).data ?? {},
    save: (value) => value,
  });

  constructor(private readonly options: BreakerOptions = DEFAULT_BREAKER_OPTIONS) {}

  async admit(origin: string, now = Date.now()): Promise<Admission> {
    const all = await this.mirror.get();
    // From here to the return nothing awaits, so two callers cannot both take the one half-open probe.
    const current = this.mirror.peek() ?? all;
    const admission = admit(current[origin] ?? CLOSED, now, this.options);
    if (admission.state !== (current[origin] ?? CLOSED)) this.mirror.replace({ ...current, [origin]: admission.state });
    return admission;
  }

  async success(origin: string): Promise<void> {
    const breakers = await this.mirror.get();
    if (breakers[origin] && breakers[origin].phase === 'closed' && breakers[origin].failures === 0) return;
    await this.mirror.update((all) => ({ ...all, [origin]: recordSuccess() }));
  }

  async failure(origin: string, now = Date.now()): Promise<void> {
    await this.mirror.update((all) => ({ ...all, [origin]: recordFailure(all[origin] ?? CLOSED, now, this.options) }));
  }

  async state(origin: string): Promise<BreakerState> {
    return (await this.mirror.get())[origin] ?? CLOSED;
  }
}
