/** What a deposit asks of a payment processor. */
export interface CreatePaymentRequest {
  /** Our deposit id, echoed back in IPNs as `order_id`. */
  orderId: string;
  /** The price, decimal string, in `priceCurrency`. */
  priceAmount: string;
  /**
   * What the payment is priced in, lower case: `usd` (a USD deposit: the provider converts at its rate), or the
   * currency paid itself (a deposit in kind: `price_currency` = `pay_currency`, so what is paid is what is credited).
   */
  priceCurrency: string;
  /** Currency the user pays in (btc, eth, usdt, …), lower case. */
  payCurrency: string;
  ipnCallbackUrl: string;
  description: string;
}

export interface ProviderPayment {
  paymentId: string;
  status: PaymentStatus;
  payAddress: string;
  /** Amount of `payCurrency` to send, decimal string. */
  payAmount: string;
  payCurrency: string;
  /** The price, decimal string, in `priceCurrency`. */
  priceAmount: string;
  /** Lower case; `usd` when the provider's answer does not say (payments stored by earlier releases). */
  priceCurrency: string;
  orderId: string;
  expiresAt: Date | null;
}

/**
 * NOWPayments payment statuses. `finished` and `partially_paid` credit (what arrived); `waiting → confirming →
 * confirmed → sending → finished` is the way a payment normally goes.
 */
export const PAYMENT_STATUSES = ['waiting', 'confirming', 'confirmed', 'sending', 'partially_paid', 'finished', 'failed', 'refunded', 'expired'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export function isPaymentStatus(s: unknown): s is PaymentStatus {
  return typeof s === 'string' && (PAYMENT_STATUSES as readonly string[]).includes(s);
}

export class PaymentProviderError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'PaymentProviderError';
  }
}

/**
 * NOWPayments payout (withdrawal) statuses, as its API and IPNs write them: a payout is `CREATING` until it is
 * verified (POST /v1/payout/:batch_id/verify, a 2FA code), then `WAITING → PROCESSING → SENDING → FINISHED` (sent,
 * with the transaction's `hash`), or `FAILED` / `REJECTED` (not sent).
 */
export const PAYOUT_STATUSES = ['CREATING', 'WAITING', 'PROCESSING', 'SENDING', 'FINISHED', 'FAILED', 'REJECTED'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

/** A provider status in any case (`finished`, `FINISHED`), or undefined when it is none of them. */
export function payoutStatusOf(s: unknown): PayoutStatus | undefined {
  if (typeof s !== 'string') return undefined;
  const up = s.toUpperCase();
  return (PAYOUT_STATUSES as readonly string[]).includes(up) ? (up as PayoutStatus) : undefined;
}

/** What a withdrawal asks of the provider's payouts API: one withdrawal in a batch of its own. */
export interface CreatePayoutRequest {
  /** Our withdrawal id, sent as `unique_external_id`: what finds the payout again after a crash. */
  externalId: string;
  /** The provider's currency code (payout-currencies.ts), lower case. */
  currency: string;
  /** Decimal string, in `currency`: what the address receives. */
  amount: string;
  address: string;
  ipnCallbackUrl: string;
  description: string;
}

/** One withdrawal of a provider payout batch. */
export interface ProviderPayout {
  /** The withdrawal's id at the provider (an IPN's `id`). */
  payoutId: string;
  /** The batch it belongs to (`batch_withdrawal_id`): what is verified and whose status is read. */
  batchId: string;
  /** Our withdrawal id (`unique_external_id`), when the provider echoes it. */
  externalId: string | null;
  status: PayoutStatus;
  currency: string;
  /** Decimal string. */
  amount: string;
  address: string;
  /** The transaction's hash, once sent. */
  hash: string | null;
  error: string | null;
  createdAt: Date | null;
}

/** One currency of the provider account's balance (`GET /v1/balance`). */
export interface ProviderBalance {
  /** The provider's currency code, lower case. */
  currency: string;
  /** Decimal strings. */
  amount: string;
  pending: string;
}

export interface PaymentProvider {
  readonly name: 'sandbox' | 'nowpayments';
  createPayment(req: CreatePaymentRequest): Promise<ProviderPayment>;
  getPayment(paymentId: string): Promise<ProviderPayment>;
  /** Whether this provider can send payouts (NOWPayments: with the payout account configured). */
  readonly payoutsEnabled: boolean;
  /** Creates a batch of one withdrawal (`CREATING` until verified). */
  createPayout(req: CreatePayoutRequest): Promise<ProviderPayout>;
  /** Verifies a created batch with the payout account's current 2FA code; it is processed from then on. */
  verifyPayout(batchId: string): Promise<void>;
  /** The withdrawals of a batch, as the provider sees them now. */
  getPayout(batchId: string): Promise<ProviderPayout[]>;
  /**
   * The payout whose `unique_external_id` is `externalId`, created no earlier than the day before `since`, or
   * undefined: how a retry finds a payout created by a sender that stopped before recording it. With `deadline`
   * (epoch ms), throws once it passes rather than reading more pages (a lookup never outlasts its sender's claim).
   */
  findPayout(externalId: string, since: Date, deadline?: number): Promise<ProviderPayout | undefined>;
  /** The account's balance per currency (`GET /v1/balance`), for the external reconciliation. */
  balances(): Promise<ProviderBalance[]>;
}
