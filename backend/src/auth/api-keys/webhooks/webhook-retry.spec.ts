import { nominalAttemptTimes, retryDelayMs } from './webhook-retry';

describe('webhook retries', () => {
  it('doubles the wait after each failure from the base, up to 4 hours, with up to 20% jitter either way', () => {
    const base = 60_000;
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, base, () => 0.5))).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(retryDelayMs(20, base, () => 0.5)).toBe(4 * 3_600_000);
    expect(retryDelayMs(1, base, () => 0)).toBe(48_000);
    expect(retryDelayMs(1, base, () => 0.999999)).toBeLessThanOrEqual(72_000);
    expect(retryDelayMs(3, 100, () => 0.5)).toBe(400);
  });

  it('keeps retrying for 24 hours after the event and no longer', () => {
    const times = nominalAttemptTimes(60_000);
    const minutes = times.map((t) => Math.round(t / 60_000));
    expect(minutes.slice(0, 9)).toEqual([0, 1, 3, 7, 15, 31, 63, 127, 255]);
    expect(times[times.length - 1]).toBeLessThanOrEqual(24 * 3_600_000);
    expect(times[times.length - 1] + 4 * 3_600_000).toBeGreaterThan(24 * 3_600_000);
    expect(times).toHaveLength(13);
  });
});
