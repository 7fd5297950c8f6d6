import { dec } from '../common/money/decimal';
import { CreateOrderDto } from './dto/order.dto';
import { buyReservation, firesWhen, notionalForTotal, priceExecution, quantityForAmount } from './order-pricing';
import { orderShapeProblems } from './orders.service';

const rate = dec('0.001');

describe('order pricing', () => {
  it('charges a buyer notional plus 0.1 % fee, rounding both up at 8 decimals', () => {
    const e = priceExecution('buy', dec('30000.123'), rate, { quantity: dec('0.000000015') });
    expect(e.notional.toFixed()).toBe('0.00045001'); // 0.000450001845 rounded up
    expect(e.fee.toFixed()).toBe('0.00000046'); // 0.00000045001 rounded up
  });

  it('pays a seller notional rounded down and keeps 18-decimal quantities exact', () => {
    const e = priceExecution('sell', dec('2'), rate, { quantity: dec('0.123456789012345678') });
    expect(e.quantity.toFixed()).toBe('0.123456789012345678');
    expect(e.notional.toFixed()).toBe('0.24691357');
  });

  it('buys by quote amount as the total spend: notional + fee never exceeds it, the quantity rounds down', () => {
    const e = priceExecution('buy', dec('3'), rate, { quoteAmount: dec('10') });
    expect(e.notional.toFixed()).toBe('9.99000999');
    expect(e.fee.toFixed()).toBe('0.00999001');
    expect(e.notional.add(e.fee).toFixed()).toBe('10');
    expect(e.quantity.toFixed()).toBe('3.33000333');
    const hundred = priceExecution('buy', dec('104250'), rate, { quoteAmount: dec('100') });
    expect([hundred.notional.toFixed(), hundred.fee.toFixed()]).toEqual(['99.9000999', '0.0999001']);
    expect(hundred.quantity.mul('104250').lte(hundred.notional)).toBe(true);
  });

  it('never spends more than the quote amount, and leaves less than 2e-8 USD of it, whatever the amount and rate', () => {
    const totals = ['0.01', '1', '1.00000001', '7.77777777', '99.99999999', '100', '123456.78901234', '99999999999999.99999999'];
    const rates = ['0', '0.001', '0.0025', '0.015', '0.33333333'];
    for (const t of totals) {
      for (const r of rates) {
        const e = priceExecution('buy', dec('0.3'), dec(r), { quoteAmount: dec(t) });
        const spend = e.notional.add(e.fee);
        expect([t, r, spend.lte(t)]).toEqual([t, r, true]);
        expect([t, r, dec(t).sub(spend).lt('0.00000002')]).toEqual([t, r, true]);
        expect(e.fee.toFixed()).toBe(e.notional.mul(r).toDecimalPlaces(8, 0).toFixed());
        expect(e.notional.decimalPlaces()).toBeLessThanOrEqual(8);
      }
    }
  });

  it('finds the largest notional for a total directly', () => {
    expect(notionalForTotal(dec('100'), rate).toFixed()).toBe('99.9000999');
    expect(notionalForTotal(dec('0.00000001'), rate).toFixed()).toBe('0');
    expect(notionalForTotal(dec('50'), dec('0')).toFixed()).toBe('50');
  });

  it('sells by quote amount as the USD value sold: the fee comes out of it, the quantity rounds up', () => {
    const e = priceExecution('sell', dec('3'), rate, { quoteAmount: dec('10') });
    expect(e.notional.toFixed()).toBe('10');
    expect(e.fee.toFixed()).toBe('0.01');
    expect(e.quantity.toFixed()).toBe('3.333333333333333334');
  });

  it('keeps huge notionals exact', () => {
    const e = priceExecution('buy', dec('104250'), rate, { quantity: dec('123456789.123456789') });
    expect(e.notional.toFixed()).toBe('12870370266120.37025325');
    expect(e.fee.toFixed()).toBe('12870370266.12037026');
  });

  it('reserves notional and fee at the order price for a resting buy', () => {
    expect(buyReservation(dec('0.5'), dec('100'), rate).toFixed()).toBe('50.05');
  });

  it('fires limit buys and stop sells on a falling price, limit sells and stop buys on a rising one', () => {
    expect(firesWhen('buy', 'limit')).toBe('at-or-below');
    expect(firesWhen('sell', 'stop')).toBe('at-or-below');
    expect(firesWhen('sell', 'limit')).toBe('at-or-above');
    expect(firesWhen('buy', 'stop')).toBe('at-or-above');
  });
});

describe('order shapes', () => {
  const dto = (o: Partial<CreateOrderDto>): CreateOrderDto => Object.assign(new CreateOrderDto(), { symbol: 'BTC', side: 'buy', type: 'market', ...o });

  it('accepts a market order with exactly one of quantity or quoteAmount', () => {
    expect(orderShapeProblems(dto({ quantity: '1' }))).toEqual([]);
    expect(orderShapeProblems(dto({ quoteAmount: '10' }))).toEqual([]);
    expect(orderShapeProblems(dto({}))).toEqual([{ field: 'quantity', message: 'Enter a quantity or an amount in USD' }]);
    expect(orderShapeProblems(dto({ quantity: '1', quoteAmount: '10' }))).toEqual([
      { field: 'quantity', message: 'Enter a quantity or an amount in USD, not both' },
    ]);
  });

  it('refuses a client price on a market order', () => {
    expect(orderShapeProblems(dto({ quantity: '1', limitPrice: '1' }))).toEqual([
      { field: 'limitPrice', message: 'Leave out a limit price: it is only for limit orders' },
    ]);
  });

  it('sizes limit and stop orders by a quantity or a USD amount, with the matching price', () => {
    expect(orderShapeProblems(dto({ type: 'limit', quantity: '1', limitPrice: '5' }))).toEqual([]);
    expect(orderShapeProblems(dto({ type: 'stop', quantity: '1', stopPrice: '5' }))).toEqual([]);
    expect(orderShapeProblems(dto({ type: 'limit', quoteAmount: '10', limitPrice: '5' }))).toEqual([]);
    expect(orderShapeProblems(dto({ type: 'stop', side: 'sell', quoteAmount: '10', stopPrice: '5' }))).toEqual([]);
    expect(orderShapeProblems(dto({ type: 'limit', quoteAmount: '10', stopPrice: '5' })).map((p) => p.field)).toEqual(['limitPrice', 'stopPrice']);
    expect(orderShapeProblems(dto({ type: 'stop', quantity: '1', quoteAmount: '10', stopPrice: '5' }))).toEqual([
      { field: 'quantity', message: 'Enter a quantity or an amount in USD, not both' },
    ]);
    expect(orderShapeProblems(dto({ type: 'stop', stopPrice: '5' }))).toEqual([{ field: 'quantity', message: 'Enter a quantity or an amount in USD' }]);
  });
});

describe('resting orders by USD amount', () => {
  it('converts a limit buy at its limit price, fee included, rounded down to the asset decimals, and holds no more than the amount', () => {
    const q = quantityForAmount('buy', dec('100000'), rate, dec('1000'), 8);
    expect(q.toFixed()).toBe('0.00999'); // notional 999.000999 ÷ 100,000 = 0.00999000999 → 0.00999000
    expect(buyReservation(q, dec('100000'), rate).toFixed()).toBe('999.999');
  });

  it('never holds more than the amount of a limit buy, whatever the amount, price, rate and decimals', () => {
    for (const amount of ['1', '1.00000001', '99.99', '1000', '5000', '123456.78901234']) {
      for (const price of ['0.0001234', '0.3', '3870.25', '99999.99999999', '104250']) {
        for (const r of ['0', '0.001', '0.0025', '0.015']) {
          for (const decimals of [0, 2, 8, 18]) {
            const q = quantityForAmount('buy', dec(price), dec(r), dec(amount), decimals);
            expect([amount, price, r, decimals, buyReservation(q, dec(price), dec(r)).lte(amount)]).toEqual([amount, price, r, decimals, true]);
            expect(q.decimalPlaces()).toBeLessThanOrEqual(decimals);
          }
        }
      }
    }
  });

  it('converts a sell at its own price, rounded down: it never sells more than the amount at that price', () => {
    expect(quantityForAmount('sell', dec('110000'), rate, dec('1000'), 8).toFixed()).toBe('0.0090909');
    expect(quantityForAmount('sell', dec('95000'), rate, dec('950'), 8).toFixed()).toBe('0.01');
    expect(quantityForAmount('sell', dec('3'), rate, dec('10'), 0).toFixed()).toBe('3');
  });

  it('is zero when the amount does not reach one step of the asset', () => {
    expect(quantityForAmount('buy', dec('100000'), rate, dec('0.0005'), 8).toFixed()).toBe('0');
  });
});
