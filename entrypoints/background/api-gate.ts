import type { BreakerStore } from './breaker-store';

/** A pause or a probe due this soon is waited for, rather than answering "unknown" and asking again. */
export const SHORT_WAIT_MS = 2000;

export interface ApiGateDeps {
  breakers: BreakerStore;
  /**
   * One small call to see whether the API answers (the breaker has let it through); resolves to
   * whether calls may go now. Its outcome is recorded by whoever makes it.
   */
  probe(origin: string): Promise<boolean>;
  now(): number;
  sleep?(ms: number): Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The one way a call gets past the circuit breaker of its origin. While the circuit is open, the
 * probe the breaker lets through is a call of its own (see LookupService.probe), and callers that
 * arrive while it is under way wait for its outcome instead of failing: a page reloaded just
 * after the API came back gets its answers, not "unknown".
 */
export class ApiGate {
  private probing?: Promise<boolean>;

  constructor(private readonly deps: ApiGateDeps) {}

  /**
   * Resolves to whether calls to `origin` may go now. `onDemand`: a page asked, so a probe may go
   * sooner than the breaker's own time (see BreakerOptions.onDemandGapMs). `probeFirst`: the last
   * call failed for every ID (the service waits for the API) though the circuit is still closed,
   * so one probe goes before the rest, not every queued call one more failure. `byPerson`:
   * someone asked in the popup or the options; a rate limit's pause does not hold that one call.
   */
  async open(origin: string, { onDemand = false, probeFirst = false, byPerson = false } = {}): Promise<boolean> {
    const sleep = this.deps.sleep ?? defaultSleep;
    for (;;) {
      if (this.probing) {
        if (!(await this.probing)) return false;
        probeFirst = false;
        continue;
      }
      const admission = await this.deps.breakers.admit(origin, this.deps.now(), onDemand, byPerson);
      if (admission.allowed) {
        if (!admission.probe && !probeFirst) return true;
        if (!(await this.runProbe(origin))) return false;
        probeFirst = false;
        continue;
      }
      if (admission.reason === 'probing') {
        // Taken by a caller whose probe starts in a moment.
        await sleep(0);
        if (this.probing) continue;
        return false;
      }
      const wait = admission.retryAt - this.deps.now();
      if (wait > SHORT_WAIT_MS) return false;
      await sleep(Math.max(0, wait));
    }
  }

  /**
   * The breaker's time has come (the recovery timer or alarm): one probe if it lets one go, even
   * with the circuit closed, since the service still waits for the API. Resolves once it is done.
   */
  async recover(origin: string): Promise<void> {
    if (this.probing) {
      await this.probing;
      return;
    }
    const admission = await this.deps.breakers.admit(origin, this.deps.now(), false);
    if (admission.allowed) await this.runProbe(origin);
  }

  private runProbe(origin: string): Promise<boolean> {
    this.probing ??= this.deps.probe(origin).finally(() => {
      this.probing = undefined;
    });
    return this.probing;
  }
}
