import type { OrderDto } from './dto/order.dto';
import { orderClosedNotification } from './order-notifications';

const order = (over: Partial<OrderDto>): OrderDto => ({
  id: 'o1',
  symbol: 'BTC',
  side: 'buy',
  type: 'limit',
  status: 'open',
  quantity: '0.00100000',
  quoteAmount: null,
  limitPrice: '100000.00',
  stopPrice: null,
  filledPrice: null,
  fee: null,
  feeAsset: 'USD',
  createdAt: '2026-11-28T19:00:00.000Z',
  filledAt: null,
  sizedBy: 'quantity',
  reservedAsset: null,
  reservedAmount: null,
  ...over,
});

describe('orderClosedNotification', () => {
  it('tells the owner a filled order’s price and carries the order', () => {
    const n = orderClosedNotification(order({ status: 'filled', filledPrice: '99000.00', quoteAmount: '99.00', fee: '0.099' }))!;
    expect(n).toMatchObject({
      type: 'order_filled',
      title: 'Your limit buy of BTC filled',
      body: 'Your limit buy of 0.001 BTC filled at $99,000.00 for $99.00 (fee $0.10).',
    });
    expect(n.data).toEqual({ order: expect.objectContaining({ id: 'o1', status: 'filled' }) });
  });

  it('writes amounts as a person would: grouped dollars, trimmed quantities, no raw decimals', () => {
    const n = orderClosedNotification(
      order({ side: 'sell', quantity: '0.009607329703437802', status: 'filled', filledPrice: '104087.19497179', quoteAmount: '1000.00', fee: '1.00' }),
    )!;
    expect(n.body).toBe('Your limit sell of ≈0.00960732 BTC filled at $104,087.19 for $1,000.00 (fee $1.00).');
  });

  it('reports a rejection at the trigger as a cancellation with the reason', () => {
    const n = orderClosedNotification(order({ type: 'stop', status: 'rejected' }))!;
    expect(n).toMatchObject({ type: 'order_cancelled', data: { reason: 'rejected' } });
    expect(n.body).toMatch(/^Your stop buy of 0\.001 BTC reached its trigger/);
  });

  it('says nothing for an order that is still open', () => {
    expect(orderClosedNotification(order({}))).toBeUndefined();
  });
});
