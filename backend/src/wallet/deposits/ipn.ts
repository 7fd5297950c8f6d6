import { dec } from '../../common/money/decimal';
import { isPaymentStatus, PaymentStatus } from '../payments/payment-provider';

/** The fields of a NOWPayments IPN we act on, typed and normalised. */
export interface ParsedIpn {
  paymentId: string;
  status: PaymentStatus;
  orderId: string;
  priceAmount: string;
  priceCurrency: string;
  payCurrency: string;
}

/** What we stored when the deposit was created: the truth an IPN is checked against. */
export interface DepositRecord {
  providerPaymentId: string;
  priceAmount: string;
  payCurrency: string;
  status: string;
  creditedAt: Date | null;
}

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
  if (problems.length) return { ok: false, problems };
  return { ok: true, ipn: { paymentId, status: b.payment_status as PaymentStatus, orderId, priceAmount: priceAmount!, priceCurrency, payCurrency } };
}

/** Differences between an IPN and our record; any one means the IPN is refused. */
export function ipnMismatches(ipn: ParsedIpn, deposit: DepositRecord): string[] {
  const out: string[] = [];
  if (ipn.paymentId !== deposit.providerPaymentId) out.push(`payment_id ${ipn.paymentId} is not this order's payment`);
  if (!dec(ipn.priceAmount).eq(dec(deposit.priceAmount)))
    out.push(`price_amount ${ipn.priceAmount} differs from the order's ${dec(deposit.priceAmount).toFixed()}`);
  if (ipn.priceCurrency !== 'usd') out.push(`price_currency ${ipn.priceCurrency || '(none)'} is not usd`);
  if (ipn.payCurrency !== deposit.payCurrency) out.push(`pay_currency ${ipn.payCurrency || '(none)'} differs from the order's ${deposit.payCurrency}`);
  return out;
}

export type IpnDecision =
  /** Credit the stored USD amount now (first `finished`). */
  | 'credit'
  /** Record the new status; nothing to credit. */
  | 'update'
  /** Same status again, or anything after the deposit was credited: change nothing. */
  | 'duplicate';

/**
 * What a verified, matching IPN does to a deposit. `finished` credits once;
 * once credited nothing moves the deposit again; a repeat of the current
 * status changes nothing. A late `finished` after our expiry still credits:
 * the money did arrive.
 */
export function decideIpn(deposit: Pick<DepositRecord, 'status' | 'creditedAt'>, status: PaymentStatus): IpnDecision {
  if (deposit.creditedAt) return 'duplicate';
  if (status === 'finished') return 'credit';
  if (status === deposit.status) return 'duplicate';
  return 'update';
}
