import { requestHash } from './idempotency.service';

describe('idempotency request hash', () => {
  it('is the same for the same body whatever the key order', () => {
    expect(requestHash('orders.create', { symbol: 'BTC', side: 'buy', quantity: '1' })).toBe(
      requestHash('orders.create', { quantity: '1', side: 'buy', symbol: 'BTC' }),
    );
  });

  it('differs for another amount or another endpoint', () => {
    const base = requestHash('orders.create', { symbol: 'BTC', quantity: '1' });
    expect(requestHash('orders.create', { symbol: 'BTC', quantity: '1.0' })).not.toBe(base);
    expect(requestHash('wallet.withdraw', { symbol: 'BTC', quantity: '1' })).not.toBe(base);
  });
});
