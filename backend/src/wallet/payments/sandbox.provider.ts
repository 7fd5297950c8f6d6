import { randomBytes, randomInt } from 'node:crypto';
import { isUuid } from '../../common/pipes/id.pipes';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MarketQuotes } from '../../common/market/market-quotes';
import { Dec, dec } from '../../common/money/decimal';
import { CreatePaymentRequest, PaymentProvider, PaymentProviderError, ProviderPayment } from './payment-provider';

/** How long a sandbox payment waits for its (simulated) payment. */
export const SANDBOX_PAYMENT_TTL_MS = 60 * 60_000;
const STABLECOINS = new Set(['usdt', 'usdc']);
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Amount of the pay currency worth `priceUsd`, rounded up to 8 decimals so the order is never underpaid. */
export function sandboxPayAmount(priceUsd: string, quoteUsd: string): string {
  const price = dec(quoteUsd);
  if (!price.gt(0)) throw new PaymentProviderError('no usable quote for the pay currency');
  return dec(priceUsd).div(price).toDecimalPlaces(8, Dec.ROUND_UP).toFixed(8);
}

/** A deposit address that looks like the real thing for the currency (the sandbox never receives anything). */
export function sandboxPayAddress(currency: string): string {
  switch (currency) {
    case 'btc':
      return 'tb1q' + [...randomBytes(38)].map((b) => 'qpzry9x8gf2tvdw0s3jn54khce6mua7l'[b % 32]).join('');
    case 'ltc':
      return 'tltc1q' + [...randomBytes(38)].map((b) => 'qpzry9x8gf2tvdw0s3jn54khce6mua7l'[b % 32]).join('');
    case 'sol':
      return [...randomBytes(44)].map((b) => BASE58[b % 58]).join('');
    default:
      return `0x${randomBytes(20).toString('hex')}`;
  }
}

/** Where the sandbox keeps its payments and its IPN secret, so `npm run sandbox:pay` can pay them from another process. */
export const sandboxDir = (dataDir: string): string => join(dataDir, 'sandbox');

/** The IPN NOWPayments sends when a payment finishes, for a sandbox payment. */
export function sandboxFinishedIpn(
  p: Pick<ProviderPayment, 'paymentId' | 'payAddress' | 'payAmount' | 'payCurrency' | 'priceAmount' | 'orderId'> & { priceCurrency?: string },
): Record<string, unknown> {
  const priceCurrency = p.priceCurrency ?? 'usd';
  return {
    payment_id: Number(p.paymentId),
    payment_status: 'finished',
    pay_address: p.payAddress,
    price_amount: Number(p.priceAmount),
    price_currency: priceCurrency,
    pay_amount: Number(p.payAmount),
    actually_paid: Number(p.payAmount),
    pay_currency: p.payCurrency,
    order_id: p.orderId,
    order_description: `CryptoVault deposit ${p.orderId}`,
    outcome_amount: Number(p.priceAmount),
    outcome_currency: priceCurrency,
    updated_at: Date.now(),
  };
}

/** Reads a sandbox payment stored by {@link SandboxPaymentProvider}, by our order id. */
export function readSandboxPayment(dataDir: string, orderId: string): ProviderPayment | undefined {
  if (!isUuid(orderId)) return undefined;
  try {
    return JSON.parse(readFileSync(join(sandboxDir(dataDir), 'payments', `${orderId.toLowerCase()}.json`), 'utf8')) as ProviderPayment;
  } catch {
    return undefined;
  }
}

/**
 * The embedded default payment provider: payments are created locally, priced
 * at the live quote, and kept under DATA_DIR/sandbox; nothing is ever paid
 * except by the simulate endpoint or `npm run sandbox:pay`, which send a
 * signed IPN through the real webhook.
 */
export class SandboxPaymentProvider implements PaymentProvider {
  readonly name = 'sandbox' as const;
  private readonly payments = new Map<string, ProviderPayment>();

  constructor(
    private readonly quotes: MarketQuotes | undefined,
    private readonly dataDir?: string,
  ) {}

  createPayment(req: CreatePaymentRequest): Promise<ProviderPayment> {
    const currency = req.payCurrency.toLowerCase();
    const priceCurrency = req.priceCurrency.toLowerCase();
    // Priced in the currency paid (a deposit in kind): that amount is what is sent; priced in USD: at the live quote.
    const inKind = priceCurrency === currency;
    if (!inKind && priceCurrency !== 'usd') return Promise.reject(new PaymentProviderError(`sandbox: cannot price ${currency} in ${priceCurrency}`, 400));
    const quote = inKind ? '1' : (this.quotes?.latest(currency.toUpperCase())?.price ?? (STABLECOINS.has(currency) ? '1' : undefined));
    if (!quote) return Promise.reject(new PaymentProviderError(`no price for ${currency.toUpperCase()} yet`, 503));
    const payment: ProviderPayment = {
      paymentId: String(randomInt(4_000_000_000, 281_474_976_710_655)),
      status: 'waiting',
      payAddress: sandboxPayAddress(currency),
      payAmount: sandboxPayAmount(req.priceAmount, quote),
      payCurrency: currency,
      priceAmount: dec(req.priceAmount).toFixed(),
      priceCurrency,
      orderId: req.orderId,
      expiresAt: new Date(Date.now() + SANDBOX_PAYMENT_TTL_MS),
    };
    this.payments.set(payment.paymentId, payment);
    if (this.dataDir && isUuid(req.orderId)) {
      const dir = join(sandboxDir(this.dataDir), 'payments');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${req.orderId.toLowerCase()}.json`), JSON.stringify(payment));
    }
    return Promise.resolve(payment);
  }

  getPayment(paymentId: string): Promise<ProviderPayment> {
    const p = this.payments.get(paymentId);
    return p ? Promise.resolve(p) : Promise.reject(new PaymentProviderError(`sandbox: no payment ${paymentId}`, 404));
  }
}
