import { randomInt } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
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
 * payment's `ipn_callback_url`, as the real service does.
 */
export class FakeNowPayments {
  readonly payments = new Map<number, FakePayment>();
  readonly requests: { method: string; path: string; apiKey: string | undefined }[] = [];
  private server!: Server;
  port = 0;

  constructor(
    readonly apiKey = 'fake-np-api-key',
    readonly ipnSecret = 'fake-np-ipn-secret',
  ) {}

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
}
