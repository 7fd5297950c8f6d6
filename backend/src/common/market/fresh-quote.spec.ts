import { AppError } from '../errors/app-error';
import { dec } from '../money/decimal';
import { freshPrice, freshUsdValue } from './fresh-quote';
import type { MarketQuotes, Quote } from './market-quotes';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const quotes = (q: Partial<Record<string, Quote>>): MarketQuotes =>
  ({ latest: (s: string) => q[s], all: () => [], isKnown: () => true, isLeader: () => true }) as MarketQuotes;
const quote = (price: string, ageMs: number): Quote => ({ symbol: 'BTC', price, change24h: '0', timestamp: new Date(NOW - ageMs), source: 'test' });

function refusal(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a refusal');
}

describe('fresh quotes', () => {
  it('prices with a quote no older than the limit', () => {
    expect(freshPrice(quotes({ BTC: quote('104250.5', 30_000) }), 'BTC', 30_000, NOW).toFixed()).toBe('104250.5');
  });

  it('refuses an old or absent quote with 422 PRICE_STALE', () => {
    for (const q of [quotes({ BTC: quote('104250', 30_001) }), quotes({})]) {
      const e = refusal(() => freshPrice(q, 'BTC', 30_000, NOW));
      expect([e.status, e.code]).toEqual([422, 'PRICE_STALE']);
    }
    const invalid = refusal(() => freshPrice(quotes({ BTC: { ...quote('1', 0), timestamp: new Date('garbage') } }), 'BTC', 30_000, NOW));
    expect(invalid.code).toBe('PRICE_STALE');
  });

  it('values USD as itself and other assets at the fresh price', () => {
    expect(freshUsdValue(quotes({}), 'USD', dec('12.5'), 1_000).toFixed()).toBe('12.5');
    expect(freshUsdValue(quotes({ BTC: quote('100000', NOW - Date.now()) }), 'BTC', dec('0.0006'), 1_000).toFixed()).toBe('60');
  });
});
