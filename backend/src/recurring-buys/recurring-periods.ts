export const RECURRING_FREQUENCIES = ['daily', 'weekly', 'monthly'] as const;
export type RecurringFrequency = (typeof RECURRING_FREQUENCIES)[number];

export const RECURRING_BUY_STATUSES = ['active', 'paused', 'deleted'] as const;
export type RecurringBuyStatus = (typeof RECURRING_BUY_STATUSES)[number];

export const RECURRING_RUN_STATUSES = ['pending', 'filled', 'skipped', 'failed'] as const;
export type RecurringRunStatus = (typeof RECURRING_RUN_STATUSES)[number];

/** At most this many active recurring buys per user (API.md "Recurring buys"). */
export const MAX_ACTIVE_RECURRING_BUYS = 20;

const DAY_MS = 86_400_000;

/**
 * The periods of a recurring buy, all counted from its start (the anchor) in
 * UTC: period k starts at anchor + k days (daily), + 7k days (weekly), or k
 * calendar months later on the anchor's day of the month at its time of day,
 * the last day of a shorter month standing in (a buy on the 31st runs on 28 or
 * 29 February and on 31 March again). A period is named by its start, the key
 * a run is claimed under (UNIQUE (recurring_buy_id, period_start)), so every
 * instance computes the same periods from the stored anchor whatever its clock.
 *
 * `testPeriodMs` (RECURRING_BUYS_TEST_PERIOD_MS, never in production) makes
 * every frequency a period of that many milliseconds.
 */
export class RecurringPeriods {
  constructor(
    private readonly anchor: Date,
    private readonly frequency: RecurringFrequency,
    private readonly testPeriodMs?: number,
  ) {}

  /** The start of period `k` (k ≥ 0). */
  start(k: number): Date {
    const fixed = this.fixedLength();
    if (fixed !== undefined) return new Date(this.anchor.getTime() + k * fixed);
    return addMonthsClamped(this.anchor, k);
  }

  /** The latest period that started at or before `at`, or null when `at` is before the first. */
  latestAtOrBefore(at: Date): Date | null {
    const k = this.indexAtOrBefore(at);
    return k < 0 ? null : this.start(k);
  }

  /** The first period that starts strictly after `at`. */
  firstAfter(at: Date): Date {
    return this.start(this.indexAtOrBefore(at) + 1);
  }

  /** The first period that starts at or after `at`. */
  firstAtOrAfter(at: Date): Date {
    const k = this.indexAtOrBefore(at);
    if (k >= 0 && this.start(k).getTime() === at.getTime()) return at;
    return this.start(k + 1);
  }

  private fixedLength(): number | undefined {
    if (this.testPeriodMs !== undefined) return this.testPeriodMs;
    if (this.frequency === 'daily') return DAY_MS;
    if (this.frequency === 'weekly') return 7 * DAY_MS;
    return undefined;
  }

  /** k of the latest period starting at or before `at`; −1 before the anchor. */
  private indexAtOrBefore(at: Date): number {
    const since = at.getTime() - this.anchor.getTime();
    if (since < 0) return -1;
    const fixed = this.fixedLength();
    if (fixed !== undefined) return Math.floor(since / fixed);
    // Months: the calendar difference, corrected by the day and time within the month.
    let k = Math.max(0, (at.getUTCFullYear() - this.anchor.getUTCFullYear()) * 12 + at.getUTCMonth() - this.anchor.getUTCMonth());
    while (k > 0 && this.start(k).getTime() > at.getTime()) k--;
    while (this.start(k + 1).getTime() <= at.getTime()) k++;
    return k;
  }
}

/** `anchor` plus `months` calendar months (UTC), on the anchor's day or the last day of a shorter month. */
function addMonthsClamped(anchor: Date, months: number): Date {
  const total = anchor.getUTCMonth() + months;
  const year = anchor.getUTCFullYear() + Math.floor(total / 12);
  const month = ((total % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      year,
      month,
      Math.min(anchor.getUTCDate(), lastDay),
      anchor.getUTCHours(),
      anchor.getUTCMinutes(),
      anchor.getUTCSeconds(),
      anchor.getUTCMilliseconds(),
    ),
  );
}
