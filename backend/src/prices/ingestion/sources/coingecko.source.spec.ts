import { CoinGeckoClient, parseRetryAfter, type CoinGeckoMarketRow } from './coingecko.client';
import { CoinGeckoSource } from './coingecko.source';

const row = (over: Partial<CoinGeckoMarketRow>): CoinGeckoMarketRow => ({
  id: 'bitcoin',
  symbol: 'btc',
  name: 'Bitcoin',
  current_price: 104250.5,
  market_cap: 2_081_351_250_000,
  total_volume: 38_412_000_000,
  high_24h: 105120,
  low_24h: 101980,
  price_change_percentage_24h: -1.23456,
  ...over,
});

describe('CoinGeckoSource', () => {
  const source = new CoinGeckoSource(
    new CoinGeckoClient({ baseUrl: 'http://127.0.0.1:9', plan: 'demo', timeoutMs: 1_000 }),
    [{ symbol: 'BTC', coingeckoId: 'bitcoin', coincapId: null, binanceSymbol: null }],
    15_000,
    15_000,
  );
  const at = new Date('2026-11-28T12:00:00Z');

  it('maps /coins/markets rows to decimal-string quotes stamped with the fetch time', () => {
    expect(source.toQuotes([row({})], at)).toEqual([
      {
        symbol: 'BTC',
        price: '104250.50000000',
        change24h: '-1.2345',
        volume24h: '38412000000.00',
        high24h: '105120.00000000',
        low24h: '101980.00000000',
        marketCap: '2081351250000.00',
        timestamp: at,
      },
    ]);
  });

  it('skips coins outside the catalogue and rows without a usable price', () => {
    expect(source.toQuotes([row({ id: 'shiba-inu' }), row({ current_price: null }), row({ current_price: 0 })], at)).toEqual([]);
  });

  it('waits at least 2.5 polls before calling a slow poller silent', () => {
    expect(new CoinGeckoSource(new CoinGeckoClient({ baseUrl: 'http://x', plan: 'demo', timeoutMs: 1 }), [], 20_000, 15_000).silenceMs).toBe(50_000);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2_000);
    expect(parseRetryAfter('Sat, 28 Nov 2026 12:00:30 GMT', Date.parse('2026-11-28T12:00:00Z'))).toBe(30_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
