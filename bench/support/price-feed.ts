import { FakeBinance } from '../../e2e/support/fakes/binance';

/**
 * The price source of the trigger and soak benches: e2e's fake Binance combined stream
 * (e2e/support/fakes/binance.ts, the mini-ticker frames the app's BinanceSource parses), driven
 * from the bench instead of its own timer. `tick()` writes one frame per pair to the app's
 * connection at once and returns when that happened, so a bench can time what follows from
 * the moment the tick left the source. Between ticks a keepalive re-sends the current prices
 * once a second when nothing else was sent (as Binance pushes every second; without it the app
 * drops the source after PRICE_SOURCE_SILENCE_MS and its quotes go stale); a bench that ticks on
 * its own clock sets a longer keepalive so that the two never interleave.
 *
 * The app runs with PRICE_SOURCES=binance and BINANCE_WS_URL=feed.url: USDT has no Binance
 * pair, so it has no quote in these benches (nothing here trades it).
 */

/** Binance pair → the app's symbol, and the price each starts at. */
export const FEED_START: Record<string, { symbol: string; price: string }> = {
  BTCUSDT: { symbol: 'BTC', price: '100000' },
  ETHUSDT: { symbol: 'ETH', price: '4000' },
  XRPUSDT: { symbol: 'XRP', price: '2.4125' },
  BNBUSDT: { symbol: 'BNB', price: '712.3' },
  SOLUSDT: { symbol: 'SOL', price: '198.31' },
  USDCUSDT: { symbol: 'USDC', price: '0.9998' },
  DOGEUSDT: { symbol: 'DOGE', price: '0.21418' },
  ADAUSDT: { symbol: 'ADA', price: '0.8214' },
  LINKUSDT: { symbol: 'LINK', price: '19.84' },
  AVAXUSDT: { symbol: 'AVAX', price: '31.60' },
  XLMUSDT: { symbol: 'XLM', price: '0.3951' },
  LTCUSDT: { symbol: 'LTC', price: '104.68' },
  DOTUSDT: { symbol: 'DOT', price: '5.419' },
  UNIUSDT: { symbol: 'UNI', price: '11.19' },
  NEARUSDT: { symbol: 'NEAR', price: '4.119' },
  POLUSDT: { symbol: 'POL', price: '0.3179' },
  ATOMUSDT: { symbol: 'ATOM', price: '5.909' },
  ARBUSDT: { symbol: 'ARB', price: '0.6109' },
  OPUSDT: { symbol: 'OP', price: '1.1795' },
};

/** The app's symbols the feed quotes. */
export const FEED_SYMBOLS = Object.values(FEED_START).map((s) => s.symbol);

const PAIR_OF = new Map(Object.entries(FEED_START).map(([pair, s]) => [s.symbol, pair]));

export interface SentTick {
  /** performance.now() right before the first frame was written. */
  sentAt: number;
  /** The frames' event time `E` (ms since the epoch): the quotes' `timestamp` in the app and on /ws/prices. */
  eventTime: number;
}

export class PriceFeed {
  private readonly fake = new FakeBinance(3_600_000);
  private readonly prices = new Map<string, string>();
  /** The 24 h open per pair (fixed, so change24h follows the price). */
  private readonly opens = new Map<string, string>();
  private keepalive?: NodeJS.Timeout;
  private lastSentAt = 0;
  private lastEventTime = 0;
  readonly sent: SentTick[] = [];

  /** `keepaliveMs`: the longest the feed stays silent between ticks (the app's silence limit is 15 s by default). */
  constructor(private readonly keepaliveMs = 1_000) {
    for (const [pair, { price }] of Object.entries(FEED_START)) {
      this.prices.set(pair, price);
      this.opens.set(pair, price);
      this.fake.setPrice(pair, price);
    }
  }

  /** BINANCE_WS_URL for the app. */
  get url(): string {
    return this.fake.url;
  }

  /** Connections the app holds (1 once the leader ingests). */
  get connections(): number {
    return this.fake.connections;
  }

  async start(): Promise<this> {
    await this.fake.start();
    this.keepalive = setInterval(
      () => {
        if (performance.now() - this.lastSentAt >= this.keepaliveMs && this.fake.connections > 0) this.tick({});
      },
      Math.min(250, this.keepaliveMs),
    );
    return this;
  }

  async stop(): Promise<void> {
    clearInterval(this.keepalive);
    await this.fake.stop();
  }

  price(symbol: string): string {
    return this.prices.get(PAIR_OF.get(symbol)!)!;
  }

  /**
   * Sets the given symbols' prices and sends every pair's frame at once (one tick; the app's
   * ingestion folds frames arriving within 50 ms into one). Event times strictly increase.
   */
  tick(changes: Record<string, string>): SentTick {
    for (const [symbol, price] of Object.entries(changes)) {
      const pair = PAIR_OF.get(symbol);
      if (!pair) throw new Error(`the feed has no pair for ${symbol}`);
      this.prices.set(pair, price);
      this.fake.setPrice(pair, price);
    }
    const eventTime = Math.max(Date.now(), this.lastEventTime + 1);
    this.lastEventTime = eventTime;
    const frames = [...this.prices].map(([pair, c]) => {
      const o = this.opens.get(pair)!;
      const hi = Math.max(Number(c), Number(o)) * 1.01;
      const lo = Math.min(Number(c), Number(o)) * 0.99;
      return JSON.stringify({
        stream: `${pair.toLowerCase()}@miniTicker`,
        data: { e: '24hrMiniTicker', E: eventTime, s: pair, c, o, h: hi.toPrecision(10), l: lo.toPrecision(10), v: '12345.678', q: '987654321.12' },
      });
    });
    const sentAt = performance.now();
    for (const f of frames) this.fake.sendRaw(f);
    this.lastSentAt = sentAt;
    const tick = { sentAt, eventTime };
    this.sent.push(tick);
    return tick;
  }
}
