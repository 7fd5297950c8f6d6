import { Dec } from '../../common/money/decimal';
import { CreatePaymentRequest, isPaymentStatus, PaymentProvider, PaymentProviderError, ProviderPayment } from './payment-provider';

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

/**
 * NOWPayments REST client: `POST /v1/payment`, `GET /v1/payment/{id}` with the
 * `x-api-key` header, against the sandbox or production base URL.
 */
export class NowPaymentsClient implements PaymentProvider {
  readonly name = 'nowpayments' as const;

  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
    private readonly timeoutMs = 10_000,
  ) {}

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

  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl.replace(/\/+$/, '')}${path}`, {
        method,
        headers: { 'x-api-key': this.apiKey, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
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
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new PaymentProviderError(`NOWPayments ${method} ${path} answered non-JSON`);
    }
  }
}
