import { dec } from '../../../common/money/decimal';
import { amount, percent, usd, type SourceAsset, type SourceQuote } from './price-source';
import { WebSocketSource, type FrameResult } from './websocket.source';

const DECIMAL = /^\d+(\.\d+)?$/;

interface MiniTicker {
  e: string;
  E: number;
  s: string;
  c: string;
  o: string;
  h: string;
  l: string;
  v: string;
  q: string;
}

/**
 * Binance spot mini-ticker streams, combined:
 * `/stream?streams=btcusdt@miniTicker/ethusdt@miniTicker`, each frame
 * `{"stream":"btcusdt@miniTicker","data":{"e":"24hrMiniTicker","E":…,"s":"BTCUSDT","c":…,"o":…,"h":…,"l":…,"v":…,"q":…}}`.
 * Prices are in USDT, taken as USD; USDT itself has no pair, so another
 * source quotes it. Volume is the 24h quote-asset (USDT) volume.
 */
export class BinanceSource extends WebSocketSource {
  readonly name = 'binance' as const;
  private readonly byPair: Map<string, string>;

  constructor(
    private readonly baseUrl: string,
    assets: SourceAsset[],
    silenceMs: number,
  ) {
    super(silenceMs);
    this.byPair = new Map(assets.filter((a) => a.binanceSymbol).map((a) => [(a.binanceSymbol as string).toUpperCase(), a.symbol]));
  }

  protected url(): string {
    const streams = [...this.byPair.keys()].map((p) => `${p.toLowerCase()}@miniTicker`).join('/');
    return `${this.baseUrl.replace(/\/+$/, '')}/stream?streams=${streams}`;
  }

  parse(text: string, receivedAt: Date): FrameResult {
    let body: { stream?: unknown; data?: Partial<MiniTicker> };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      return { malformed: 'not JSON' };
    }
    if (typeof body !== 'object' || body === null) return { malformed: 'not an object' };
    const d = body.data;
    // Replies to SUBSCRIBE/LIST requests ({"result":null,"id":1}) and other events are not prices.
    if (!d || typeof d !== 'object' || d.e !== '24hrMiniTicker')
      return typeof body.stream === 'string' && !d ? { malformed: 'stream frame without data' } : 'ignore';
    const symbol = typeof d.s === 'string' ? this.byPair.get(d.s) : undefined;
    if (!symbol) return 'ignore';
    for (const k of ['c', 'o', 'h', 'l', 'q'] as const)
      if (typeof d[k] !== 'string' || !DECIMAL.test(d[k] as string)) return { malformed: `field ${k} of ${d.s} is not a decimal` };
    const close = dec(d.c as string);
    const open = dec(d.o as string);
    if (close.lte(0) || open.lte(0)) return { malformed: `non-positive price for ${d.s}` };
    const quote: SourceQuote = {
      symbol,
      price: usd(close),
      change24h: percent(close.div(open).minus(1).times(100)),
      volume24h: amount(d.q as string),
      high24h: usd(d.h as string),
      low24h: usd(d.l as string),
      marketCap: null,
      timestamp: typeof d.E === 'number' && Number.isFinite(d.E) ? new Date(d.E) : receivedAt,
    };
    return [quote];
  }
}
