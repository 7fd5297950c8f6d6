import type { Quote } from '../common/market/market-quotes';
import { foldQuotes } from './trigger-engine';

const quote = (symbol: string, price: string): Quote => ({ symbol, price, change24h: '0', timestamp: new Date(), source: 'test' });

describe('foldQuotes (ticks that piled up while the engine was busy)', () => {
  it('keeps, per symbol, the latest, the highest and the lowest price', () => {
    const ranges = new Map<string, { latest: Quote; high: Quote; low: Quote }>();
    foldQuotes(ranges, [quote('BTC', '100'), quote('ETH', '10')]);
    foldQuotes(ranges, [quote('BTC', '120.5')]);
    foldQuotes(ranges, [quote('BTC', '99.99'), quote('BTC', '110')]);
    const btc = ranges.get('BTC')!;
    expect([btc.latest.price, btc.high.price, btc.low.price]).toEqual(['110', '120.5', '99.99']);
    const eth = ranges.get('ETH')!;
    expect([eth.latest.price, eth.high.price, eth.low.price]).toEqual(['10', '10', '10']);
  });
});
