import { dec } from '../../../common/money/decimal';
import { MARKET_SNAPSHOT } from '../../market-snapshot';
import type { SourceQuote } from './price-source';
import { SimulatedSource, simulatedHistory } from './simulated.source';

const SYMBOLS = Object.keys(MARKET_SNAPSHOT);

function collect(source: SimulatedSource): SourceQuote[][] {
  const batches: SourceQuote[][] = [];
  source.start({ quotes: (b) => batches.push(b), error: () => undefined, down: () => undefined });
  return batches;
}

describe('SimulatedSource', () => {
  afterEach(() => jest.useRealTimers());

  it('with volatility 0 quotes every asset exactly at the bundled snapshot, tick after tick', async () => {
    jest.useFakeTimers();
    const source = new SimulatedSource(SYMBOLS, { tickMs: 1_000, volatility: 0 });
    const batches = collect(source);
    jest.advanceTimersByTime(5_000);
    await source.stop();
    expect(batches).toHaveLength(6);
    for (const batch of batches) {
      for (const q of batch) {
        expect(dec(q.price).eq(MARKET_SNAPSHOT[q.symbol].price)).toBe(true);
        expect(dec(q.change24h).eq(MARKET_SNAPSHOT[q.symbol].change24h)).toBe(true);
      }
    }
    expect(batches[0].find((q) => q.symbol === 'BTC')!.price).toBe('104250.00000000');
  });

  it('produces the same path for the same seed and a different one for another seed', () => {
    const path = (seed: number) => {
      const s = new SimulatedSource(['BTC', 'ETH'], { tickMs: 1_000, volatility: 0.8, seed });
      for (let i = 0; i < 50; i++) s.step();
      return s.quotes().map((q) => q.price);
    };
    expect(path(42)).toEqual(path(42));
    expect(path(42)).not.toEqual(path(43));
  });

  it('moves prices by a plausible amount per tick and keeps them positive', () => {
    const s = new SimulatedSource(SYMBOLS, { tickMs: 1_000, volatility: 0.8, seed: 7 });
    for (let i = 0; i < 3_600; i++) s.step();
    for (const q of s.quotes()) {
      const ratio = dec(q.price).div(MARKET_SNAPSHOT[q.symbol].price);
      // An hour at 80 % annual volatility: a few percent, never a crash to zero.
      expect(ratio.gt(0.8) && ratio.lt(1.25)).toBe(true);
      expect(dec(q.high24h!).gte(q.price)).toBe(true);
      expect(dec(q.low24h!).lte(q.price)).toBe(true);
    }
  });

  it('backfills a history that ends at the live price, candle by candle', () => {
    const end = Date.UTC(2026, 10, 28, 12);
    const candles = simulatedHistory('ETH', '3870.25', end - 86_400_000, end, 3_600, 0.6, 1);
    expect(candles).toHaveLength(24);
    expect(candles[23].close).toBe('3870.25000000');
    for (let i = 1; i < candles.length; i++) expect(candles[i].open).toBe(candles[i - 1].close);
    for (const c of candles) {
      expect(dec(c.high).gte(dec(c.open).gt(c.close) ? c.open : c.close)).toBe(true);
      expect(dec(c.low).lte(dec(c.open).lt(c.close) ? c.open : c.close)).toBe(true);
    }
  });

  it('draws each backfilled candle from its distance to the end: a longer range only adds older candles', () => {
    const end = Date.UTC(2026, 10, 28, 12);
    const day = simulatedHistory('BTC', '104250.00', end - 86_400_000, end, 300, 0.6, 11);
    const longer = simulatedHistory('BTC', '104250.00', end - 86_400_000 - 3_600_000, end, 300, 0.6, 11);
    expect(longer).toHaveLength(day.length + 12);
    expect(longer.slice(12)).toEqual(day);
    expect(simulatedHistory('BTC', '104250.00', end - 86_400_000, end, 300, 0.6, 11)).toEqual(day);
  });
});
