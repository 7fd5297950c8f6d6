import { CASH_ASSET, formatAmount } from '../../common/money/amount-format';
import { Dec, dec } from '../../common/money/decimal';
import type { PeriodStatementRow } from '../../ledger/reader/ledger.reader';

/**
 * A monthly account statement (pure: the service reads the ledger, the holder and the closes; this decides what they
 * mean). Months are calendar months in UTC: the account has no time-zone setting, and a statement must read the same
 * wherever it is downloaded.
 */

/** `YYYY-MM`, months 01–12. */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** A month's first instant (UTC). */
export function monthStart(month: string): Date {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, 1));
}

/** The first instant of the month after (the end of `month`, exclusive). */
export function monthEnd(month: string): Date {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 1));
}

/** The month (UTC) an instant falls in, as `YYYY-MM`. */
export function monthOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/** Every month from `first` to `last` (both `YYYY-MM`, inclusive), newest first. */
export function monthsBetween(first: string, last: string): string[] {
  const out: string[] = [];
  for (let at = monthStart(last); monthOf(at) >= first; at = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - 1, 1))) out.push(monthOf(at));
  return out;
}

/** One journal's change of one asset in the month. `amount` + `-fee` = the change of the account's total. */
export interface StatementMovement {
  at: Date;
  journalId: string;
  /** The journal's business event: trade, convert, deposit, withdrawal, adjustment, cash_out… */
  type: string;
  description: string;
  reference: string;
  /** The change without the fee (signed). */
  amount: Dec;
  /** The fee paid in this asset (never negative; a fee given back stays in `amount`). */
  fee: Dec;
  /** The account's total in the asset after it. */
  balanceAfter: Dec;
}

export interface AssetStatement {
  asset: string;
  opening: Dec;
  movements: StatementMovement[];
  /** The positive amounts, the negative ones (as a positive figure), and the fees, over the month. */
  credited: Dec;
  debited: Dec;
  fees: Dec;
  /** opening + credited − debited − fees. */
  closing: Dec;
  /** USD per unit at the valuation time (1 for USD); null when no close was recorded. */
  price: Dec | null;
  /** closing × price in USD, to the cent (half-even); null without a price. */
  value: Dec | null;
}

export interface Statement {
  month: string;
  from: Date;
  /** The end of the month (exclusive). */
  to: Date;
  /** Whether the month is over (else the statement is "to date" and valued at `valuedAt`). */
  complete: boolean;
  /** When the closing balances are valued: the end of the month, or the time it was made for the current month. */
  valuedAt: Date;
  generatedAt: Date;
  holder: { name: string; email: string };
  /** USD first, then by ticker: every asset with an opening balance or a movement in the month. */
  assets: AssetStatement[];
  /** The sum of the assets' values (those with a price). */
  totalValue: Dec;
  /** Assets with a closing balance but no recorded close. */
  unpriced: string[];
}

/** USD first, then alphabetical. */
function byAsset(a: string, b: string): number {
  if (a === b) return 0;
  if (a === CASH_ASSET) return -1;
  if (b === CASH_ASSET) return 1;
  return a < b ? -1 : 1;
}

/**
 * The statement from the ledger's rows of the period (LedgerReader.periodStatement: openings, then movements in the
 * order they applied) and the recorded closes at `valuedAt` (by asset; USD is 1).
 */
export function buildStatement(input: {
  month: string;
  now: Date;
  holder: { name: string; email: string };
  rows: readonly PeriodStatementRow[];
  closes: ReadonlyMap<string, string>;
}): Statement {
  const from = monthStart(input.month);
  const to = monthEnd(input.month);
  const complete = input.now >= to;
  const assets = new Map<string, AssetStatement>();
  const of = (asset: string): AssetStatement => {
    let a = assets.get(asset);
    if (!a) {
      const zero = dec(0);
      a = { asset, opening: zero, movements: [], credited: zero, debited: zero, fees: zero, closing: zero, price: null, value: null };
      assets.set(asset, a);
    }
    return a;
  };
  for (const r of input.rows) {
    const a = of(r.asset);
    if (r.part === 'opening') {
      a.opening = dec(r.amount);
      a.closing = a.opening;
      continue;
    }
    const change = dec(r.amount);
    const feePart = dec(r.fee);
    const fee = feePart.isNegative() ? feePart.neg() : dec(0);
    const amount = change.add(fee);
    a.closing = a.closing.add(change);
    if (amount.isPositive()) a.credited = a.credited.add(amount);
    else a.debited = a.debited.sub(amount);
    a.fees = a.fees.add(fee);
    a.movements.push({
      at: new Date(r.created_at as Date),
      journalId: r.journal_id as string,
      type: r.type ?? '',
      description: r.description ?? '',
      reference: r.reference ?? '',
      amount,
      fee,
      balanceAfter: a.closing,
    });
  }
  const shown = [...assets.values()].filter((a) => !a.opening.isZero() || a.movements.length > 0).sort((x, y) => byAsset(x.asset, y.asset));
  let totalValue = dec(0);
  const unpriced: string[] = [];
  for (const a of shown) {
    const close = a.asset === CASH_ASSET ? '1' : input.closes.get(a.asset);
    if (close === undefined) {
      if (!a.closing.isZero()) unpriced.push(a.asset);
      continue;
    }
    a.price = dec(close);
    a.value = a.closing.mul(a.price).toDecimalPlaces(2, Dec.ROUND_HALF_EVEN);
    totalValue = totalValue.add(a.value);
  }
  return {
    month: input.month,
    from,
    to,
    complete,
    valuedAt: complete ? to : input.now,
    generatedAt: input.now,
    holder: input.holder,
    assets: shown,
    totalValue,
    unpriced,
  };
}

/** What an event type reads as on a statement. */
const EVENT_LABELS: Record<string, string> = {
  trade: 'Trade',
  convert: 'Conversion',
  deposit: 'Deposit',
  withdrawal: 'Withdrawal',
  withdrawal_release: 'Withdrawal returned',
  adjustment: 'Adjustment',
  cash_out: 'Cash-out',
  cash_out_reversal: 'Cash-out returned',
};

export function eventLabel(type: string): string {
  const known = EVENT_LABELS[type];
  if (known) return known;
  const words = type.replace(/_/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : 'Other';
}

/**
 * An amount as a statement prints it: the ledger's decimal string (formatAmount: USD 2 decimals, crypto 8, more when
 * the amount has them: nothing rounded away), its whole part grouped in thousands with commas. A string operation:
 * the amount never becomes a JS number.
 */
export function printedAmount(value: Dec, asset: string): string {
  const s = formatAmount(value, asset);
  const negative = s.startsWith('-');
  const [whole, fraction] = (negative ? s.slice(1) : s).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** Dollars to the cent, grouped: "1,234.56". */
export function printedUsd(value: Dec): string {
  return printedAmount(value.toDecimalPlaces(2, Dec.ROUND_HALF_EVEN), CASH_ASSET);
}

/** A moment as a statement prints it, in UTC: "2025-06-14 10:32 UTC". */
export function printedTime(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A day as a statement prints it: "2025-06-14". */
export function printedDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The period's last day (inclusive), or today for the current month. */
export function periodLastDay(s: Statement): Date {
  return s.complete ? new Date(s.to.getTime() - 1) : s.generatedAt;
}

/** The file name of a statement: `cryptovault-statement-2025-06.pdf`. */
export function statementFilename(month: string, ext: 'pdf' | 'csv'): string {
  return `cryptovault-statement-${month}.${ext}`;
}
