import { randomBytes, randomInt } from 'node:crypto';
import { isUuid } from '../../common/pipes/id.pipes';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MarketQuotes } from '../../common/market/market-quotes';
import { Dec, dec } from '../../common/money/decimal';
import {
  CreatePaymentRequest,
  CreatePayoutRequest,
  PaymentProvider,
  PaymentProviderError,
  PayoutStatus,
  ProviderBalance,
  ProviderPayment,
  ProviderPayout,
} from './payment-provider';

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

/** A sandbox payout as it is kept on disk (DATA_DIR/sandbox/payouts/<batchId>.json), with where its IPNs go. */
export interface SandboxPayoutRecord extends Omit<ProviderPayout, 'createdAt'> {
  createdAt: string;
  ipnCallbackUrl: string;
}

/** A sandbox payment that was paid (its `finished` IPN was sent): what the sandbox account received. */
interface SandboxPaymentRecord extends ProviderPayment {
  paidAt?: string;
}

const writeJson = (file: string, value: unknown): void => {
  // Written whole, then renamed into place: another process reading it sees all or nothing.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, JSON.stringify(value));
  renameSync(draft, file);
};

const readJsonDir = <T>(dir: string): T[] => {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const out: T[] = [];
  for (const n of names) {
    try {
      out.push(JSON.parse(readFileSync(join(dir, n), 'utf8')) as T);
    } catch {
      /* being replaced: skipped */
    }
  }
  return out;
};

/** A transaction hash in the format of the sandbox payout's chain (so the block explorer link is well formed; nothing was sent). */
export function sandboxTxHash(currency: string): string {
  const bytes = randomBytes(64);
  if (currency === 'sol')
    return [...bytes]
      .map((b) => BASE58[b % 58])
      .join('')
      .slice(0, 87);
  const hex = bytes.subarray(0, 32).toString('hex');
  if (['eth', 'usdterc20', 'usdc', 'bnbbsc'].includes(currency)) return `0x${hex}`;
  return currency === 'xrp' ? hex.toUpperCase() : hex;
}

/** The payout status IPN NOWPayments sends for one withdrawal of a batch (the withdrawal object), for a sandbox payout. */
export function sandboxPayoutIpn(p: SandboxPayoutRecord): Record<string, unknown> {
  return {
    id: p.payoutId,
    batch_withdrawal_id: p.batchId,
    status: p.status,
    error: p.error,
    currency: p.currency,
    amount: p.amount,
    address: p.address,
    extra_id: null,
    hash: p.hash,
    ipn_callback_url: p.ipnCallbackUrl,
    payout_description: null,
    is_request_payouts: false,
    unique_external_id: p.externalId,
    created_at: p.createdAt,
    requested_at: p.createdAt,
    updated_at: new Date().toISOString(),
  };
}

/** Sandbox payouts (the DATA_DIR files), for `npm run sandbox:payout`: the one of our withdrawal `externalId`. */
export function readSandboxPayout(dataDir: string, externalId: string): SandboxPayoutRecord | undefined {
  return readJsonDir<SandboxPayoutRecord>(join(sandboxDir(dataDir), 'payouts')).find((p) => p.externalId === externalId);
}

/** Moves a sandbox payout to `status` (FINISHED gets a hash) and stores it; returns it, for its IPN. */
export function settleSandboxPayout(dataDir: string, p: SandboxPayoutRecord, status: PayoutStatus): SandboxPayoutRecord {
  const next: SandboxPayoutRecord = {
    ...p,
    status,
    hash: status === 'FINISHED' ? (p.hash ?? sandboxTxHash(p.currency)) : p.hash,
    error: status === 'FAILED' || status === 'REJECTED' ? 'sandbox: failed on request' : p.error,
  };
  writeJson(join(sandboxDir(dataDir), 'payouts', `${p.batchId}.json`), next);
  return next;
}

/** Records that a sandbox payment was paid (its finished IPN went out), so the sandbox account's balance holds it. */
export function markSandboxPaymentPaid(dataDir: string, orderId: string): void {
  if (!isUuid(orderId)) return;
  const file = join(sandboxDir(dataDir), 'payments', `${orderId.toLowerCase()}.json`);
  try {
    const p = JSON.parse(readFileSync(file, 'utf8')) as SandboxPaymentRecord;
    if (!p.paidAt) writeJson(file, { ...p, paidAt: new Date().toISOString() });
  } catch {
    /* no such payment */
  }
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
  readonly payoutsEnabled = true;
  private readonly payments = new Map<string, ProviderPayment>();
  /** Payouts by batch id (and on disk, under DATA_DIR, when there is one: they outlive a restart). */
  private readonly payouts = new Map<string, SandboxPayoutRecord>();

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

  /** A payout of one withdrawal, `CREATING` until verified; it is never sent: `npm run sandbox:payout` finishes or fails it. */
  createPayout(req: CreatePayoutRequest): Promise<ProviderPayout> {
    if (!dec(req.amount).gt(0)) return Promise.reject(new PaymentProviderError('sandbox: amount must be positive', 400));
    const record: SandboxPayoutRecord = {
      payoutId: String(randomInt(5_000_000_000, 281_474_976_710_655)),
      batchId: String(randomInt(5_000_000_000, 281_474_976_710_655)),
      externalId: req.externalId,
      status: 'CREATING',
      currency: req.currency.toLowerCase(),
      amount: dec(req.amount).toFixed(),
      address: req.address,
      hash: null,
      error: null,
      createdAt: new Date().toISOString(),
      ipnCallbackUrl: req.ipnCallbackUrl,
    };
    this.store(record);
    return Promise.resolve(this.toPayout(record));
  }

  verifyPayout(batchId: string): Promise<void> {
    const p = this.payout(batchId);
    if (!p) return Promise.reject(new PaymentProviderError(`sandbox: no payout ${batchId}`, 404));
    if (p.status === 'CREATING') this.store({ ...p, status: 'WAITING' });
    return Promise.resolve();
  }

  getPayout(batchId: string): Promise<ProviderPayout[]> {
    const p = this.payout(batchId);
    return p ? Promise.resolve([this.toPayout(p)]) : Promise.reject(new PaymentProviderError(`sandbox: no payout ${batchId}`, 404));
  }

  findPayout(externalId: string, since: Date, _deadline?: number): Promise<ProviderPayout | undefined> {
    const from = since.getTime() - 86_400_000;
    const found = this.allPayouts().find((p) => p.externalId === externalId && new Date(p.createdAt).getTime() >= from);
    return Promise.resolve(found ? this.toPayout(found) : undefined);
  }

  /**
   * The sandbox account: what its paid deposits brought in (per currency paid) less what its verified payouts send
   * or sent. Nothing else reaches it: balances credited by admin adjustments are not backed here, and the
   * reconciliation says so.
   */
  balances(): Promise<ProviderBalance[]> {
    const totals = new Map<string, { amount: Dec; pending: Dec }>();
    const add = (currency: string, amount: Dec, pending = dec(0)): void => {
      const t = totals.get(currency) ?? { amount: dec(0), pending: dec(0) };
      totals.set(currency, { amount: t.amount.add(amount), pending: t.pending.add(pending) });
    };
    const payments = this.dataDir ? readJsonDir<SandboxPaymentRecord>(join(sandboxDir(this.dataDir), 'payments')) : [];
    for (const p of payments) if (p.paidAt) add(p.payCurrency, dec(p.payAmount));
    // A verified payout leaves the balance (it is being sent); one that failed or was never verified does not.
    for (const p of this.allPayouts()) if (!['CREATING', 'FAILED', 'REJECTED'].includes(p.status)) add(p.currency, dec(p.amount).neg());
    return Promise.resolve([...totals].map(([currency, t]) => ({ currency, amount: t.amount.toFixed(), pending: t.pending.toFixed() })));
  }

  private payout(batchId: string): SandboxPayoutRecord | undefined {
    if (!/^\d{1,30}$/.test(batchId)) return undefined;
    if (this.dataDir) {
      try {
        return JSON.parse(readFileSync(join(sandboxDir(this.dataDir), 'payouts', `${batchId}.json`), 'utf8')) as SandboxPayoutRecord;
      } catch {
        return undefined;
      }
    }
    return this.payouts.get(batchId);
  }

  private allPayouts(): SandboxPayoutRecord[] {
    return this.dataDir ? readJsonDir<SandboxPayoutRecord>(join(sandboxDir(this.dataDir), 'payouts')) : [...this.payouts.values()];
  }

  private store(p: SandboxPayoutRecord): void {
    this.payouts.set(p.batchId, p);
    if (!this.dataDir) return;
    const dir = join(sandboxDir(this.dataDir), 'payouts');
    mkdirSync(dir, { recursive: true });
    writeJson(join(dir, `${p.batchId}.json`), p);
  }

  private toPayout(p: SandboxPayoutRecord): ProviderPayout {
    const { ipnCallbackUrl: _url, createdAt, ...rest } = p;
    return { ...rest, createdAt: new Date(createdAt) };
  }
}
