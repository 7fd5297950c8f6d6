import { RecurringPeriods } from './recurring-periods';

const at = (iso: string): Date => new Date(iso);
const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

describe('RecurringPeriods', () => {
  it('counts days and weeks from the start, in UTC', () => {
    const daily = new RecurringPeriods(at('2026-03-01T09:30:00.000Z'), 'daily');
    expect(iso(daily.start(2))).toBe('2026-03-03T09:30:00.000Z');
    expect(iso(daily.latestAtOrBefore(at('2026-03-05T09:29:59.999Z')))).toBe('2026-03-04T09:30:00.000Z');
    expect(iso(daily.latestAtOrBefore(at('2026-03-05T09:30:00.000Z')))).toBe('2026-03-05T09:30:00.000Z');
    expect(iso(daily.firstAfter(at('2026-03-05T09:30:00.000Z')))).toBe('2026-03-06T09:30:00.000Z');
    const weekly = new RecurringPeriods(at('2026-03-01T09:30:00.000Z'), 'weekly');
    expect(iso(weekly.latestAtOrBefore(at('2026-03-20T00:00:00.000Z')))).toBe('2026-03-15T09:30:00.000Z');
    expect(iso(weekly.firstAfter(at('2026-03-20T00:00:00.000Z')))).toBe('2026-03-22T09:30:00.000Z');
  });

  it('runs monthly on the same day, or on the last day of a shorter month, and back on the day after', () => {
    const monthly = new RecurringPeriods(at('2026-01-31T12:00:00.000Z'), 'monthly');
    expect([1, 2, 3, 12, 13].map((k) => iso(monthly.start(k)))).toEqual([
      '2026-02-28T12:00:00.000Z',
      '2026-03-31T12:00:00.000Z',
      '2026-04-30T12:00:00.000Z',
      '2027-01-31T12:00:00.000Z',
      '2027-02-28T12:00:00.000Z',
    ]);
    expect(iso(new RecurringPeriods(at('2027-12-29T00:00:00.000Z'), 'monthly').start(2))).toBe('2028-02-29T00:00:00.000Z');
    expect(iso(monthly.latestAtOrBefore(at('2026-03-31T11:59:59.999Z')))).toBe('2026-02-28T12:00:00.000Z');
    expect(iso(monthly.latestAtOrBefore(at('2026-03-31T12:00:00.000Z')))).toBe('2026-03-31T12:00:00.000Z');
    expect(iso(monthly.firstAfter(at('2026-03-01T00:00:00.000Z')))).toBe('2026-03-31T12:00:00.000Z');
    expect(iso(monthly.latestAtOrBefore(at('2030-06-15T00:00:00.000Z')))).toBe('2030-05-31T12:00:00.000Z');
  });

  it('has no period before the start; the first one at or after a moment may be the start itself', () => {
    const p = new RecurringPeriods(at('2026-03-01T00:00:00.000Z'), 'daily');
    expect(p.latestAtOrBefore(at('2026-02-28T23:59:59.999Z'))).toBeNull();
    expect(iso(p.firstAfter(at('2026-02-01T00:00:00.000Z')))).toBe('2026-03-01T00:00:00.000Z');
    expect(iso(p.firstAtOrAfter(at('2026-03-01T00:00:00.000Z')))).toBe('2026-03-01T00:00:00.000Z');
    expect(iso(p.firstAtOrAfter(at('2026-03-01T00:00:00.001Z')))).toBe('2026-03-02T00:00:00.000Z');
  });

  it('after a long gap, names only the latest period that began (a missed stretch runs once)', () => {
    const p = new RecurringPeriods(at('2026-03-01T00:00:00.000Z'), 'daily');
    const now = at('2026-03-10T06:00:00.000Z');
    expect(iso(p.latestAtOrBefore(now))).toBe('2026-03-10T00:00:00.000Z');
    expect(iso(p.firstAfter(now))).toBe('2026-03-11T00:00:00.000Z');
  });

  it('makes every frequency the test period when one is configured', () => {
    const p = new RecurringPeriods(at('2026-03-01T00:00:00.000Z'), 'monthly', 1500);
    expect(iso(p.latestAtOrBefore(at('2026-03-01T00:00:04.000Z')))).toBe('2026-03-01T00:00:03.000Z');
    expect(iso(p.firstAfter(at('2026-03-01T00:00:04.000Z')))).toBe('2026-03-01T00:00:04.500Z');
  });
});
