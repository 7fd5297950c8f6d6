import { FakeWsProvider } from './ws-provider';

const DEFAULTS: Record<string, string> = {
  BTCUSDT: '104251.50',
  ETHUSDT: '3871.10',
  XRPUSDT: '2.4125',
  BNBUSDT: '712.3',
  SOLUSDT: '198.31',
  USDCUSDT: '0.9998',
  DOGEUSDT: '0.21418',
  ADAUSDT: '0.8214',
  LINKUSDT: '19.84',
  AVAXUSDT: '31.60',
  XLMUSDT: '0.3951',
  LTCUSDT: '104.68',
  DOTUSDT: '5.419',
  UNIUSDT: '11.19',
  NEARUSDT: '4.119',
  POLUSDT: '0.3179',
  ATOMUSDT: '5.909',
  ARBUSDT: '0.6109',
  OPUSDT: '1.1795',
};

/**
 * A local Binance combined stream (`/stream?streams=btcusdt@miniTicker/...`):
 * each push sends one `{"stream","data":{"e":"24hrMiniTicker",...}}` frame per
 * requested symbol, with Binance's string-encoded numbers.
 */
export class FakeBinance extends FakeWsProvider {
  constructor(intervalMs = 200) {
    super(intervalMs);
    for (const [pair, p] of Object.entries(DEFAULTS)) this.prices.set(pair, p);
  }

  /** BINANCE_WS_URL for the app (the base; the app appends `/stream?streams=`). */
  get url(): string {
    return this.origin;
  }

  setPrice(pair: string, price: string): void {
    this.prices.set(pair.toUpperCase(), price);
  }

  protected accepts(url: URL): boolean {
    const streams = url.searchParams.get('streams');
    return url.pathname === '/stream' && !!streams && streams.split('/').every((s) => /^[a-z0-9]+@miniTicker$/.test(s));
  }

  protected frames(url: URL): string[] {
    const out: string[] = [];
    for (const stream of url.searchParams.get('streams')!.split('/')) {
      const pair = stream.split('@')[0].toUpperCase();
      const c = this.prices.get(pair);
      if (!c) continue;
      const o = (Number(c) * 0.98).toPrecision(8);
      out.push(
        JSON.stringify({
          stream,
          data: {
            e: '24hrMiniTicker',
            E: Date.now(),
            s: pair,
            c,
            o,
            h: (Number(c) * 1.01).toPrecision(8),
            l: (Number(o) * 0.99).toPrecision(8),
            v: '12345.67800000',
            q: '987654321.12000000',
          },
        }),
      );
    }
    return out;
  }
}
