import { cmp, div, maxAmount, mul, notionalForTotal, priceExecution, quantityForAmount, quoteOrder } from './order-pricing';

const terms = { feeRate: '0.001', quantityDecimals: 8 };

/** The server's answers for these orders (backend/src/orders/order-pricing.spec.ts and e2e/api/orders/*). */
describe('order pricing as the server prices it', () => {
  it('divides and multiplies exactly, rounding the way it is told', () => {
    expect(div('1', '3', 8, 'down')).toBe('0.33333333');
    expect(div('1', '3', 8, 'up')).toBe('0.33333334');
    expect(div('999.000999', '100000', 8, 'down')).toBe('0.00999');
    expect(mul('0.000000015', '30000.123', 8, 'up')).toBe('0.00045001');
    expect(mul('0.123456789012345678', '2', 8, 'down')).toBe('0.24691357');
  });

  it('finds the largest notional whose total with the fee fits the amount', () => {
    expect(notionalForTotal('100', '0.001')).toBe('99.9000999');
    expect(notionalForTotal('10', '0.001')).toBe('9.99000999');
    expect(notionalForTotal('0.00000001', '0.001')).toBe('0');
    expect(notionalForTotal('50', '0')).toBe('50');
  });

  it('prices a market buy by amount as the server filled it', () => {
    // money-orders: ETH at 3870.25, quoteAmount 100 → 0.025812311840320392 ETH for 99.9000999 + 0.0999001 fee.
    expect(priceExecution('buy', '3870.25', '0.001', { quoteAmount: '100' })).toEqual({ quantity: '0.025812311840320392', notional: '99.9000999', fee: '0.0999001' });
    expect(priceExecution('sell', '3', '0.001', { quoteAmount: '10' })).toEqual({ quantity: '3.333333333333333334', notional: '10', fee: '0.01' });
  });

  it('converts a limit buy by amount at its limit price and holds its notional and fee there', () => {
    expect(quantityForAmount('buy', '100000', '0.001', '1000', 8)).toBe('0.00999');
    const q = quoteOrder({ side: 'buy', type: 'limit', mode: 'usd', amount: '1000', price: '100000' }, terms)!;
    expect(q).toEqual({ quantity: '0.00999', quantityAtFill: false, price: '100000', notional: '999', fee: '0.999', total: '999.999', pays: '999.999', paysIn: 'usd' });
  });

  it('holds the whole amount of a stop buy by amount; its notional and fee are known, its quantity is the fill', () => {
    const q = quoteOrder({ side: 'buy', type: 'stop', mode: 'usd', amount: '500.50', price: '101000' }, terms)!;
    expect(q).toMatchObject({ quantity: '0.00495049', quantityAtFill: true, notional: '500', fee: '0.5', total: '500.5', pays: '500.50' });
  });

  it('converts limit and stop sells by amount at their own price, rounded down, and holds that quantity', () => {
    expect(quoteOrder({ side: 'sell', type: 'limit', mode: 'usd', amount: '1000', price: '110000' }, terms)).toMatchObject({ quantity: '0.0090909', pays: '0.0090909', paysIn: 'asset' });
    expect(quoteOrder({ side: 'sell', type: 'stop', mode: 'usd', amount: '950', price: '95000' }, terms)).toMatchObject({ quantity: '0.01', notional: '950', fee: '0.95', total: '949.05' });
  });

  it('prices an order by quantity: a buy costs notional plus fee, a sell pays notional minus fee', () => {
    expect(quoteOrder({ side: 'buy', type: 'limit', mode: 'quantity', amount: '0.01', price: '100000' }, terms)).toMatchObject({ notional: '1000', fee: '1', total: '1001', pays: '1001' });
    expect(quoteOrder({ side: 'sell', type: 'market', mode: 'quantity', amount: '0.01', price: '99000' }, terms)).toMatchObject({ notional: '990', fee: '0.99', total: '989.01', pays: '0.01' });
  });

  it('answers null for an order that buys nothing or has no price', () => {
    expect(quoteOrder({ side: 'buy', type: 'limit', mode: 'usd', amount: '0.0005', price: '100000' }, terms)).toBeNull();
    expect(quoteOrder({ side: 'buy', type: 'limit', mode: 'usd', amount: '10', price: '' }, terms)).toBeNull();
    expect(quoteOrder({ side: 'buy', type: 'limit', mode: 'usd', amount: '1e5', price: '100' }, terms)).toBeNull();
  });

  it('gives as Max what the balance pays for, and the order it makes is never more than the balance', () => {
    const balances = { ...terms, usdAvailable: '5000.00', assetAvailable: '0.019980019980019980' };
    expect(maxAmount({ side: 'buy', type: 'limit', mode: 'usd', price: '100000' }, balances)).toBe('5000');
    expect(maxAmount({ side: 'buy', type: 'limit', mode: 'quantity', price: '100000' }, balances)).toBe('0.04995004');
    expect(maxAmount({ side: 'buy', type: 'market', mode: 'quantity', price: null }, balances)).toBeNull();
    expect(maxAmount({ side: 'sell', type: 'market', mode: 'quantity', price: null }, balances)).toBe('0.01998001998001998');
    expect(maxAmount({ side: 'sell', type: 'limit', mode: 'usd', price: '104250' }, balances)).toBe('2082.91708291');
    for (const type of ['market', 'limit', 'stop'] as const) {
      for (const side of ['buy', 'sell'] as const) {
        for (const mode of ['usd', 'quantity'] as const) {
          for (const price of ['104250', '0.3', '3870.25']) {
            const amount = maxAmount({ side, type, mode, price }, balances)!;
            const q = quoteOrder({ side, type, mode, amount, price }, balances);
            if (!q) continue;
            const available = side === 'buy' ? balances.usdAvailable : balances.assetAvailable;
            expect([type, side, mode, price, cmp(q.pays, available) <= 0]).toEqual([type, side, mode, price, true]);
          }
        }
      }
    }
  });
});
