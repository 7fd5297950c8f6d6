import type { Quote } from '../common/market/market-quotes';
import type { CandleRow } from './candles/candles.service';
import { simulatedStats, withLiveClose } from './prices.service';

const quote = (price: string, at = '2026-11-28T12:03:20.000Z'): Quote => ({
  symbol: 'BTC',
  price,
  change24h: '0.0000',
  timestamp: new Date(at),
  source: 'simulated',
});
const candle = (time: string, open: string, high: string, low: string, close: string): CandleRow => ({
  time: new Date(time),
  open,
  high,
  low,
  close,
  volume: '1.00',
});
const FACTS = { ath: '126080.00000000', athDate: '2025-10-06T18:57:42.558Z' };

describe('simulatedStats (the figures beside a simulated chart)', () => {
  it('takes the 24 h high and low from the last day of candles and the live price', () => {
    expect(simulatedStats(quote('104250'), { high: '106000.5', low: '103000' }, FACTS)).toEqual({
      high24h: '106000.50000000',
      low24h: '103000.00000000',
      ath: '126080.00000000',
      athDate: '2025-10-06T18:57:42.558Z',
    });
    // A live price beyond the candles is an extreme itself; no candles at all: the price is both.
    expect(simulatedStats(quote('107000'), { high: '106000.5', low: '103000' }, FACTS)).toMatchObject({
      high24h: '107000.00000000',
      low24h: '103000.00000000',
    });
    expect(simulatedStats(quote('104250'), { high: null, low: null }, FACTS)).toMatchObject({ high24h: '104250.00000000', low24h: '104250.00000000' });
  });

  it('keeps the bundled all-time high unless a recorded candle or the live price went higher, then dates it there', () => {
    const below = { price: '125000.00000000', at: new Date('2026-03-01T00:00:00.000Z') };
    expect(simulatedStats(quote('104250'), { high: '105000', low: '104000' }, FACTS, below)).toMatchObject(FACTS);
    const above = { price: '171576.20120310', at: new Date('2026-03-01T00:00:00.000Z') };
    expect(simulatedStats(quote('104250'), { high: '105000', low: '104000' }, FACTS, above)).toMatchObject({
      ath: '171576.20120310',
      athDate: '2026-03-01T00:00:00.000Z',
    });
    expect(simulatedStats(quote('130000'), { high: '105000', low: '104000' }, FACTS, below)).toMatchObject({
      ath: '130000.00000000',
      athDate: '2026-11-28T12:03:20.000Z',
    });
    expect(simulatedStats(quote('2'), { high: '3', low: '1' }, { ath: null, athDate: null })).toMatchObject({ ath: '3.00000000' });
  });
});

describe('withLiveClose (the live price closes the chart)', () => {
  const from = new Date('2026-11-28T11:00:00.000Z');
  const to = new Date('2026-11-28T13:00:00.000Z');
  const rows = [candle('2026-11-28T12:00:00.000Z', '100.00000000', '101.00000000', '99.00000000', '100.50000000')];

  it('closes the candle of its interval at the live price, widening its high or low', () => {
    expect(withLiveClose(rows, quote('102'), 300_000, from, to)).toEqual([{ ...rows[0], high: '102.00000000', close: '102.00000000' }]);
    expect(withLiveClose(rows, quote('100.25'), 300_000, from, to)).toEqual([{ ...rows[0], close: '100.25000000' }]);
  });

  it('opens the candle of a new interval at the last close when none is written yet', () => {
    expect(withLiveClose(rows, quote('98', '2026-11-28T12:07:00.000Z'), 300_000, from, to)).toEqual([
      rows[0],
      { ...candle('2026-11-28T12:05:00.000Z', '100.50000000', '100.50000000', '98.00000000', '98.00000000'), volume: '0.00' },
    ]);
  });

  it('leaves a range that ends before the quote, or a quote older than the last candle, as it is', () => {
    expect(withLiveClose(rows, quote('98', '2026-11-28T13:00:00.000Z'), 300_000, from, to)).toBe(rows);
    expect(withLiveClose(rows, quote('98', '2026-11-28T11:50:00.000Z'), 300_000, from, to)).toBe(rows);
    expect(withLiveClose(rows, undefined, 300_000, from, to)).toBe(rows);
  });
});
