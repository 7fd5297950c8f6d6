import { CASH_ASSET } from '../../common/money/amount-format';
import { Dec, dec, toFixedString } from '../../common/money/decimal';
import type { ProviderBalance } from '../payments/payment-provider';
import { assetOfProviderCurrency } from '../withdrawals/payouts/payout-currencies';

export const RECONCILIATION_TRIGGERS = ['schedule', 'admin'] as const;
export type ReconciliationTrigger = (typeof RECONCILIATION_TRIGGERS)[number];
/** ok: every asset covered; short: at least one is not; error: the provider's balances could not be read. */
export const RECONCILIATION_STATUSES = ['ok', 'short', 'error'] as const;
export type ReconciliationStatus = (typeof RECONCILIATION_STATUSES)[number];
export const LINE_STATUSES = ['covered', 'short'] as const;
export type LineStatus = (typeof LINE_STATUSES)[number];

/** The stablecoins whose surplus at the provider backs the users' dollars, at par (a USD deposit is paid in them). */
export const USD_BACKING = ['USDT', 'USDC'] as const;

/** One asset of a reconciliation; amounts are decimal strings of 8 places, in the asset. */
export interface ReconciliationLine {
  asset: string;
  /** What users own of it: available and held (withdrawals, orders) alike. */
  liabilities: string;
  /** What the provider account holds of it (every currency code of the asset; for USD, the stablecoins' surplus at par). */
  provider: string;
  /** Arriving at the provider, not settled yet (not counted as covering). */
  pending: string;
  /** Payouts under way: already on their way out, still in the users' held balances until the provider confirms them. */
  inFlight: string;
  /** provider + inFlight − liabilities: negative is a shortfall. */
  difference: string;
  status: LineStatus;
  /** The provider's currency codes counted (`usdttrc20`, `usdterc20`, …). */
  currencies: string[];
  /** For USD: the assets whose surplus backs it. */
  backedBy: string[] | null;
}

const fixed = (d: Dec): string => toFixedString(d, 8);

/**
 * Compares the ledger's liabilities per asset with the provider account's balances (ARCHITECTURE §3 "External
 * reconciliation"). Each crypto asset is covered when what the provider holds of it (all its currency codes), plus
 * what payouts under way are sending, is at least what the users own of it; the platform's own share (fees,
 * treasury) is the surplus. Dollars are never held at the provider: the users' USD is covered by the surplus of
 * USDT and USDC there (what is left once their own holders are covered), counted at par. Pending amounts are shown,
 * never counted. Every asset that has liabilities or a balance gets a line; USD last.
 */
export function compareWithProvider(
  liabilities: { asset: string; amount: string }[],
  balances: ProviderBalance[],
  inFlight: { currency: string; amount: string }[],
): ReconciliationLine[] {
  const owed = new Map<string, Dec>();
  for (const l of liabilities) owed.set(l.asset, (owed.get(l.asset) ?? dec(0)).add(dec(l.amount)));
  const held = new Map<string, { amount: Dec; pending: Dec; currencies: string[] }>();
  for (const b of balances) {
    const asset = assetOfProviderCurrency(b.currency);
    const h = held.get(asset) ?? { amount: dec(0), pending: dec(0), currencies: [] };
    held.set(asset, { amount: h.amount.add(dec(b.amount)), pending: h.pending.add(dec(b.pending)), currencies: [...h.currencies, b.currency].sort() });
  }
  const leaving = new Map<string, Dec>();
  for (const f of inFlight) {
    const asset = assetOfProviderCurrency(f.currency);
    leaving.set(asset, (leaving.get(asset) ?? dec(0)).add(dec(f.amount)));
  }
  const assets = [...new Set([...owed.keys(), ...held.keys(), ...leaving.keys()])].filter((a) => a !== CASH_ASSET).sort();
  const lines: ReconciliationLine[] = assets.map((asset) => {
    const h = held.get(asset) ?? { amount: dec(0), pending: dec(0), currencies: [] };
    const out = leaving.get(asset) ?? dec(0);
    const difference = h.amount.add(out).sub(owed.get(asset) ?? dec(0));
    return {
      asset,
      liabilities: fixed(owed.get(asset) ?? dec(0)),
      provider: fixed(h.amount),
      pending: fixed(h.pending),
      inFlight: fixed(out),
      difference: fixed(difference),
      status: difference.isNegative() ? 'short' : 'covered',
      currencies: h.currencies,
      backedBy: null,
    };
  });
  const usd = owed.get(CASH_ASSET);
  if (usd && !usd.isZero()) {
    const surplus = lines
      .filter((l) => (USD_BACKING as readonly string[]).includes(l.asset))
      .reduce((sum, l) => sum.add(Dec.max(dec(l.difference), 0)), dec(0));
    const difference = surplus.sub(usd);
    lines.push({
      asset: CASH_ASSET,
      liabilities: fixed(usd),
      provider: fixed(surplus),
      pending: fixed(dec(0)),
      inFlight: fixed(dec(0)),
      difference: fixed(difference),
      status: difference.isNegative() ? 'short' : 'covered',
      currencies: [],
      backedBy: [...USD_BACKING],
    });
  }
  return lines;
}

/** The outcome of a set of lines. */
export const reconciliationStatus = (lines: ReconciliationLine[]): ReconciliationStatus => (lines.some((l) => l.status === 'short') ? 'short' : 'ok');
