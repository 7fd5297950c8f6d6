import type { Quote } from '../common/market/market-quotes';
import { fireBatchSize, foldQuotes, measureOf } from './trigger-engine';

const quote = (symbol: string, price: string, change24h = '0'): Quote => ({ symbol, price, change24h, timestamp: new Date(), source: 'test' });

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

  it('folds by the 24 h change for triggers that are levels of it (alerts on a 24 h move), whatever the prices did', () => {
    const ranges = new Map<string, { latest: Quote; high: Quote; low: Quote }>();
    foldQuotes(ranges, [quote('BTC', '100', '1.5'), quote('BTC', '120', '-0.5'), quote('BTC', '90', '6.25'), quote('BTC', '95', '2')], 'change24h');
    const btc = ranges.get('BTC')!;
    expect([btc.latest.change24h, btc.high.change24h, btc.low.change24h]).toEqual(['2', '6.25', '-0.5']);
    expect([measureOf(btc.high, 'change24h'), measureOf(btc.high), measureOf(btc.low, 'price')]).toEqual(['6.25', '90', '120']);
  });
});

describe('fireBatchSize (how many crossed resting orders one transaction fills)', () => {
  const split = (count: number, size: number): number[] => Array.from({ length: Math.ceil(count / size) }, (_, i) => Math.min(size, count - i * size));

  it('fills a few crossed at once in one transaction, up to the minimum batch', () => {
    expect(split(5, fireBatchSize(5, 8, 16, 100))).toEqual([5]);
    expect(split(16, fireBatchSize(16, 8, 16, 100))).toEqual([16]);
    expect(split(1, fireBatchSize(1, 8, 16, 100))).toEqual([1]);
  });

  it('splits more into batches fired side by side, none over the maximum', () => {
    expect(split(40, fireBatchSize(40, 8, 16, 100))).toEqual([16, 16, 8]);
    expect(split(1_000, fireBatchSize(1_000, 8, 16, 100))).toEqual(Array(10).fill(100));
    expect(split(400, fireBatchSize(400, 8, 16, 100))).toEqual(Array(8).fill(50));
  });

  it('keeps one per transaction when told to, and never exceeds a maximum below the minimum', () => {
    expect(split(5, fireBatchSize(5, 8, 1, 100))).toEqual([1, 1, 1, 1, 1]);
    expect(split(10, fireBatchSize(10, 8, 16, 4))).toEqual([4, 4, 2]);
    expect(fireBatchSize(0, 8, 16, 100)).toBeGreaterThanOrEqual(1);
  });
});
