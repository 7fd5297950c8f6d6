import { WEBHOOK_MAX_RETRY_WAIT_MS, WEBHOOK_RETRY_WINDOW_MS } from './webhook-events';

/**
 * How long to wait after the `failed`-th failed attempt of a delivery (1 after the first): WEBHOOK_RETRY_BASE_MS ×
 * 2^(failed − 1), at most 4 hours, times a random factor from 0.8 to 1.2 (jitter: receivers that were down together
 * are not all called again at the same moment). Whole milliseconds.
 */
export function retryDelayMs(failed: number, baseMs: number, random: () => number = Math.random): number {
  const nominal = Math.min(baseMs * 2 ** Math.min(Math.max(failed - 1, 0), 30), WEBHOOK_MAX_RETRY_WAIT_MS);
  return Math.round(nominal * (0.8 + 0.4 * random()));
}

/**
 * The nominal times of the attempts of a delivery that keeps failing, in milliseconds after the event (no jitter):
 * the first at once, then each retry after `retryDelayMs`, as long as it falls within the 24 hours. API.md lists them.
 */
export function nominalAttemptTimes(baseMs: number, windowMs = WEBHOOK_RETRY_WINDOW_MS): number[] {
  const times = [0];
  for (let failed = 1; ; failed++) {
    const next = times[times.length - 1] + retryDelayMs(failed, baseMs, () => 0.5);
    if (next > windowMs) return times;
    times.push(next);
  }
}
