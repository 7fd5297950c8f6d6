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

export interface PaymentProvider {
  readonly name: 'sandbox' | 'nowpayments';
  createPayment(req: CreatePaymentRequest): Promise<ProviderPayment>;
  getPayment(paymentId: string): Promise<ProviderPayment>;
}
