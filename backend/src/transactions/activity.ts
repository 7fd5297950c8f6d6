import { CASH_ASSET, formatAmount, formatPrice } from '../common/money/amount-format';
import { Dec, dec } from '../common/money/decimal';
import type { ActivityEventRow, ActivityLineRow, StatementRow } from '../ledger/reader/ledger.reader';
import { csvField, csvLine, csvText } from './csv';
import type { ActivityDto, ActivityLineDto, ActivityType, EntryKindName } from './dto/activity.dto';

/**
 * An event's figures from its legs (pure: the service reads the rows and the closes, this decides what they mean).
 *
 * - The fee is what the event's `fee` entries took from the user, in the asset they were paid in (every journal type
 *   pays its fee in one asset). A leg is the change of the user's total in its asset with that fee taken out, so
 *   legs + fee = what the balances did. A fee given back (a cash-out's reversal returns it) is no fee paid: it stays
 *   in its leg.
 * - Price and USD value: an event with a USD leg and one crypto leg (a trade, a conversion to or from USD, a
 *   cash-out's funding) is priced from its legs exactly (USD ÷ quantity) and worth its USD leg; an event of one crypto
 *   asset (a deposit or withdrawal in kind, an adjustment) at the recorded close at its time, worth its amount at that
 *   close; a conversion between two crypto assets has no USD price and is worth what was given at its close; an event
 *   of dollars alone is worth its USD leg. What needs a close that is not recorded is null.
 */
export interface EventFigures {
  legs: { asset: string; amount: Dec; balanceAfter: Dec }[];
  fee: { asset: string; amount: Dec } | null;
  /** The crypto asset whose close at the event's time prices it (see `priceWith`), if any. */
  closeAsset: string | null;
  priceWith(close: Dec | undefined): { price: string | null; usdValue: string | null };
}

/** A USD price as the API writes one: cents from a dollar up, 8 decimals below (half-even), trailing zeros trimmed past 2. */
export function formatUsdUnitPrice(p: Dec): string {
  return formatPrice(p.abs().gte(1) ? p.toDecimalPlaces(2, Dec.ROUND_HALF_EVEN) : p.toDecimalPlaces(8, Dec.ROUND_HALF_EVEN));
}

/** Dollars to the cent (half-even), as `usdValue` is written. */
export function formatUsdValue(v: Dec): string {
  return v.abs().toDecimalPlaces(2, Dec.ROUND_HALF_EVEN).toFixed(2);
}

export function eventFigures(row: Pick<ActivityEventRow, 'legs'>): EventFigures {
  const raw = [...row.legs].sort((a, b) => (a.asset < b.asset ? -1 : a.asset > b.asset ? 1 : 0));
  const paid = raw.find((l) => dec(l.fee).isNegative());
  const fee = paid ? { asset: paid.asset, amount: dec(paid.fee).neg() } : null;
  const legs = raw.map((l) => ({
    asset: l.asset,
    amount: l === paid ? dec(l.change).sub(l.fee) : dec(l.change),
    balanceAfter: dec(l.balanceAfter),
  }));
  const moved = legs.filter((l) => !l.amount.isZero());
  const usd = moved.find((l) => l.asset === CASH_ASSET);
  const crypto = moved.filter((l) => l.asset !== CASH_ASSET);

  if (usd && crypto.length === 1) {
    const price = usd.amount.abs().div(crypto[0].amount.abs());
    return { legs, fee, closeAsset: null, priceWith: () => ({ price: formatUsdUnitPrice(price), usdValue: formatUsdValue(usd.amount) }) };
  }
  if (usd && crypto.length === 0) return { legs, fee, closeAsset: null, priceWith: () => ({ price: null, usdValue: formatUsdValue(usd.amount) }) };
  if (!usd && crypto.length === 1) {
    const only = crypto[0];
    return {
      legs,
      fee,
      closeAsset: only.asset,
      priceWith: (close) => (close ? { price: formatUsdUnitPrice(close), usdValue: formatUsdValue(only.amount.mul(close)) } : { price: null, usdValue: null }),
    };
  }
  const given = !usd && crypto.length === 2 ? crypto.find((l) => l.amount.isNegative()) : undefined;
  if (given && crypto.some((l) => l.amount.isPositive())) {
    return { legs, fee, closeAsset: given.asset, priceWith: (close) => ({ price: null, usdValue: close ? formatUsdValue(given.amount.mul(close)) : null }) };
  }
  return { legs, fee, closeAsset: null, priceWith: () => ({ price: null, usdValue: null }) };
}

function toLineDto(l: ActivityLineRow): ActivityLineDto {
  return { id: l.id, kind: l.kind as EntryKindName, asset: l.asset, bucket: l.bucket as ActivityLineDto['bucket'], amount: formatAmount(l.amount, l.asset) };
}

/** The event as the API answers it; `close` is the recorded close of `figures.closeAsset` at its time, when there is one. */
export function toActivityDto(row: ActivityEventRow, figures: EventFigures, close: Dec | undefined, lines: readonly ActivityLineRow[]): ActivityDto {
  return {
    id: row.id,
    type: row.type as ActivityType,
    createdAt: new Date(row.created_at).toISOString(),
    description: row.description,
    reference: row.reference,
    legs: figures.legs.map((l) => ({ asset: l.asset, amount: formatAmount(l.amount, l.asset), balanceAfter: formatAmount(l.balanceAfter, l.asset) })),
    fee: figures.fee && { asset: figures.fee.asset, amount: formatAmount(figures.fee.amount, figures.fee.asset) },
    ...figures.priceWith(close),
    lines: lines.map(toLineDto),
  };
}

/** The CSV's columns: the list's, then the event's (API.md "Transactions"). */
export const STATEMENT_COLUMNS = [
  'id',
  'type',
  'asset',
  'amount',
  'status',
  'description',
  'reference',
  'createdAt',
  'eventId',
  'price',
  'fee',
  'feeAsset',
  'usdValue',
  'balanceAfter',
] as const;

/**
 * One CSV line per ledger row (what one journal did to one asset, per kind), newest first, as GET /api/transactions
 * lists them, then: `eventId` (the journal, the activity item's id), the event's `price`, `fee`, `feeAsset` and
 * `usdValue` on its principal rows (empty on its fee row, whose amount is the fee itself, and where the event has
 * none), and `balanceAfter` (the user's total in the row's asset after the row). `event` is the activity item of the
 * row's journal.
 */
export function statementLine(row: StatementRow, event: Pick<ActivityDto, 'price' | 'fee' | 'usdValue'> | undefined): string {
  const principal = row.type !== 'fee' && event !== undefined;
  return csvLine([
    String(row.id),
    row.type,
    row.asset,
    csvField(formatAmount(row.amount, row.asset)),
    'completed',
    csvText(row.description),
    csvText(row.reference),
    new Date(row.created_at).toISOString(),
    row.journal_id,
    principal ? (event.price ?? '') : '',
    principal && event.fee ? event.fee.amount : '',
    principal && event.fee ? event.fee.asset : '',
    principal ? (event.usdValue ?? '') : '',
    csvField(formatAmount(row.balance_after, row.asset)),
  ]);
}

export function statementCsv(rows: readonly StatementRow[], events: ReadonlyMap<string, Pick<ActivityDto, 'price' | 'fee' | 'usdValue'>>): string {
  let out = csvLine([...STATEMENT_COLUMNS]);
  for (const r of rows) out += statementLine(r, events.get(r.journal_id));
  return out;
}
