import { browser } from 'wxt/browser';

export const RECOVERY_ALARM = 'lookup-recovery';

/** Chrome fires an alarm no sooner than 30 s after it is set (Chrome 120 and later). */
const ALARM_MIN_DELAY_MS = 30_000;

export interface RecoveryDeps {
  /** When to try the API again (the circuit breaker's time); undefined when nothing waits. */
  nextAttemptAt(): Promise<number | undefined>;
  /** Tries it: one probe, if the breaker lets one go by then. */
  recover(): Promise<void>;
  now?(): number;
}

/**
 * Brings the service back by itself once the API answers again, with no page having to ask.
 * While the worker lives a timer fires at the breaker's time; Chrome stops timers with the worker,
 * so an alarm (which outlives it, but fires no sooner than 30 s) backs the timer up and wakes a
 * stopped worker. Both take their time from the breaker, and when either fires the breaker
 * decides whether a probe may go, so neither can race it: one that fires early is refused and the
 * two are set again from the breaker's new time.
 */
export class Recovery {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private armedAt: number | undefined;
  private arming: Promise<void> = Promise.resolve();

  constructor(private readonly deps: RecoveryDeps) {}

  /**
   * Follows the breaker's time; call after anything that may have changed it. One at a time, in
   * order, so one that read the time before a change cannot set its timer after it.
   */
  arm(): Promise<void> {
    this.arming = this.arming.catch(() => undefined).then(() => this.armNow());
    return this.arming;
  }

  private async armNow(): Promise<void> {
    const at = await this.deps.nextAttemptAt();
    if (at === this.armedAt && (at === undefined || this.timer !== undefined)) return;
    this.armedAt = at;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (at === undefined) {
      await browser.alarms.clear(RECOVERY_ALARM);
      return;
    }
    const now = this.deps.now?.() ?? Date.now();
    this.timer = setTimeout(() => this.fire(), Math.max(0, at - now));
    await browser.alarms.create(RECOVERY_ALARM, { when: Math.max(at, now + ALARM_MIN_DELAY_MS) });
  }

  /** Stops the timer (the alarm stays): for a worker replaced by another in the same scope, as in tests. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = undefined;
  }

  /** Registers the alarm listener; call synchronously in the background's `main`. */
  listen(): void {
    browser.alarms.onAlarm.addListener((alarm) => {
      if (alarm.name === RECOVERY_ALARM) this.fire();
    });
  }

  private fire(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = undefined;
    void this.deps
      .recover()
      .catch((error: unknown) => console.warn('Recovery probe failed', error))
      .then(() => this.arm())
      .catch((error: unknown) => console.warn('Could not schedule the recovery probe', error));
  }
}
