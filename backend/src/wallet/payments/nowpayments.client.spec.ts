import { withRawAmount } from './nowpayments.client';

describe('NOWPayments payout body', () => {
  it('writes the amount as a JSON number literal of the exact decimal, never through a JS number', () => {
    const amount = '12345678.123456789012345678';
    const body = withRawAmount({ withdrawals: [{ address: 'x', amount: '\u0000amount\u0000' }] }, amount);
    expect(body.text).toBe(`{"withdrawals":[{"address":"x","amount":${amount}}]}`);
    expect(Number(amount).toString()).not.toBe(amount);
    expect(() => withRawAmount({ amount: '\u0000amount\u0000' }, '1e5')).toThrow('invalid payout amount');
  });
});
