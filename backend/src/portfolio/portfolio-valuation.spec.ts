import { dec } from '../common/money/decimal';
import { valuePortfolio } from './portfolio-valuation';

const at = new Date('2026-11-28T12:00:00Z');

describe('valuePortfolio', () => {
  it('values holdings at their quotes with average-cost P&L, allocation and a 24 h change', () => {
    const p = valuePortfolio(
      dec('1000'),
      [
        {
          symbol: 'BTC',
          name: 'Bitcoin',
          amount: dec('0.5'),
          avgCost: dec('40000'),
          source: 'account',
          quote: { price: dec('50000'), change24h: dec('25'), timestamp: at },
        },
        { symbol: 'ETH', name: 'Ethereum', amount: dec('2'), source: 'tracked', quote: { price: dec('3000'), change24h: dec('0'), timestamp: at } },
      ],
      dec('12.5'),
    );
    expect(p).toMatchObject({
      totalValue: '32000.00',
      cash: '1000.00',
      invested: '20000.00',
      unrealizedPnl: '5000.00',
      unrealizedPnlPct: '25.00',
      realizedPnl: '12.50',
      change24h: '5000.00',
      pricesAsOf: at.toISOString(),
    });
    expect(p.holdings.map((h) => [h.symbol, h.value, h.pnl, h.allocation, h.source])).toEqual([
      ['BTC', '25000.00', '5000.00', '78.12', 'account'], // 78.125 rounds half-even,
      ['ETH', '6000.00', null, '18.75', 'tracked'],
    ]);
  });

  it('shows an unquoted holding with a zero value instead of inventing a price', () => {
    const p = valuePortfolio(dec('0'), [{ symbol: 'XYZ', name: 'XYZ', amount: dec('3'), source: 'account' }], dec('0'));
    expect(p.holdings[0]).toMatchObject({ currentPrice: null, value: '0.00', allocation: '0.00' });
    expect(p.totalValue).toBe('0.00');
  });
});
