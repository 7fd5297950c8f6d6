import { backfillRanges } from './candles.service';

describe('backfillRanges', () => {
  const now = Date.parse('2026-11-28T12:34:56Z');
  const DAY = 86_400_000;

  it('covers a year before the oldest candle without gaps or overlaps, finest granularity nearest now', () => {
    const end = Date.parse('2026-11-28T12:30:00Z');
    const ranges = backfillRanges(now, end);
    expect(ranges.map((r) => r.width)).toEqual([300, 3_600, 86_400]);
    expect(ranges[0].to).toBe(end);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i].to).toBe(ranges[i - 1].from);
    expect(ranges[2].from).toBeLessThanOrEqual(now - 365 * DAY);
    for (const r of ranges) {
      expect(r.from % (r.width * 1000)).toBe(0);
      expect(r.to % (r.width * 1000)).toBe(0);
    }
  });

  it('fills only before the oldest stored candle, each range aligned to its width', () => {
    const oldest = Date.parse('2026-10-29T12:34:56Z');
    const ranges = backfillRanges(now, oldest);
    expect(ranges).toEqual([
      { width: 300, from: Date.parse('2026-10-29T12:00:00Z'), to: Date.parse('2026-10-29T12:30:00Z') },
      // Hourly back to 90 days ago, daily beyond.
      { width: 3_600, from: Date.parse('2026-08-30T00:00:00Z'), to: Date.parse('2026-10-29T12:00:00Z') },
      { width: 86_400, from: Date.parse('2025-11-28T00:00:00Z'), to: Date.parse('2026-08-30T00:00:00Z') },
    ]);
  });
});
