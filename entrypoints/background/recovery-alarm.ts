import { browser } from 'wxt/browser';
import type { ServiceState } from '@/utils/protocol';

export const RECOVERY_ALARM = 'lookup-recovery';

/** Chrome fires alarms no sooner than 30 s after they are set. */
const MIN_DELAY_MS = 30_000;

function waitsForApi(state: ServiceState): boolean {
  return state.kind === 'unavailable' || state.kind === 'offline';
}

/**
 * While the API is down or unreachable, an alarm (it outlives the worker) wakes the background to
 * probe it; once it answers, the "ready" state is pushed and the tabs ask again.
 */
export async function scheduleRecovery(state: ServiceState, now = Date.now()): Promise<void> {
  if (!waitsForApi(state)) {
    await browser.alarms.clear(RECOVERY_ALARM);
    return;
  }
  const when = Math.max(now + MIN_DELAY_MS, state.error?.retryAt ?? 0);
  await browser.alarms.create(RECOVERY_ALARM, { when });
}

/** Registers the alarm listener; call synchronously in the background's `main`. */
export function onRecoveryAlarm(probe: () => Promise<ServiceState>): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name !== RECOVERY_ALARM) return;
    void probe()
      .then((state) => scheduleRecovery(state))
      .catch((error: unknown) => console.warn('Recovery probe failed', error));
  });
}
