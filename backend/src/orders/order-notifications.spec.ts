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
  ...over,
});

describe('orderClosedNotification', () => {
  it('tells the owner a filled order’s price and carries the order', () => {
    const n = orderClosedNotification(order({ status: 'filled', filledPrice: '99000.00' }))!;
    expect(n).toMatchObject({ type: 'order_filled', title: 'Your limit buy of BTC filled', body: 'Your limit buy of 0.001 BTC filled at 99000 USD.' });
    expect(n.data).toEqual({ order: expect.objectContaining({ id: 'o1', status: 'filled' }) });
  });

  it('reports a rejection at the trigger as a cancellation with the reason', () => {
    const n = orderClosedNotification(order({ type: 'stop', status: 'rejected' }))!;
    expect(n).toMatchObject({ type: 'order_cancelled', data: { reason: 'rejected' } });
  });

  it('says nothing for an order that is still open', () => {
    expect(orderClosedNotification(order({}))).toBeUndefined();
  });
});
