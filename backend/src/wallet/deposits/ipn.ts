import { CASH_ASSET } from '../../common/money/amount-format';
import { Dec, dec } from '../../common/money/decimal';
import { isPaymentStatus, PaymentStatus } from '../payments/payment-provider';

/** The fields of a NOWPayments IPN we act on, typed and normalised. */
export interface ParsedIpn {
  paymentId: string;
  status: PaymentStatus;
  orderId: string;
  priceAmount: string;
  priceCurrency: string;
  payCurrency: string;
  /** What has arrived so far (NOWPayments' `actually_paid`, cumulative for the payment), when the IPN says. */
  actuallyPaid?: string;
  /** The address the payment is sent to, when the IPN says. */
  payAddress?: string;
}

/** What we stored when the deposit was created: the truth an IPN is checked against. */
export interface DepositRecord {
  providerPaymentId: string;
  /** In `creditAsset`: dollars, or a quantity of the asset (a deposit in kind). */
  priceAmount: string;
  /** USD (priced in dollars at the provider) or the asset paid: decided at creation, never by an IPN. */
  creditAsset: string;
  /** Credited so far, in `creditAsset`. */
  creditedAmount: string;
  payCurrency: string;
  payAmount: string;
  payAddress: string;
  status: string;
  creditedAt: Date | null;
}

/** What the deposit is priced in at the provider: `usd`, or the asset itself (lower case, as `pay_currency`). */
export function priceCurrencyOf(deposit: Pick<DepositRecord, 'creditAsset'>): string {
  return deposit.creditAsset === CASH_ASSET ? 'usd' : deposit.creditAsset.toLowerCase();
}

/** Digits a credit keeps: cents for USD, 8 decimals of a crypto asset (what arrived beyond is not credited). */
export const creditScale = (asset: string): number => (asset === CASH_ASSET ? 2 : 8);

/** Statuses that credit what arrived. */
const CREDITING = new Set<PaymentStatus>(['finished', 'partially_paid']);

const DECIMAL = /^\d{1,20}(\.\d{1,18})?$/;

function decimalOf(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return dec(v).toFixed();
  if (typeof v === 'string' && DECIMAL.test(v)) return dec(v).toFixed();
  return undefined;
}

/** Reads a (signature-verified) IPN body; anything malformed yields the list of problems instead. */
export function parseIpn(body: unknown): { ok: true; ipn: ParsedIpn } | { ok: false; problems: string[] } {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const problems: string[] = [];
  const paymentId = typeof b.payment_id === 'number' || typeof b.payment_id === 'string' ? String(b.payment_id) : '';
  if (!/^\d{1,30}$/.test(paymentId)) problems.push('payment_id is missing or not numeric');
  if (!isPaymentStatus(b.payment_status)) problems.push('payment_status is not a known status');
  const orderId = typeof b.order_id === 'string' ? b.order_id : '';
  if (!orderId || orderId.length > 100) problems.push('order_id is missing');
  const priceAmount = decimalOf(b.price_amount);
  if (priceAmount === undefined) problems.push('price_amount is not a decimal');
  const priceCurrency = typeof b.price_currency === 'string' ? b.price_currency.toLowerCase() : '';
  const payCurrency = typeof b.pay_currency === 'string' ? b.pay_currency.toLowerCase() : '';
  const actuallyPaid = b.actually_paid === undefined || b.actually_paid === null ? undefined : decimalOf(b.actually_paid);
  if (b.actually_paid !== undefined && b.actually_paid !== null && actuallyPaid === undefined) problems.push('actually_paid is not a decimal');
  const payAddress = typeof b.pay_address === 'string' ? b.pay_address : undefined;
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    ipn: { paymentId, status: b.payment_status as PaymentStatus, orderId, priceAmount: priceAmount!, priceCurrency, payCurrency, actuallyPaid, payAddress },
  };
}

/** Differences between an IPN and our record; any one means the IPN is refused. */
export function ipnMismatches(ipn: ParsedIpn, deposit: DepositRecord): string[] {
  const out: string[] = [];
  if (ipn.paymentId !== deposit.providerPaymentId) out.push(`payment_id ${ipn.paymentId} is not this order's payment`);
  if (!dec(ipn.priceAmount).eq(dec(deposit.priceAmount)))
    out.push(`price_amount ${ipn.priceAmount} differs from the order's ${dec(deposit.priceAmount).toFixed()}`);
  const priceCurrency = priceCurrencyOf(deposit);
  if (ipn.priceCurrency !== priceCurrency) out.push(`price_currency ${ipn.priceCurrency || '(none)'} is not ${priceCurrency}`);
  if (ipn.payCurrency !== deposit.payCurrency) out.push(`pay_currency ${ipn.payCurrency || '(none)'} differs from the order's ${deposit.payCurrency}`);
  if (ipn.payAddress !== undefined && ipn.payAddress !== deposit.payAddress) out.push(`pay_address ${ipn.payAddress.slice(0, 128)} is not the order's address`);
  // What arrived is what a deposit in kind credits, and what a partly paid one is credited for: it must be said.
  if (CREDITING.has(ipn.status) && ipn.actuallyPaid === undefined && (deposit.creditAsset !== CASH_ASSET || ipn.status === 'partially_paid'))
    out.push('actually_paid is missing');
  return out;
}

export type IpnDecision =
  /** Credit `amount` now, bringing what the deposit credited from `before` to `total` (in its credit asset). */
  | { action: 'credit'; before: Dec; total: Dec; amount: Dec }
  /** Record the new status; nothing (more) to credit. */
  | { action: 'update' }
  /** Same status again, or anything after the deposit was finished and credited: change nothing. */
  | { action: 'duplicate' };

/**
 * How much a crediting IPN says the deposit is worth in all, in its credit asset, or null for a status that does
 * not credit. A deposit in kind is worth what arrived (`actually_paid`, rounded down to 8 decimals; more than asked
 * is credited too: it did arrive). A USD deposit is worth its stored price once `finished` (as before: the provider
 * converted at the rate shown), and, `partially_paid`, the share of it that arrived (price × actually_paid ÷
 * pay_amount, rounded down to the cent, at most the price).
 */
export function creditTarget(
  deposit: Pick<DepositRecord, 'creditAsset' | 'priceAmount' | 'payAmount'>,
  ipn: Pick<ParsedIpn, 'status' | 'actuallyPaid'>,
): Dec | null {
  if (!CREDITING.has(ipn.status)) return null;
  const scale = creditScale(deposit.creditAsset);
  if (deposit.creditAsset !== CASH_ASSET) return dec(ipn.actuallyPaid ?? 0).toDecimalPlaces(scale, Dec.ROUND_DOWN);
  const price = dec(deposit.priceAmount);
  if (ipn.status === 'finished') return price;
  const payAmount = dec(deposit.payAmount);
  if (!payAmount.gt(0)) return dec(0);
  return Dec.min(
    price,
    price
      .mul(dec(ipn.actuallyPaid ?? 0))
      .div(payAmount)
      .toDecimalPlaces(scale, Dec.ROUND_DOWN),
  );
}

/**
 * What a verified, matching IPN does to a deposit (under its row lock).
 * - Crediting statuses (`partially_paid`, `finished`) bring what the deposit credited up to what the IPN says it
 *   is worth ({@link creditTarget}): the first credits what arrived, a later one with more only the difference, a
 *   repeat nothing. Never down: a smaller `actually_paid` changes nothing.
 * - Once finished and credited (or credited by a release before deposits were credited in part, whose rows have a
 *   credit time and nothing in `credited_amount`), nothing moves the deposit again.
 * - Other statuses move a deposit nothing was credited for yet; a repeat of the current status changes nothing.
 * A late `finished` after our expiry still credits: the money did arrive.
 */
export function decideIpn(
  deposit: Pick<DepositRecord, 'status' | 'creditedAt' | 'creditedAmount' | 'creditAsset' | 'priceAmount' | 'payAmount'>,
  ipn: Pick<ParsedIpn, 'status' | 'actuallyPaid'>,
): IpnDecision {
  const before = dec(deposit.creditedAmount);
  if (deposit.creditedAt && (deposit.status === 'finished' || before.isZero())) return { action: 'duplicate' };
  const target = creditTarget(deposit, ipn);
  if (target && target.gt(before)) return { action: 'credit', before, total: target, amount: target.minus(before) };
  if (!target && deposit.creditedAt) return { action: 'duplicate' };
  return ipn.status === deposit.status ? { action: 'duplicate' } : { action: 'update' };
}
