import { dec } from '../../common/money/decimal';
import type { PaymentStatus } from '../payments/payment-provider';
import { creditTarget, decideIpn, ipnMismatches, parseIpn } from './ipn';

const body = {
  payment_id: 5077125051,
  payment_status: 'finished',
  price_amount: 100.5,
  price_currency: 'usd',
  pay_currency: 'btc',
  pay_amount: 0.00104,
  order_id: 'a3f1c2d4-0000-4000-8000-000000000001',
};
const record = {
  providerPaymentId: '5077125051',
  priceAmount: '100.50000000',
  creditAsset: 'USD',
  creditedAmount: '0',
  payCurrency: 'btc',
  payAmount: '0.00104',
  payAddress: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
  status: 'waiting',
  creditedAt: null,
};
/** A deposit of 0.05 BTC credited as BTC. */
const inKind = { ...record, priceAmount: '0.05000000', creditAsset: 'BTC', payAmount: '0.05' };
const ipn = (status: PaymentStatus, actuallyPaid?: string) => ({ status, actuallyPaid });

describe('NOWPayments IPN handling', () => {
  it('reads ids and amounts sent as JSON numbers into strings without float noise', () => {
    const parsed = parseIpn(body);
    expect(parsed).toEqual({
      ok: true,
      ipn: { paymentId: '5077125051', status: 'finished', orderId: body.order_id, priceAmount: '100.5', priceCurrency: 'usd', payCurrency: 'btc' },
    });
    expect(parseIpn({ ...body, actually_paid: 0.00000001, pay_address: 'bc1q' })).toMatchObject({
      ok: true,
      ipn: { actuallyPaid: '0.00000001', payAddress: 'bc1q' },
    });
    expect(parseIpn({ ...body, actually_paid: '1e3' })).toEqual({ ok: false, problems: ['actually_paid is not a decimal'] });
  });

  it('lists what is wrong with a malformed body instead of guessing', () => {
    const parsed = parseIpn({ payment_id: 'abc', payment_status: 'paid', price_amount: -1 });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problems).toEqual([
      'payment_id is missing or not numeric',
      'payment_status is not a known status',
      'order_id is missing',
      'price_amount is not a decimal',
    ]);
  });

  it('accepts an IPN that matches the stored order', () => {
    const parsed = parseIpn(body);
    expect(parsed.ok && ipnMismatches(parsed.ipn, record)).toEqual([]);
  });

  it('refuses an IPN claiming another amount, currency or payment than the order', () => {
    const parsed = parseIpn({ ...body, price_amount: 100000, pay_currency: 'eth', payment_id: 1 });
    expect(parsed.ok && ipnMismatches(parsed.ipn, record)).toEqual([
      "payment_id 1 is not this order's payment",
      "price_amount 100000 differs from the order's 100.5",
      "pay_currency eth differs from the order's btc",
    ]);
  });

  it('checks a deposit in kind against its own asset: priced in it, paid in it, at its address, saying what arrived', () => {
    const btc = { ...body, price_amount: 0.05, price_currency: 'btc', pay_amount: 0.05, actually_paid: 0.05, pay_address: inKind.payAddress };
    const ok = parseIpn(btc);
    expect(ok.ok && ipnMismatches(ok.ipn, inKind)).toEqual([]);
    const usdPriced = parseIpn({ ...btc, price_currency: 'usd', actually_paid: undefined, pay_address: 'bc1qother' });
    expect(usdPriced.ok && ipnMismatches(usdPriced.ipn, inKind)).toEqual([
      'price_currency usd is not btc',
      "pay_address bc1qother is not the order's address",
      'actually_paid is missing',
    ]);
    // A USD deposit (every deposit of earlier releases) is priced in usd and credits its price when finished.
    const legacy = parseIpn(body);
    expect(legacy.ok && ipnMismatches(legacy.ipn, record)).toEqual([]);
    const partial = parseIpn({ ...body, payment_status: 'partially_paid' });
    expect(partial.ok && ipnMismatches(partial.ipn, record)).toEqual(['actually_paid is missing']);
  });

  it('values a crediting IPN: what arrived in kind (8 decimals, down), the stored price or its share that arrived in USD', () => {
    expect(creditTarget(inKind, ipn('finished', '0.0500000099'))?.toFixed()).toBe('0.05');
    expect(creditTarget(inKind, ipn('finished', '0.06'))?.toFixed()).toBe('0.06');
    expect(creditTarget(inKind, ipn('partially_paid', '0.02'))?.toFixed()).toBe('0.02');
    expect(creditTarget(record, ipn('finished', '0'))?.toFixed()).toBe('100.5');
    expect(creditTarget(record, ipn('partially_paid', '0.00052'))?.toFixed()).toBe('50.25');
    expect(creditTarget(record, ipn('partially_paid', '0.00051999'))?.toFixed()).toBe('50.24');
    expect(creditTarget(record, ipn('partially_paid', '0.002'))?.toFixed()).toBe('100.5');
    expect(creditTarget(record, ipn('confirming', '0.002'))).toBeNull();
  });

  it('credits on the first finished, even after the order expired on our side', () => {
    expect(decideIpn(record, ipn('finished'))).toEqual({ action: 'credit', before: dec(0), total: dec('100.5'), amount: dec('100.5') });
    expect(decideIpn({ ...record, status: 'expired' }, ipn('finished'))).toMatchObject({ action: 'credit' });
  });

  it('credits what arrived of a partly paid deposit once, then only the difference of what arrives later', () => {
    expect(decideIpn(inKind, ipn('partially_paid', '0.02'))).toEqual({ action: 'credit', before: dec(0), total: dec('0.02'), amount: dec('0.02') });
    const partly = { ...inKind, status: 'partially_paid', creditedAt: new Date(), creditedAmount: '0.02' };
    expect(decideIpn(partly, ipn('partially_paid', '0.02'))).toEqual({ action: 'duplicate' });
    expect(decideIpn(partly, ipn('partially_paid', '0.01'))).toEqual({ action: 'duplicate' });
    expect(decideIpn(partly, ipn('confirming'))).toEqual({ action: 'duplicate' });
    expect(decideIpn(partly, ipn('partially_paid', '0.03'))).toMatchObject({ action: 'credit', amount: dec('0.01') });
    expect(decideIpn(partly, ipn('finished', '0.05'))).toMatchObject({ action: 'credit', total: dec('0.05'), amount: dec('0.03') });
    expect(decideIpn(partly, ipn('finished', '0.02'))).toEqual({ action: 'update' });
  });

  it('never credits or moves a deposit again once it was finished and credited, nor one an earlier release credited', () => {
    const credited = { ...record, status: 'finished', creditedAt: new Date(), creditedAmount: '100.5' };
    expect(decideIpn(credited, ipn('finished'))).toEqual({ action: 'duplicate' });
    expect(decideIpn(credited, ipn('refunded'))).toEqual({ action: 'duplicate' });
    expect(decideIpn(credited, ipn('partially_paid', '1'))).toEqual({ action: 'duplicate' });
    const byEarlierRelease = { ...record, status: 'finished', creditedAt: new Date(), creditedAmount: '0' };
    expect(decideIpn(byEarlierRelease, ipn('finished'))).toEqual({ action: 'duplicate' });
  });

  it('records a new intermediate status and ignores a repeat of the current one', () => {
    expect(decideIpn(record, ipn('confirming'))).toEqual({ action: 'update' });
    expect(decideIpn({ ...record, status: 'confirming' }, ipn('confirming'))).toEqual({ action: 'duplicate' });
  });
});
