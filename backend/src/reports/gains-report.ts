import { CASH_ASSET, formatAmount } from '../common/money/amount-format';
import { Dec, dec } from '../common/money/decimal';
import { withdrawalIdOf, type LedgerEvent } from '../portfolio/lots/lot-actions';
import type { BuiltBook } from '../portfolio/lots/lot-book.builder';
import type { ClosureKind, CostBasisMethod, HoldingTerm } from '../portfolio/lots/lot-matching';
import { csvField, csvLine, csvText } from '../transactions/csv';

/** A disposal's part taken from one lot, in dollars to the cent (gain = proceeds − cost basis of the rounded figures). */
export interface GainRow {
  journalId: string;
  lotId: string | null;
  asset: string;
  quantity: string;
  acquiredAt: Date | null;
  disposedAt: Date;
  kind: Exclude<ClosureKind, 'transferred' | 'adjusted'>;
  method: CostBasisMethod;
  /** After the fee. */
  proceeds: string | null;
  costBasis: string | null;
  /** Already deducted from the proceeds; shown for information. */
  fee: string | null;
  gain: string | null;
  term: HoldingTerm | null;
  withdrawalId: string | null;
}

export interface GainTotals {
  proceeds: string;
  costBasis: string;
  fees: string;
  gain: string;
  shortTermGain: string;
  longTermGain: string;
  /** Rows in the totals. */
  disposals: number;
  /** Rows left out of the totals because their cost basis (or proceeds) is unknown. */
  unknown: number;
}

/** A crypto withdrawal sent within the year, and whether its owner marked it as to their own wallet. */
export interface YearWithdrawal {
  withdrawalId: string;
  asset: string;
  quantity: string;
  sentAt: Date;
  ownWallet: boolean;
}

export interface GainsReport {
  year: number;
  from: Date;
  to: Date;
  rows: GainRow[];
  totals: GainTotals;
  withdrawals: YearWithdrawal[];
}

/** The tax year: the UTC calendar year (users have no time-zone setting). */
export function taxYear(year: number): { from: Date; to: Date } {
  return { from: new Date(Date.UTC(year, 0, 1)), to: new Date(Date.UTC(year + 1, 0, 1)) };
}

const cents = (v: Dec): Dec => v.toDecimalPlaces(2);
const usd = (v: Dec): string => formatAmount(cents(v), CASH_ASSET);
const within = (at: Date, from: Date, to: Date): boolean => at.getTime() >= from.getTime() && at.getTime() < to.getTime();

/**
 * The realised gains of a tax year: every piece of every disposal (sale, conversion, withdrawal not to the owner's
 * own wallet) made within it, oldest first, each rounded to the cent (half-even) with gain = proceeds − cost basis
 * of the rounded figures, so every row adds up; the totals are the sums of the rows. Rows whose cost basis is unknown
 * (a deposit in kind not yet entered, a price never recorded) show null and are left out of the totals (`unknown`).
 */
export function gainsReport(built: BuiltBook, year: number): GainsReport {
  const { from, to } = taxYear(year);
  const rows: GainRow[] = [];
  for (const p of built.book.pieces) {
    if (p.closure === 'transferred' || p.closure === 'adjusted' || !within(p.disposedAt, from, to)) continue;
    const proceeds = p.proceeds === null ? null : cents(p.proceeds);
    const costBasis = p.costBasis === null ? null : cents(p.costBasis);
    rows.push({
      journalId: p.journalId,
      lotId: p.lotId,
      asset: p.asset,
      quantity: formatAmount(p.quantity, p.asset),
      acquiredAt: p.acquiredAt,
      disposedAt: p.disposedAt,
      kind: p.closure,
      method: p.method,
      proceeds: proceeds === null ? null : usd(proceeds),
      costBasis: costBasis === null ? null : usd(costBasis),
      fee: p.fee === null ? null : usd(p.fee),
      gain: proceeds === null || costBasis === null ? null : usd(proceeds.sub(costBasis)),
      term: p.term,
      withdrawalId: p.withdrawalId,
    });
  }
  const sum = (pick: (r: GainRow) => string | null, only: (r: GainRow) => boolean = () => true): string =>
    usd(rows.filter((r) => r.gain !== null && only(r)).reduce((s, r) => s.add(pick(r) ?? '0'), dec(0)));
  const totals: GainTotals = {
    proceeds: sum((r) => r.proceeds),
    costBasis: sum((r) => r.costBasis),
    fees: sum((r) => r.fee),
    gain: sum((r) => r.gain),
    shortTermGain: sum(
      (r) => r.gain,
      (r) => r.term === 'short',
    ),
    longTermGain: sum(
      (r) => r.gain,
      (r) => r.term === 'long',
    ),
    disposals: rows.filter((r) => r.gain !== null).length,
    unknown: rows.filter((r) => r.gain === null).length,
  };
  const withdrawals: YearWithdrawal[] = [];
  for (const e of built.events) {
    const id = withdrawalIdOf(e.reference);
    if (e.type !== 'withdrawal' || !id || !within(e.at, from, to)) continue;
    for (const l of e.legs)
      if (l.asset !== CASH_ASSET && l.change.lt(0))
        withdrawals.push({
          withdrawalId: id,
          asset: l.asset,
          quantity: formatAmount(l.change.neg(), l.asset),
          sentAt: e.at,
          ownWallet: built.owner.ownWalletWithdrawals.has(id),
        });
  }
  return { year, from, to, rows, totals, withdrawals };
}

export const GAINS_CSV_LAYOUTS = ['cryptovault', 'koinly', 'cointracker'] as const;
export type GainsCsvLayout = (typeof GAINS_CSV_LAYOUTS)[number];

/** The columns of the CryptoVault layout (API.md "Realised gains"). */
export const CRYPTOVAULT_COLUMNS = [
  'Asset',
  'Quantity',
  'Date acquired',
  'Date disposed',
  'Proceeds (USD)',
  'Cost basis (USD)',
  'Fee (USD)',
  'Gain (USD)',
  'Term',
  'Kind',
  'Method',
  'Lot',
];
/** Koinly's universal import template, in its column order. */
export const KOINLY_COLUMNS = [
  'Date',
  'Sent Amount',
  'Sent Currency',
  'Received Amount',
  'Received Currency',
  'Fee Amount',
  'Fee Currency',
  'Net Worth Amount',
  'Net Worth Currency',
  'Label',
  'Description',
  'TxHash',
];
/** CoinTracker's CSV import template, in its column order. */
export const COINTRACKER_COLUMNS = ['Date', 'Received Quantity', 'Received Currency', 'Sent Quantity', 'Sent Currency', 'Fee Amount', 'Fee Currency', 'Tag'];

/** The CryptoVault layout: one line per disposal piece, then the totals (short term, long term, all). */
export function cryptovaultCsv(report: GainsReport): string {
  const lines = [csvLine(CRYPTOVAULT_COLUMNS)];
  for (const r of report.rows)
    lines.push(
      csvLine([
        csvField(r.asset),
        csvField(r.quantity),
        r.acquiredAt ? r.acquiredAt.toISOString() : '',
        r.disposedAt.toISOString(),
        r.proceeds ?? '',
        r.costBasis ?? '',
        r.fee ?? '',
        r.gain ?? '',
        r.term ?? '',
        r.kind,
        r.method,
        r.lotId ?? '',
      ]),
    );
  const t = report.totals;
  const totalRows: [string, string, string][] = [
    ['short', t.shortTermGain, ''],
    ['long', t.longTermGain, ''],
  ];
  for (const [term, gain] of totalRows) lines.push(csvLine(['Total', '', '', '', '', '', '', gain, term, '', '', '']));
  lines.push(csvLine(['Total', '', '', '', t.proceeds, t.costBasis, t.fees, t.gain, '', '', '', '']));
  return lines.join('');
}

/** One transaction as the tax tools import it. */
interface ToolRow {
  at: Date;
  sent: { amount: Dec; currency: string } | null;
  received: { amount: Dec; currency: string } | null;
  fee: { amount: Dec; currency: string } | null;
  netWorthUsd: Dec | null;
  description: string;
}

/**
 * The year's transactions that touched a crypto asset, as a tax tool imports them (it matches lots itself): a buy
 * sends the dollars paid before the fee and receives the asset; a sale sends the asset and receives the dollars before
 * the fee; a conversion sends what was converted and receives the other asset, the fee in the asset given; a deposit
 * in kind or credit is received; a withdrawal sends what arrived, the network fee apart.
 */
function toolRows(built: BuiltBook, report: GainsReport): ToolRow[] {
  const value = new Map<string, Dec>();
  for (const p of built.book.pieces)
    if (p.proceeds !== null && p.closure !== 'transferred' && p.closure !== 'adjusted')
      value.set(p.journalId, (value.get(p.journalId) ?? dec(0)).add(p.proceeds).add(p.fee ?? 0));
  const rows: ToolRow[] = [];
  for (const e of built.events) {
    if (!within(e.at, report.from, report.to)) continue;
    const crypto = e.legs.filter((l) => l.asset !== CASH_ASSET && !l.change.isZero());
    if (crypto.length === 0) continue;
    const usdLeg = e.legs.find((l) => l.asset === CASH_ASSET && !l.change.isZero());
    const ins = crypto.filter((l) => l.change.gt(0));
    const outs = crypto.filter((l) => l.change.lt(0));
    const base = { at: e.at, description: description(e) };
    if (ins.length === 1 && outs.length === 0 && usdLeg?.change.lt(0)) {
      const fee = usdLeg.fee.neg();
      const paid = usdLeg.change.neg().sub(fee);
      rows.push({
        ...base,
        sent: { amount: paid, currency: CASH_ASSET },
        received: { amount: ins[0].change, currency: ins[0].asset },
        fee: fee.isZero() ? null : { amount: fee, currency: CASH_ASSET },
        netWorthUsd: paid,
      });
    } else if (outs.length === 1 && ins.length === 0 && usdLeg?.change.gt(0)) {
      const o = outs[0];
      const usdFee = usdLeg.fee.lt(0) ? usdLeg.fee.neg() : dec(0);
      const assetFee = o.fee.neg();
      const gross = usdLeg.change.add(usdFee);
      rows.push({
        ...base,
        sent: { amount: o.change.neg().sub(assetFee), currency: o.asset },
        received: { amount: gross, currency: CASH_ASSET },
        fee: !usdFee.isZero() ? { amount: usdFee, currency: CASH_ASSET } : !assetFee.isZero() ? { amount: assetFee, currency: o.asset } : null,
        netWorthUsd: gross,
      });
    } else if (ins.length === 1 && outs.length === 1 && !usdLeg) {
      const [i, o] = [ins[0], outs[0]];
      const fee = o.fee.neg();
      rows.push({
        ...base,
        sent: { amount: o.change.neg().sub(fee), currency: o.asset },
        received: { amount: i.change, currency: i.asset },
        fee: fee.isZero() ? null : { amount: fee, currency: o.asset },
        netWorthUsd: value.get(e.journalId) ?? null,
      });
    } else {
      for (const l of ins) rows.push({ ...base, sent: null, received: { amount: l.change, currency: l.asset }, fee: null, netWorthUsd: null });
      for (const l of outs) {
        const fee = l.fee.neg();
        rows.push({
          ...base,
          sent: { amount: l.change.neg().sub(fee), currency: l.asset },
          received: null,
          fee: fee.isZero() ? null : { amount: fee, currency: l.asset },
          netWorthUsd: value.get(e.journalId) ?? null,
        });
      }
    }
  }
  return rows;
}

function description(e: LedgerEvent): string {
  const id = withdrawalIdOf(e.reference);
  return id ? `CryptoVault ${e.type} ${id}` : `CryptoVault ${e.type} ${e.journalId}`;
}

const amount = (a: { amount: Dec; currency: string } | null): string => (a ? formatAmount(a.amount, a.currency) : '');
const pad = (n: number): string => String(n).padStart(2, '0');
/** Koinly: `YYYY-MM-DD HH:mm:ss UTC`. */
const koinlyDate = (d: Date): string =>
  `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
/** CoinTracker: `MM/DD/YYYY HH:MM:SS` (UTC). */
const cointrackerDate = (d: Date): string =>
  `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;

/** Koinly's universal layout. No label: Koinly classifies trades itself and asks about withdrawals it cannot match. */
export function koinlyCsv(built: BuiltBook, report: GainsReport): string {
  const lines = [csvLine(KOINLY_COLUMNS)];
  for (const r of toolRows(built, report))
    lines.push(
      csvLine([
        koinlyDate(r.at),
        amount(r.sent),
        r.sent?.currency ?? '',
        amount(r.received),
        r.received?.currency ?? '',
        amount(r.fee),
        r.fee?.currency ?? '',
        r.netWorthUsd ? usd(r.netWorthUsd) : '',
        r.netWorthUsd ? CASH_ASSET : '',
        '',
        csvText(r.description),
        '',
      ]),
    );
  return lines.join('');
}

/** CoinTracker's layout. No tag: an untagged send is a disposal to CoinTracker; one to your own wallet pairs with that wallet once added there. */
export function cointrackerCsv(built: BuiltBook, report: GainsReport): string {
  const lines = [csvLine(COINTRACKER_COLUMNS)];
  for (const r of toolRows(built, report))
    lines.push(
      csvLine([
        cointrackerDate(r.at),
        amount(r.received),
        r.received?.currency ?? '',
        amount(r.sent),
        r.sent?.currency ?? '',
        amount(r.fee),
        r.fee?.currency ?? '',
        '',
      ]),
    );
  return lines.join('');
}
