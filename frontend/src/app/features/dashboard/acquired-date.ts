/**
 * The "Acquired on" date of a tracked lot as a date field holds it (`YYYY-MM-DD`, the person's own calendar day) and
 * as the API takes it (an ISO-8601 instant, from 2009 on and not in the future: TrackHoldingDto / MoveTrackedLotDto; the
 * API takes 1 January 2009 as picked in any time zone).
 */

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** A local calendar day as a date field writes it. */
export function dayInput(at: Date): string {
  return `${pad(at.getFullYear(), 4)}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** The local day an instant of the API falls on, for the date field. */
export function dayOf(iso: string): string {
  return dayInput(new Date(iso));
}

/** The local midnight that begins a `YYYY-MM-DD` day; null for anything else. */
function startOf(day: string): Date | null {
  const m = DAY.exec(day);
  if (!m) return null;
  const at = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Years below 100 are taken as 19xx by the Date constructor: set the year as written.
  at.setFullYear(Number(m[1]));
  return dayInput(at) === day ? at : null;
}

/**
 * What to send for a day: today is now (the lot counts from this moment, as when no date is given), an earlier day
 * its local midnight. Undefined for a day that is not one.
 */
export function acquiredAtOf(day: string, now: Date = new Date()): string | undefined {
  if (day === dayInput(now)) return now.toISOString();
  return startOf(day)?.toISOString();
}

/** Why a day cannot be sent (the server's own words), or null. An empty field is the schema's to judge. */
export function acquiredDayProblem(day: string, now: Date = new Date()): string | null {
  if (day === '') return null;
  const at = startOf(day);
  if (!at) return $localize`Enter the purchase date as a date like 2025-03-01`;
  if (at.getFullYear() < 2009) return $localize`Choose a purchase date in 2009 or later`;
  if (day > dayInput(now)) return $localize`Choose a purchase date that is not in the future`;
  return null;
}
