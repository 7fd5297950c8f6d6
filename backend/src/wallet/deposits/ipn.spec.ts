import { decideIpn, ipnMismatches, parseIpn } from './ipn';

const body = {
  payment_id: 5077125051,
  payment_status: 'finished',
  price_amount: 100.5,
  price_currency: 'usd',
  pay_currency: 'btc',
  pay_amount: 0.00104,
  order_id: 'a3f1c2d4-0000-4000-8000-000000000001',
};
const record = { providerPaymentId: '5077125051', priceAmount: '100.50000000', payCurrency: 'btc', status: 'waiting', creditedAt: null };

describe('NOWPayments IPN handling', () => {
  it('reads ids and amounts sent as JSON numbers into strings without float noise', () => {
    const parsed = parseIpn(body);
    expect(parsed).toEqual({
      ok: true,
      ipn: { paymentId: '5077125051', status: 'finished', orderId: body.order_id, priceAmount: '100.5', priceCurrency: 'usd', payCurrency: 'btc' },
    });
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

  it('credits on the first finished, even after the order expired on our side', () => {
    expect(decideIpn({ status: 'waiting', creditedAt: null }, 'finished')).toBe('credit');
    expect(decideIpn({ status: 'expired', creditedAt: null }, 'finished')).toBe('credit');
  });

  it('never credits or moves a deposit again once it was credited', () => {
    expect(decideIpn({ status: 'finished', creditedAt: new Date() }, 'finished')).toBe('duplicate');
    expect(decideIpn({ status: 'finished', creditedAt: new Date() }, 'refunded')).toBe('duplicate');
  });

  it('records a new intermediate status and ignores a repeat of the current one', () => {
    expect(decideIpn({ status: 'waiting', creditedAt: null }, 'confirming')).toBe('update');
    expect(decideIpn({ status: 'confirming', creditedAt: null }, 'confirming')).toBe('duplicate');
  });
});
