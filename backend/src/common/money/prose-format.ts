import { CASH_ASSET } from './amount-format';
import { Dec, dec } from './decimal';

/**
 * Amounts, prices, dates and durations as a person writes them, for the text
 * customers read: notifications and their emails, journal descriptions,
 * security notices. Never for API decimals (those are `formatAmount`).
 *
 *   formatUsd('1234.565')              → "$1,234.56"   (2 decimals, half-even; "-$5.00")
 *   formatUsdPrice('0.00012345')       → "$0.0001234"  (under $1: 4 significant digits, at most 8 decimals)
 *   formatCrypto('0.0096073297', 'BTC') → "≈0.00960732 BTC" (at most 8 decimals, rounded down)
 *   formatDateTime(date)               → "Dec 3, 2026, 10:05 UTC"
 *   formatDuration(86_400_000)         → "24 hours"
 */

type DecLike = Dec | string;

const toDec = (v: DecLike): Dec => (typeof v === 'string' ? dec(v) : v);

/** "1234567.5" → "1,234,567.5" (en-US grouping of the integer part; the digits are left as they are). */
function grouped(fixed: string): string {
  const [int, frac] = fixed.split('.');
  const withCommas = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? withCommas : `${withCommas}.${frac}`;
}

/** A rounded value as "$1,234.56" / "-$5.00" with `decimals` digits (never "-$0.00"). */
function dollars(rounded: Dec, decimals: number): string {
  if (rounded.isZero()) return `$${dec(0).toFixed(decimals)}`;
  const s = grouped(rounded.abs().toFixed(decimals));
  return rounded.isNeg() ? `-$${s}` : `$${s}`;
}

export interface ProseAmountOptions {
  /**
   * Put "≈" in front of a USD amount whose cents were rounded (journal descriptions, where the exact
   * ledger amount is shown next to it). Crypto quantities are always marked when digits were dropped.
   */
  approx?: boolean;
}

/** USD: "$1,234.56", en-US grouping, exactly 2 decimals rounded half-even; a negative as "-$5.00". */
export function formatUsd(value: DecLike, opts: ProseAmountOptions = {}): string {
  const v = toDec(value);
  const rounded = v.toDecimalPlaces(2, Dec.ROUND_HALF_EVEN);
  const s = dollars(rounded, 2);
  return opts.approx && !rounded.eq(v) ? `≈${s}` : s;
}

/**
 * A USD price: from $1 as {@link formatUsd}; under $1 with 4 significant digits (half-even, at most 8
 * decimals, at least 2), as the client shows prices: "$0.50", "$0.9983", "$0.00001234", never "$0.00".
 */
export function formatUsdPrice(value: DecLike): string {
  const v = toDec(value);
  if (v.abs().gte(1) || v.isZero()) return formatUsd(v);
  const rounded = v.toSignificantDigits(4, Dec.ROUND_HALF_EVEN).toDecimalPlaces(8, Dec.ROUND_HALF_EVEN);
  return dollars(rounded.isZero() ? v.toDecimalPlaces(8, Dec.ROUND_UP) : rounded, Math.max(2, rounded.isZero() ? 8 : rounded.decimalPlaces()));
}

/**
 * A crypto quantity: "0.00960733 BTC", "1,234.5 ETH": at most 8 decimals ROUNDED DOWN (a balance is
 * never overstated), trailing zeros trimmed, en-US grouping; "≈" in front when digits were dropped.
 */
export function formatCrypto(value: DecLike, asset: string): string {
  const v = toDec(value);
  const rounded = v.toDecimalPlaces(8, Dec.ROUND_DOWN);
  const digits = rounded.isZero() ? '0' : rounded.isNeg() ? `-${grouped(rounded.abs().toFixed())}` : grouped(rounded.toFixed());
  const s = `${digits} ${asset}`;
  return rounded.eq(v) ? s : `≈${s}`;
}

/** An amount (or a fee) of `asset`: USD as {@link formatUsd}, anything else as {@link formatCrypto}. */
export function formatMoney(value: DecLike, asset: string, opts: ProseAmountOptions = {}): string {
  return asset === CASH_ASSET ? formatUsd(value, opts) : formatCrypto(value, asset);
}

const DATE_TIME = new Intl.DateTimeFormat('en-US', {
  timeZone: 'UTC',
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

export interface ProseDateOptions {
  /** Round up to the next whole minute: for "until" and "from" instants, so the text never promises a minute early. */
  roundUp?: boolean;
}

/** "Dec 3, 2026, 10:05 UTC": en-US, in UTC, to the minute (seconds dropped, or rounded up with `roundUp`). */
export function formatDateTime(at: Date | string | number, opts: ProseDateOptions = {}): string {
  let ms = new Date(at).getTime();
  if (opts.roundUp) ms = Math.ceil(ms / 60_000) * 60_000;
  return `${DATE_TIME.format(ms).replace(/[\u00a0\u202f]/g, ' ')} UTC`;
}

const unit = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const pair = (n: number, big: string, m: number, small: string): string => (m ? `${unit(n, big)} and ${unit(m, small)}` : unit(n, big));

/**
 * A duration as words, rounded up to the unit shown: "45 seconds", "15 minutes", "1 hour and 30 minutes",
 * "24 hours" (hours up to 48), "7 days", "2 days and 6 hours".
 */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds < 60) return unit(seconds, 'second');
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return unit(minutes, 'minute');
  if (minutes < 48 * 60) return pair(Math.floor(minutes / 60), 'hour', minutes % 60, 'minute');
  const hours = Math.ceil(minutes / 60);
  return pair(Math.floor(hours / 24), 'day', hours % 24, 'hour');
}
