import { randomBytes, randomInt } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { generateSync } from 'otplib';
import { signIpn } from '../../../backend/src/wallet/payments/ipn-signature';

export interface FakePayment {
  payment_id: number;
  payment_status: string;
  pay_address: string;
  price_amount: number;
  price_currency: string;
  pay_amount: number;
  actually_paid: number;
  pay_currency: string;
  order_id: string;
  order_description: string;
  ipn_callback_url: string;
  created_at: string;
  updated_at: string;
  expiration_estimate_date: string;
  outcome_amount: number;
  outcome_currency: string;
}

/** One withdrawal of a payout batch, as the payouts API answers it and as its status IPN carries it. */
export interface FakePayout {
  id: string;
  batch_withdrawal_id: string;
  status: string;
  error: string | null;
  currency: string;
  amount: string;
  address: string;
  extra_id: string | null;
  hash: string | null;
  ipn_callback_url: string | null;
  payout_description: string | null;
  is_request_payouts: boolean;
  unique_external_id: string | null;
  created_at: string;
  requested_at: string | null;
  updated_at: string;
  fee: number | null;
}

/** The payout account: its sign-in (POST /v1/auth) and the TOTP secret of its 2FA (POST /v1/payout/:id/verify). */
export interface FakePayoutAccount {
  email: string;
  password: string;
  totpSecret: string;
}

/** Currencies the fake pays out in (NOWPayments' codes, per network). */
const PAYOUT_CURRENCIES = new Set(['btc', 'eth', 'usdterc20', 'usdttrc20', 'usdc', 'ltc', 'bnbbsc', 'sol', 'xrp', 'doge']);
const EVM = new Set(['eth', 'usdterc20', 'usdc', 'bnbbsc']);
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
/** Query parameters of GET /v1/payout (the documented filters); anything else is refused. */
const LIST_PARAMS = new Set(['batch_id', 'status', 'order_by', 'order', 'date_from', 'date_to', 'limit', 'page']);
const ORDER_BY: Record<string, keyof FakePayout> = {
  id: 'id',
  batchId: 'batch_withdrawal_id',
  dateCreated: 'created_at',
  dateRequested: 'requested_at',
  dateUpdated: 'updated_at',
  currency: 'currency',
  status: 'status',
};

/** A transaction hash in the format of the payout currency's chain. */
export function fakeTxHash(currency: string): string {
  if (currency === 'sol') return [...randomBytes(87)].map((b) => BASE58[b % 58]).join('');
  const hex = randomBytes(32).toString('hex');
  if (EVM.has(currency)) return `0x${hex}`;
  return currency === 'xrp' ? hex.toUpperCase() : hex;
}

const RATES: Record<string, number> = { btc: 95000, eth: 3400, usdt: 1, usdc: 1, ltc: 95, bnb: 650, sol: 190 };
const ADDRESSES: Record<string, string> = {
  btc: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
  eth: '0x52908400098527886E0F7030069857D2E4169EE7',
  usdt: '0x8617E340B3D01FA5F11F306F4090FD50E238070D',
  usdc: '0xde709f2102306220921060314715629080e2fb77',
  ltc: 'ltc1qg82tkkk4xmtaqcfrjxzrxl6feuj9nnp4jfm2aa',
  bnb: '0x27b1fdb04752bbc536007a920d24acb045561c26',
  sol: 'So11111111111111111111111111111111111111112',
};

/**
 * A local NOWPayments: the documented `POST /v1/payment` and
 * `GET /v1/payment/{id}` with `x-api-key`, and signed IPN delivery to the
 * payment's `ipn_callback_url`, as the real service does. Mass payouts too:
 * `POST /v1/auth` {email, password} → a bearer token; with it, `POST
 * /v1/payout` (a batch; each withdrawal `CREATING` until verified, with its
 * `unique_external_id`), `POST /v1/payout/{batch_id}/verify`
 * {verification_code: the payout account's current TOTP code}, `GET
 * /v1/payout/{batch_id}` (the batch's withdrawals) and `GET /v1/payout` (the
 * list, filtered by batch_id, status, order_by, order, date_from, date_to,
 * limit, page: there is no filter by unique_external_id); `GET /v1/balance`;
 * and signed payout status IPNs (the withdrawal object) to the payout's
 * `ipn_callback_url`.
 */
export class FakeNowPayments {
  readonly payments = new Map<number, FakePayment>();
  /** Payout withdrawals by their id. */
  readonly payouts = new Map<string, FakePayout>();
  /** The account's balance per currency: payments finished add to it, payouts finished take from it. */
  readonly balances = new Map<string, { amount: number; pendingAmount: number }>();
  readonly requests: { method: string; path: string; apiKey: string | undefined }[] = [];
  /** Answers the next payout creations with this error instead (a provider refusing them). */
  refusePayouts?: { status: number; message: string };
  private readonly tokens = new Set<string>();
  private server!: Server;
  port = 0;

  constructor(
    readonly apiKey = 'fake-np-api-key',
    readonly ipnSecret = 'fake-np-ipn-secret',
    readonly payoutAccount: FakePayoutAccount = {
      email: 'payouts@example.com',
      password: 'fake-np-payout-password',
      totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
    },
  ) {}

  /** Every bearer token stops working (NOWPayments' tokens expire): the next payout call must sign in again. */
  expireTokens(): void {
    this.tokens.clear();
  }

  /** Sets the account's balance of a currency. */
  setBalance(currency: string, amount: number, pendingAmount = 0): void {
    this.balances.set(currency, { amount, pendingAmount });
  }

  /** Every payout withdrawal made for our withdrawal `externalId` (more than one would be a double payout). */
  payoutsFor(externalId: string): FakePayout[] {
    return [...this.payouts.values()].filter((p) => p.unique_external_id === externalId);
  }

  /** Adds to (or, negative, takes from) the account's balance of a currency. */
  private credit(currency: string, amount: number): void {
    const b = this.balances.get(currency) ?? { amount: 0, pendingAmount: 0 };
    this.balances.set(currency, { ...b, amount: Number((b.amount + amount).toFixed(8)) });
  }

  /**
   * Moves a payout to `status` without telling anyone (an IPN lost on the way); FINISHED gets a hash. A verified
   * payout has left the balance already; one that fails goes back to it.
   */
  setPayoutStatus(id: string, status: string, opts: { hash?: string | null; error?: string } = {}): FakePayout {
    const p = this.payouts.get(id);
    if (!p) throw new Error(`fake NOWPayments: no payout ${id}`);
    const failed = (s: string) => s === 'FAILED' || s === 'REJECTED';
    if (failed(status) && !failed(p.status) && p.status !== 'CREATING') this.credit(p.currency, Number(p.amount));
    p.status = status;
    if (status === 'FINISHED') p.hash = opts.hash === undefined ? (p.hash ?? fakeTxHash(p.currency)) : opts.hash;
    if (status === 'FAILED' || status === 'REJECTED') p.error = opts.error ?? 'Insufficient funds on the payout wallet';
    p.updated_at = new Date().toISOString();
    return p;
  }

  /** The payout status IPN NOWPayments sends: the withdrawal object, amount as a JSON number. */
  payoutIpnBody(p: FakePayout): Record<string, unknown> {
    return { ...p, amount: Number(p.amount) };
  }

  /**
   * Moves a payout to `status` and delivers its signed status IPN to the payout's `ipn_callback_url`; returns the
   * webhook's HTTP status. `body` replaces what is sent (the payout does not change), `secret` signs with another key.
   */
  async sendPayoutIpn(id: string, status: string, opts: { hash?: string | null; secret?: string; body?: Record<string, unknown> } = {}): Promise<number> {
    const p = opts.body ? this.payouts.get(id) : this.setPayoutStatus(id, status, { hash: opts.hash });
    if (!p?.ipn_callback_url) throw new Error(`fake NOWPayments: payout ${id} has no ipn_callback_url`);
    const body = opts.body ?? this.payoutIpnBody(p);
    const res = await fetch(p.ipn_callback_url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-nowpayments-sig': signIpn(body, opts.secret ?? this.ipnSecret) },
      body: JSON.stringify(body),
    });
    await res.arrayBuffer();
    return res.status;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const addr = this.server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  byOrderId(orderId: string): FakePayment | undefined {
    return [...this.payments.values()].find((p) => p.order_id === orderId);
  }

  /** The IPN body NOWPayments would send for a payment in `status`. */
  ipnBody(payment: FakePayment, status: string): Record<string, unknown> {
    // What arrived: recorded by `sendIpn(…, { actuallyPaid })` (a partial payment), else all of it once confirmed.
    const paid = payment.actually_paid || (status === 'finished' || status === 'confirmed' || status === 'sending' ? payment.pay_amount : 0);
    return {
      payment_id: payment.payment_id,
      parent_payment_id: null,
      invoice_id: null,
      payment_status: status,
      pay_address: payment.pay_address,
      payin_extra_id: null,
      price_amount: payment.price_amount,
      price_currency: payment.price_currency,
      pay_amount: payment.pay_amount,
      actually_paid: paid,
      actually_paid_at_fiat: 0,
      pay_currency: payment.pay_currency,
      order_id: payment.order_id,
      order_description: payment.order_description,
      purchase_id: String(payment.payment_id + 1),
      outcome_amount: payment.outcome_amount,
      outcome_currency: payment.outcome_currency,
      fee: { currency: payment.pay_currency, depositFee: 0, withdrawalFee: 0, serviceFee: 0 },
      updated_at: Date.now(),
    };
  }

  /**
   * Moves a payment to `status` and delivers the signed IPN; returns the webhook's HTTP status. `actuallyPaid`
   * records how much has arrived so far (NOWPayments' `actually_paid`, cumulative for the payment); `finished`
   * without it means all of `pay_amount` arrived (or more, if more was recorded).
   */
  async sendIpn(
    paymentId: number,
    status: string,
    opts: { secret?: string; signature?: string; body?: Record<string, unknown>; actuallyPaid?: number } = {},
  ): Promise<number> {
    const payment = this.payments.get(paymentId);
    if (!payment) throw new Error(`fake NOWPayments: no payment ${paymentId}`);
    payment.payment_status = status;
    if (opts.actuallyPaid !== undefined) payment.actually_paid = opts.actuallyPaid;
    else if (status === 'finished') payment.actually_paid = Math.max(payment.actually_paid, payment.pay_amount);
    if (status === 'finished' && !opts.body && !opts.secret) this.credit(payment.pay_currency, payment.actually_paid);
    payment.updated_at = new Date().toISOString();
    const body = opts.body ?? this.ipnBody(payment, status);
    const signature = opts.signature ?? signIpn(body, opts.secret ?? this.ipnSecret);
    const res = await fetch(payment.ipn_callback_url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-nowpayments-sig': signature },
      body: JSON.stringify(body),
    });
    await res.arrayBuffer();
    return res.status;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const apiKey = req.headers['x-api-key'] as string | undefined;
    const path = (req.url ?? '').split('?')[0];
    this.requests.push({ method: req.method ?? '', path, apiKey });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (apiKey !== this.apiKey) return send(403, { status: false, statusCode: 403, code: 'INVALID_API_KEY', message: 'Invalid api key' });
    if (path === '/v1/auth' || path === '/v1/balance' || path.startsWith('/v1/payout')) return this.handlePayouts(req, res, path, send);
    if (req.method === 'POST' && path === '/v1/payment') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        return send(400, { status: false, statusCode: 400, code: 'INVALID_REQUEST_PARAMS', message: 'Invalid JSON' });
      }
      const currency = String(body.pay_currency ?? '').toLowerCase();
      const price = Number(body.price_amount);
      // The price is in USD or in a currency it takes (a payment priced in the currency paid: pay_amount = price_amount).
      const priceCurrency = String(body.price_currency ?? '').toLowerCase();
      if (!RATES[currency])
        return send(400, { status: false, statusCode: 400, code: 'INVALID_REQUEST_PARAMS', message: `Currency ${currency} is not available` });
      if (priceCurrency !== 'usd' && !RATES[priceCurrency])
        return send(400, { status: false, statusCode: 400, code: 'INVALID_REQUEST_PARAMS', message: `Currency ${priceCurrency} is not available` });
      if (!(price > 0)) {
        return send(400, { status: false, statusCode: 400, code: 'INVALID_REQUEST_PARAMS', message: 'price_amount must be positive' });
      }
      const priceUsd = priceCurrency === 'usd' ? price : price * RATES[priceCurrency];
      const now = new Date();
      const payment: FakePayment = {
        payment_id: randomInt(4_000_000_000, 5_999_999_999),
        payment_status: 'waiting',
        pay_address: ADDRESSES[currency],
        price_amount: price,
        price_currency: priceCurrency,
        pay_amount: priceCurrency === currency ? price : Number((priceUsd / RATES[currency]).toFixed(8)),
        actually_paid: 0,
        pay_currency: currency,
        order_id: String(body.order_id ?? ''),
        order_description: String(body.order_description ?? ''),
        ipn_callback_url: String(body.ipn_callback_url ?? ''),
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
        expiration_estimate_date: new Date(now.getTime() + 20 * 60_000).toISOString(),
        outcome_amount: price,
        outcome_currency: priceCurrency,
      };
      this.payments.set(payment.payment_id, payment);
      return send(201, payment);
    }
    const m = /^\/v1\/payment\/(\d+)$/.exec(path);
    if (req.method === 'GET' && m) {
      const p = this.payments.get(Number(m[1]));
      return p ? send(200, p) : send(404, { status: false, statusCode: 404, code: 'NOT_FOUND', message: 'Payment not found' });
    }
    send(404, { status: false, statusCode: 404, message: 'Not found' });
  }

  private async handlePayouts(req: IncomingMessage, _res: ServerResponse, path: string, send: (status: number, body: unknown) => void): Promise<void> {
    const bad = (message: string) => send(400, { status: false, statusCode: 400, code: 'INVALID_REQUEST_PARAMS', message });
    const readBody = async (): Promise<Record<string, unknown> | undefined> => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      try {
        return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        return undefined;
      }
    };
    if (req.method === 'POST' && path === '/v1/auth') {
      const body = await readBody();
      if (body?.email !== this.payoutAccount.email || body?.password !== this.payoutAccount.password)
        return send(401, { status: false, statusCode: 401, code: 'AUTH_REQUIRED', message: 'Invalid email or password' });
      const token = randomBytes(24).toString('hex');
      this.tokens.add(token);
      return send(200, { token });
    }
    if (req.method === 'GET' && path === '/v1/balance') {
      return send(200, Object.fromEntries([...this.balances].map(([c, b]) => [c, { amount: b.amount, pendingAmount: b.pendingAmount }])));
    }
    const bearer = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    if (!bearer || !this.tokens.has(bearer))
      return send(401, { status: false, statusCode: 401, code: 'AUTH_REQUIRED', message: 'Authorization header is empty (Bearer JWTtoken is required)' });
    const url = new URL(req.url ?? '', 'http://fake');
    if (req.method === 'POST' && path === '/v1/payout') {
      const body = await readBody();
      const list = body?.withdrawals;
      if (!Array.isArray(list) || list.length === 0) return bad('withdrawals is required');
      if (this.refusePayouts)
        return send(this.refusePayouts.status, { status: false, statusCode: this.refusePayouts.status, message: this.refusePayouts.message });
      const batchId = String(randomInt(5_000_000_000, 5_999_999_999));
      const now = new Date().toISOString();
      const made: FakePayout[] = [];
      for (const raw of list as Record<string, unknown>[]) {
        const currency = String(raw.currency ?? '').toLowerCase();
        if (!PAYOUT_CURRENCIES.has(currency)) return bad(`Currency ${currency} is not available for payouts`);
        if (!(typeof raw.amount === 'number' && raw.amount > 0)) return bad('amount must be a positive number');
        if (typeof raw.address !== 'string' || !raw.address) return bad('address is required');
        made.push({
          id: String(randomInt(5_000_000_000, 5_999_999_999)),
          batch_withdrawal_id: batchId,
          status: 'CREATING',
          error: null,
          currency,
          amount: String(raw.amount),
          address: raw.address,
          extra_id: null,
          hash: null,
          ipn_callback_url:
            typeof raw.ipn_callback_url === 'string' ? raw.ipn_callback_url : typeof body?.ipn_callback_url === 'string' ? body.ipn_callback_url : null,
          payout_description: typeof raw.payout_description === 'string' ? raw.payout_description : null,
          is_request_payouts: false,
          unique_external_id: typeof raw.unique_external_id === 'string' ? raw.unique_external_id : null,
          created_at: now,
          requested_at: null,
          updated_at: now,
          fee: null,
        });
      }
      for (const p of made) this.payouts.set(p.id, p);
      return send(200, { id: batchId, withdrawals: made });
    }
    const verify = /^\/v1\/payout\/(\d+)\/verify$/.exec(path);
    if (req.method === 'POST' && verify) {
      const batch = [...this.payouts.values()].filter((p) => p.batch_withdrawal_id === verify[1]);
      if (!batch.length) return send(404, { status: false, statusCode: 404, message: 'Batch not found' });
      const code = (await readBody())?.verification_code;
      const now = Math.floor(Date.now() / 1000);
      const valid = [-30, 0, 30].some((d) => generateSync({ secret: this.payoutAccount.totpSecret, epoch: now + d }) === code);
      if (!valid) return bad('Invalid verification code');
      if (batch.some((p) => p.status !== 'CREATING')) return bad('Batch is already verified');
      for (const p of batch) {
        // Verified: the payout leaves the account's balance.
        this.credit(p.currency, -Number(p.amount));
        p.status = 'WAITING';
        p.requested_at = p.updated_at = new Date().toISOString();
      }
      _res.writeHead(200, { 'content-type': 'text/plain' });
      _res.end('OK');
      return;
    }
    const one = /^\/v1\/payout\/(\d+)$/.exec(path);
    if (req.method === 'GET' && one) {
      const batch = [...this.payouts.values()].filter((p) => p.batch_withdrawal_id === one[1]);
      return batch.length ? send(200, batch) : send(404, { status: false, statusCode: 404, message: 'Payout not found' });
    }
    if (req.method === 'GET' && path === '/v1/payout') {
      const q = url.searchParams;
      for (const key of q.keys()) if (!LIST_PARAMS.has(key)) return bad(`${key} is not allowed`);
      const limit = q.has('limit') ? Number(q.get('limit')) : 10;
      const page = q.has('page') ? Number(q.get('page')) : 0;
      if (!Number.isInteger(limit) || limit < 1 || limit > 500 || !Number.isInteger(page) || page < 0) return bad('limit or page is invalid');
      const orderBy = q.get('order_by') ?? 'id';
      if (!ORDER_BY[orderBy]) return bad('order_by is invalid');
      const order = q.get('order') ?? 'asc';
      if (order !== 'asc' && order !== 'desc') return bad('order is invalid');
      const day = (name: string, end: boolean): number | undefined => {
        const v = q.get(name);
        if (v === null) return undefined;
        const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T${end ? '23:59:59.999' : '00:00:00.000'}Z` : v);
        return Number.isNaN(t) ? NaN : t;
      };
      const from = day('date_from', false);
      const to = day('date_to', true);
      if (Number.isNaN(from) || Number.isNaN(to)) return bad('date_from or date_to is invalid');
      const key = ORDER_BY[orderBy];
      const all = [...this.payouts.values()]
        .filter((p) => (!q.get('batch_id') || p.batch_withdrawal_id === q.get('batch_id')) && (!q.get('status') || p.status === q.get('status')?.toUpperCase()))
        .filter((p) => (from === undefined || Date.parse(p.created_at) >= from) && (to === undefined || Date.parse(p.created_at) <= to))
        .sort((a, b) => String(a[key] ?? '').localeCompare(String(b[key] ?? '')) * (order === 'desc' ? -1 : 1));
      return send(200, { payouts: all.slice(page * limit, page * limit + limit) });
    }
    send(404, { status: false, statusCode: 404, message: 'Not found' });
  }
}
