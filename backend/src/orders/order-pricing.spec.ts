import { dec } from '../common/money/decimal';
import { CreateOrderDto } from './dto/order.dto';
import { buyReservation, firesWhen, priceExecution } from './order-pricing';
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

  it('buys by quote amount: the notional is exactly what was asked and the quantity rounds down', () => {
    const e = priceExecution('buy', dec('3'), rate, { quoteAmount: dec('10') });
    expect(e.notional.toFixed()).toBe('10');
    expect(e.quantity.toFixed()).toBe('3.333333333333333333');
    expect(e.fee.toFixed()).toBe('0.01');
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
    expect(orderShapeProblems(dto({}))).toHaveLength(1);
    expect(orderShapeProblems(dto({ quantity: '1', quoteAmount: '10' }))).toHaveLength(1);
  });

  it('refuses a client price on a market order', () => {
    expect(orderShapeProblems(dto({ quantity: '1', limitPrice: '1' }))).toEqual([{ field: 'limitPrice', message: 'limitPrice is only for limit orders' }]);
  });

  it('needs quantity and the matching price on limit and stop orders', () => {
    expect(orderShapeProblems(dto({ type: 'limit', quantity: '1', limitPrice: '5' }))).toEqual([]);
    expect(orderShapeProblems(dto({ type: 'stop', quantity: '1', stopPrice: '5' }))).toEqual([]);
    expect(orderShapeProblems(dto({ type: 'limit', quoteAmount: '10', stopPrice: '5' })).map((p) => p.field)).toEqual([
      'quantity',
      'quoteAmount',
      'limitPrice',
      'stopPrice',
    ]);
  });
});
