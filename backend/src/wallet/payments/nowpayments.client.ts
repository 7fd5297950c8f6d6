import { generateSync } from 'otplib';
import { Dec } from '../../common/money/decimal';
import {
  CreatePaymentRequest,
  CreatePayoutRequest,
  isPaymentStatus,
  PaymentProvider,
  PaymentProviderError,
  ProviderBalance,
  ProviderPayment,
  ProviderPayout,
} from './payment-provider';
import { readPayoutObject } from './payout-object';

interface NowPaymentsPayment {
  payment_id: number | string;
  payment_status: string;
  pay_address: string;
  pay_amount: number | string;
  pay_currency: string;
  price_amount: number | string;
  price_currency?: string | null;
  order_id: string | null;
  expiration_estimate_date?: string | null;
  valid_until?: string | null;
}

/** Provider numbers arrive as JSON numbers; turn them into plain decimal strings (no exponent). */
function decimalString(n: number | string): string {
  return new Dec(n).toFixed();
}

const isAmount = (v: unknown): v is number | string =>
  (typeof v === 'number' && Number.isFinite(v) && v >= 0) || (typeof v === 'string' && /^\d{1,20}(\.\d{1,18})?$/.test(v));

/** A request body already serialised (its text is sent as is). */
class RawJson {
  constructor(readonly text: string) {}
}

const AMOUNT_SLOT = '\u0000amount\u0000';

/**
 * The payout request's JSON with `amount` written as a JSON number literal of the exact decimal string (NOWPayments
 * takes a number there): never through a JS number, which would round an amount of more than ~15 significant digits.
 */
export function withRawAmount(body: unknown, amount: string): RawJson {
  if (!/^\d{1,20}(\.\d{1,18})?$/.test(amount)) throw new PaymentProviderError(`invalid payout amount ${amount}`);
  const text = JSON.stringify(body);
  const slot = JSON.stringify(AMOUNT_SLOT);
  if (text.split(slot).length !== 2) throw new PaymentProviderError('payout body: no single amount slot');
  return new RawJson(text.replace(slot, amount));
}

/** The NOWPayments account payouts are sent from: its sign-in (for the API token) and its 2FA secret (to verify each payout). */
export interface PayoutAccount {
  email: string;
  password: string;
  /** Base32 TOTP secret of the account's two-factor authentication. */
  totpSecret: string;
}

/** NOWPayments' tokens (POST /v1/auth) last 5 minutes; one is used for 4 and then replaced. */
const TOKEN_TTL_MS = 4 * 60_000;
/** Pages of `GET /v1/payout` a lookup by `unique_external_id` reads at most (100 payouts each, newest first). */
const LOOKUP_PAGES = 50;
const LOOKUP_PAGE_SIZE = 100;

/** The payout account's current 2FA code (RFC 6238: SHA-1, 6 digits, 30 s), as an authenticator app shows it. */
export function payoutTotp(secret: string, nowMs = Date.now()): string {
  return generateSync({ secret, algorithm: 'sha1', digits: 6, period: 30, epoch: Math.floor(nowMs / 1000) });
}

/** `YYYY-MM-DD` of the day before `since` (UTC): `date_from` of a lookup, a day early so no time zone hides the payout. */
export function lookupDateFrom(since: Date): string {
  return new Date(since.getTime() - 86_400_000).toISOString().slice(0, 10);
}

/**
 * NOWPayments REST client, against the sandbox or production base URL, with the `x-api-key` header:
 * payments (`POST /v1/payment`, `GET /v1/payment/{id}`), the balance (`GET /v1/balance`) and, with a payout account,
 * mass payouts: `POST /v1/auth` {email, password} → a bearer token; `POST /v1/payout` (one withdrawal per batch,
 * `unique_external_id` = our withdrawal id); `POST /v1/payout/{batch_id}/verify` {verification_code: the account's
 * TOTP code}; `GET /v1/payout/{batch_id}`; `GET /v1/payout` (filters `batch_id`, `status`, `order_by`, `order`,
 * `date_from`, `date_to`, `limit`, `page`: there is no filter by `unique_external_id`, so a lookup reads the pages
 * from the day before the withdrawal's payout was planned, newest first, and matches it).
 */
export class NowPaymentsClient implements PaymentProvider {
  readonly name = 'nowpayments' as const;
  private token?: { value: string; until: number };
  private signingIn?: Promise<string>;

  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
    private readonly timeoutMs = 10_000,
    private readonly payoutAccount?: PayoutAccount,
  ) {}

  get payoutsEnabled(): boolean {
    return !!this.payoutAccount;
  }

  async createPayment(req: CreatePaymentRequest): Promise<ProviderPayment> {
    const body = {
      price_amount: Number(req.priceAmount),
      price_currency: req.priceCurrency,
      pay_currency: req.payCurrency,
      ipn_callback_url: req.ipnCallbackUrl,
      order_id: req.orderId,
      order_description: req.description,
    };
    return this.toPayment(await this.request<NowPaymentsPayment>('POST', '/v1/payment', body));
  }

  async getPayment(paymentId: string): Promise<ProviderPayment> {
    if (!/^\d{1,20}$/.test(paymentId)) throw new PaymentProviderError(`invalid payment id ${paymentId}`);
    return this.toPayment(await this.request<NowPaymentsPayment>('GET', `/v1/payment/${paymentId}`));
  }

  async createPayout(req: CreatePayoutRequest): Promise<ProviderPayout> {
    const body = {
      ipn_callback_url: req.ipnCallbackUrl,
      withdrawals: [
        {
          address: req.address,
          currency: req.currency,
          amount: AMOUNT_SLOT,
          ipn_callback_url: req.ipnCallbackUrl,
          unique_external_id: req.externalId,
          payout_description: req.description,
        },
      ],
    };
    const res = await this.authed<{ id?: unknown; withdrawals?: unknown }>('POST', '/v1/payout', withRawAmount(body, req.amount));
    const batchId = typeof res?.id === 'number' || typeof res?.id === 'string' ? String(res.id) : undefined;
    const [first] = Array.isArray(res?.withdrawals) ? (res.withdrawals as unknown[]) : [];
    return this.toPayout(first, batchId);
  }

  async verifyPayout(batchId: string): Promise<void> {
    this.checkId(batchId);
    await this.authed('POST', `/v1/payout/${batchId}/verify`, { verification_code: payoutTotp(this.account().totpSecret) });
  }

  async getPayout(batchId: string): Promise<ProviderPayout[]> {
    this.checkId(batchId);
    const res = await this.authed<unknown>('GET', `/v1/payout/${batchId}`);
    // The batch's withdrawals: as an array, or under `withdrawals` as the create answer has them.
    const list = Array.isArray(res)
      ? res
      : Array.isArray((res as { withdrawals?: unknown })?.withdrawals)
        ? (res as { withdrawals: unknown[] }).withdrawals
        : [];
    return list.map((w) => this.toPayout(w, batchId));
  }

  async findPayout(externalId: string, since: Date, deadline?: number): Promise<ProviderPayout | undefined> {
    const dateFrom = lookupDateFrom(since);
    for (let page = 0; page < LOOKUP_PAGES; page++) {
      const left = deadline === undefined ? this.timeoutMs : deadline - Date.now();
      if (left <= 0) throw new PaymentProviderError(`NOWPayments: the lookup of ${externalId} ran out of time after ${page} pages`);
      const query = new URLSearchParams({ date_from: dateFrom, order_by: 'dateCreated', order: 'desc', limit: String(LOOKUP_PAGE_SIZE), page: String(page) });
      const res = await this.authed<{ payouts?: unknown; data?: unknown; pagesCount?: unknown }>(
        'GET',
        `/v1/payout?${query.toString()}`,
        undefined,
        Math.min(this.timeoutMs, left),
      );
      const items = Array.isArray(res?.payouts) ? (res.payouts as unknown[]) : Array.isArray(res?.data) ? (res.data as unknown[]) : [];
      for (const item of items) {
        if ((item as { unique_external_id?: unknown })?.unique_external_id === externalId) return this.toPayout(item);
      }
      const pages = typeof res?.pagesCount === 'number' ? res.pagesCount : undefined;
      if (items.length < LOOKUP_PAGE_SIZE || (pages !== undefined && page + 1 >= pages)) return undefined;
    }
    throw new PaymentProviderError(`NOWPayments: more than ${LOOKUP_PAGES * LOOKUP_PAGE_SIZE} payouts since ${dateFrom}; ${externalId} not among them`);
  }

  async balances(): Promise<ProviderBalance[]> {
    const res = await this.request<Record<string, { amount?: unknown; pendingAmount?: unknown }>>('GET', '/v1/balance', undefined, await this.optionalToken());
    if (!res || typeof res !== 'object' || Array.isArray(res)) throw new PaymentProviderError('NOWPayments returned an unexpected balance');
    return Object.entries(res).map(([currency, b]) => {
      const amount = b?.amount;
      const pending = b?.pendingAmount;
      if (!isAmount(amount) || (pending !== undefined && pending !== null && !isAmount(pending)))
        throw new PaymentProviderError(`NOWPayments returned an unexpected balance for ${currency}`);
      return { currency: currency.toLowerCase(), amount: decimalString(amount), pending: isAmount(pending) ? decimalString(pending) : '0' };
    });
  }

  private toPayout(raw: unknown, batchId?: string): ProviderPayout {
    const read = readPayoutObject(raw, batchId);
    if (!read.ok) throw new PaymentProviderError(`NOWPayments returned an unexpected payout: ${read.problems.join('; ')}`);
    return read.payout;
  }

  private checkId(id: string): void {
    if (!/^\d{1,30}$/.test(id)) throw new PaymentProviderError(`invalid payout id ${id}`);
  }

  private account(): PayoutAccount {
    if (!this.payoutAccount) throw new PaymentProviderError('NOWPayments payouts are not configured (NOWPAYMENTS_PAYOUT_EMAIL, _PASSWORD, _2FA_SECRET)');
    return this.payoutAccount;
  }

  /** A request with the payout account's bearer token; a token the API no longer takes (401) is replaced once. */
  private async authed<T>(method: 'GET' | 'POST', path: string, body?: unknown, timeoutMs?: number): Promise<T> {
    try {
      return await this.request<T>(method, path, body, await this.bearer(), timeoutMs);
    } catch (e) {
      if (!(e instanceof PaymentProviderError) || e.status !== 401) throw e;
      this.token = undefined;
      return this.request<T>(method, path, body, await this.bearer(), timeoutMs);
    }
  }

  private async optionalToken(): Promise<string | undefined> {
    return this.payoutAccount ? this.bearer() : undefined;
  }

  /** The current token, signing in (once, for every caller waiting) when there is none or it is old. */
  private async bearer(): Promise<string> {
    if (this.token && this.token.until > Date.now()) return this.token.value;
    this.signingIn ??= (async () => {
      const { email, password } = this.account();
      const res = await this.request<{ token?: unknown }>('POST', '/v1/auth', { email, password });
      if (typeof res?.token !== 'string' || !res.token) throw new PaymentProviderError('NOWPayments sign-in answered without a token');
      this.token = { value: res.token, until: Date.now() + TOKEN_TTL_MS };
      return res.token;
    })().finally(() => {
      this.signingIn = undefined;
    });
    return this.signingIn;
  }

  private toPayment(p: NowPaymentsPayment): ProviderPayment {
    if (!p || p.payment_id === undefined || !isPaymentStatus(p.payment_status) || typeof p.pay_address !== 'string') {
      throw new PaymentProviderError('NOWPayments returned an unexpected payment object');
    }
    const expires = p.expiration_estimate_date ?? p.valid_until ?? null;
    return {
      paymentId: String(p.payment_id),
      status: p.payment_status,
      payAddress: p.pay_address,
      payAmount: decimalString(p.pay_amount),
      payCurrency: String(p.pay_currency).toLowerCase(),
      priceAmount: decimalString(p.price_amount),
      priceCurrency: typeof p.price_currency === 'string' && p.price_currency ? p.price_currency.toLowerCase() : 'usd',
      orderId: p.order_id ?? '',
      expiresAt: expires ? new Date(expires) : null,
    };
  }

  /** `body`: an object sent as JSON, or a `RawJson` body text built by the caller (exact decimals as JSON numbers). */
  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown, token?: string, timeoutMs = this.timeoutMs): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl.replace(/\/+$/, '')}${path}`, {
        method,
        headers: {
          'x-api-key': this.apiKey,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body instanceof RawJson ? body.text : body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      throw new PaymentProviderError(`NOWPayments unreachable: ${(e as Error).message}`);
    }
    const text = await res.text();
    if (!res.ok) {
      let message = text.slice(0, 200);
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? message;
      } catch {
        /* not JSON */
      }
      throw new PaymentProviderError(`NOWPayments ${method} ${path} answered ${res.status}: ${message}`, res.status);
    }
    // A verification may answer an empty or plain-text body ("OK"): what counts there is the status.
    if (path.endsWith('/verify') && !/^\s*[[{]/.test(text)) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new PaymentProviderError(`NOWPayments ${method} ${path} answered non-JSON`);
    }
  }
}
