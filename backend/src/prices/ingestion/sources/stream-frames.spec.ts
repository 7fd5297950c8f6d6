import type { Quote } from '../../../common/market/market-quotes';
import { BinanceSource } from './binance.source';
import { CoinCapSource } from './coincap.source';
import type { SourceAsset } from './price-source';

const ASSETS: SourceAsset[] = [
  { symbol: 'BTC', coingeckoId: 'bitcoin', coincapId: 'bitcoin', binanceSymbol: 'BTCUSDT' },
  { symbol: 'ETH', coingeckoId: 'ethereum', coincapId: 'ethereum', binanceSymbol: 'ETHUSDT' },
  { symbol: 'USDT', coingeckoId: 'tether', coincapId: 'tether', binanceSymbol: null },
];
const at = new Date('2026-11-28T12:00:00Z');

describe('BinanceSource frames', () => {
  const source = new BinanceSource('wss://stream.binance.com:9443', ASSETS, 15_000);

  it('turns a 24hrMiniTicker frame into a quote with the 24h change from open to close', () => {
    const frame = JSON.stringify({
      stream: 'btcusdt@miniTicker',
      data: {
        e: '24hrMiniTicker',
        E: 1_764_331_200_000,
        s: 'BTCUSDT',
        c: '105000.00',
        o: '100000.00',
        h: '106000.00',
        l: '99000.00',
        v: '1234.5',
        q: '129000000.50',
      },
    });
    expect(source.parse(frame, at)).toEqual([
      {
        symbol: 'BTC',
        price: '105000.00000000',
        change24h: '5.0000',
        volume24h: '129000000.50',
        high24h: '106000.00000000',
        low24h: '99000.00000000',
        marketCap: null,
        timestamp: new Date(1_764_331_200_000),
      },
    ]);
  });

  it('ignores subscription replies and pairs outside the catalogue', () => {
    expect(source.parse('{"result":null,"id":1}', at)).toBe('ignore');
    expect(
      source.parse(JSON.stringify({ stream: 'shibusdt@miniTicker', data: { e: '24hrMiniTicker', s: 'SHIBUSDT', c: '1', o: '1', h: '1', l: '1', q: '1' } }), at),
    ).toBe('ignore');
  });

  it('reports truncated JSON, non-decimal and non-positive prices as malformed', () => {
    expect(source.parse('{"stream":"btcusdt@miniTicker","data":{', at)).toEqual({ malformed: 'not JSON' });
    expect(
      source.parse(JSON.stringify({ stream: 'btcusdt@miniTicker', data: { e: '24hrMiniTicker', s: 'BTCUSDT', c: 'NaN', o: '1', h: '1', l: '1', q: '1' } }), at),
    ).toEqual({ malformed: 'field c of BTCUSDT is not a decimal' });
    expect(
      source.parse(JSON.stringify({ stream: 'btcusdt@miniTicker', data: { e: '24hrMiniTicker', s: 'BTCUSDT', c: '0', o: '1', h: '1', l: '1', q: '1' } }), at),
    ).toEqual({ malformed: 'non-positive price for BTCUSDT' });
  });
});

describe('CoinCapSource frames', () => {
  const reference = (symbol: string): Quote | undefined =>
    symbol === 'BTC' ? { symbol, price: '110000', change24h: '10', timestamp: at, source: 'coingecko' } : undefined;

  it('quotes each known asset of a prices frame and measures the 24h change against the reference open', () => {
    const source = new CoinCapSource('wss://ws.coincap.io/prices', ASSETS, 15_000, reference);
    const quotes = source.parse('{"bitcoin":"105000.00","ethereum":"3900.5","unknowncoin":"1"}', at);
    expect(quotes).toEqual([
      // Reference: 110000 after +10 % → open 100000; 105000 is +5 %.
      { symbol: 'BTC', price: '105000.00000000', change24h: '5.0000', volume24h: null, high24h: null, low24h: null, marketCap: null, timestamp: at },
      { symbol: 'ETH', price: '3900.50000000', change24h: '0.0000', volume24h: null, high24h: null, low24h: null, marketCap: null, timestamp: at },
    ]);
  });

  it('reports numbers, negative prices and non-objects as malformed', () => {
    const source = new CoinCapSource('wss://ws.coincap.io/prices', ASSETS, 15_000, reference);
    expect(source.parse('{"bitcoin":6929.82}', at)).toEqual({ malformed: 'price of bitcoin is not a positive decimal' });
    expect(source.parse('{"bitcoin":"-1"}', at)).toEqual({ malformed: 'price of bitcoin is not a positive decimal' });
    expect(source.parse('["bitcoin"]', at)).toEqual({ malformed: 'not an object of prices' });
    expect(source.parse('{"unknowncoin":"1"}', at)).toBe('ignore');
  });
});
