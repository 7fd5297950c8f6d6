import type { Quote } from '../common/market/market-quotes';
import { ArmedAlert, ArmedAlertIndex, foldQuotes, QuoteRange, reachesTarget } from './alert-rules';

const alert = (id: string, symbol: string, condition: 'above' | 'below', targetPrice: string): ArmedAlert => ({ id, userId: 'u1', symbol, condition, targetPrice });

describe('alert crossing rules', () => {
  it('fires an "above" alert when the price reaches or passes the target, not below it', () => {
    expect(reachesTarget('above', '70000', '69999.99999999')).toBe(false);
    expect(reachesTarget('above', '70000', '70000.00')).toBe(true);
    expect(reachesTarget('above', '70000', '70000.01')).toBe(true);
  });

  it('fires a "below" alert when the price falls to or under the target, not above it', () => {
    expect(reachesTarget('below', '0.25', '0.25000001')).toBe(false);
    expect(reachesTarget('below', '0.25', '0.25')).toBe(true);
    expect(reachesTarget('below', '0.25', '0.1')).toBe(true);
  });
});

describe('ArmedAlertIndex', () => {
  it('finds exactly the alerts a tick reaches, on both sides, and only for that symbol', () => {
    const index = new ArmedAlertIndex();
    index.replaceAll([
      alert('a1', 'BTC', 'above', '60000'),
      alert('a2', 'BTC', 'above', '70000'),
      alert('a3', 'BTC', 'above', '80000'),
      alert('b1', 'BTC', 'below', '50000'),
      alert('b2', 'BTC', 'below', '65000'),
      alert('e1', 'ETH', 'above', '1'),
    ]);
    const ids = (price: string) => index.reachedBy('BTC', price).map((a) => a.id).sort();
    expect(ids('70000')).toEqual(['a1', 'a2']);
    expect(ids('64000')).toEqual(['a1', 'b2']);
    expect(ids('40000')).toEqual(['b1', 'b2']);
    expect(ids('55000')).toEqual(['b2']);
    expect(index.reachedBy('SOL', '100')).toEqual([]);
    expect(index.reachedBy('ETH', '1').map((a) => a.userId)).toEqual(['u1']);
  });

  it('forgets a removed alert and moves an updated one to its new target and side', () => {
    const index = new ArmedAlertIndex();
    index.upsert(alert('a', 'BTC', 'above', '60000'));
    index.upsert(alert('b', 'BTC', 'above', '61000'));
    expect(index.remove('a')).toBe(true);
    index.upsert(alert('b', 'BTC', 'below', '50000'));
    expect(index.reachedBy('BTC', '65000')).toEqual([]);
    expect(index.reachedBy('BTC', '49000').map((a) => a.id)).toEqual(['b']);
    expect(index.size).toBe(1);
  });

  it('compares targets as decimals, includes a target equal to the price, and keeps alerts at the same target apart', () => {
    const index = new ArmedAlertIndex();
    index.replaceAll([
      alert('nine', 'DOGE', 'above', '9'),
      alert('ten', 'DOGE', 'above', '10'),
      alert('tiny', 'DOGE', 'above', '0.30000000'),
      alert('tiny-twin', 'DOGE', 'above', '0.3'),
    ]);
    expect(index.reachedBy('DOGE', '9.5').map((a) => a.id).sort()).toEqual(['nine', 'tiny', 'tiny-twin']);
    expect(index.reachedBy('DOGE', '0.29999999')).toEqual([]);
    index.remove('tiny');
    expect(index.reachedBy('DOGE', '0.3').map((a) => a.id)).toEqual(['tiny-twin']);
  });

  it('moves an alert whose symbol changed out of the old symbol', () => {
    const index = new ArmedAlertIndex();
    index.upsert(alert('a', 'BTC', 'above', '10'));
    index.upsert(alert('a', 'ETH', 'above', '10'));
    expect(index.reachedBy('BTC', '100')).toEqual([]);
    expect(index.reachedBy('ETH', '100').map((a) => a.id)).toEqual(['a']);
  });
});

describe('foldQuotes', () => {
  const quote = (symbol: string, price: string): Quote => ({ symbol, price, change24h: '0', timestamp: new Date(), source: 'test' });

  it('keeps, per symbol, the highest and the lowest price of the ticks that piled up', () => {
    const ranges = new Map<string, QuoteRange>();
    foldQuotes(ranges, [quote('BTC', '100'), quote('ETH', '10')]);
    foldQuotes(ranges, [quote('BTC', '120.5')]);
    foldQuotes(ranges, [quote('BTC', '99.99'), quote('BTC', '110')]);
    expect(ranges.get('BTC')!.high.price).toBe('120.5');
    expect(ranges.get('BTC')!.low.price).toBe('99.99');
    expect([ranges.get('ETH')!.high.price, ranges.get('ETH')!.low.price]).toEqual(['10', '10']);
  });

  it('lets a spike that came and went fire the alerts it reached on either side', () => {
    const ranges = new Map<string, QuoteRange>();
    foldQuotes(ranges, [quote('BTC', '100'), quote('BTC', '130'), quote('BTC', '80'), quote('BTC', '100')]);
    const { high, low } = ranges.get('BTC')!;
    expect(reachesTarget('above', '125', high.price)).toBe(true);
    expect(reachesTarget('below', '85', low.price)).toBe(true);
  });
});
