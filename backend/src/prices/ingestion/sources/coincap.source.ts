import type { Dec } from '../../../common/money/decimal';
import { dec } from '../../../common/money/decimal';
import type { Quote } from '../../../common/market/market-quotes';
import { percent, usd, type SourceAsset, type SourceQuote } from './price-source';
import { WebSocketSource, type FrameResult } from './websocket.source';

const PRICE = /^\d+(\.\d+)?$/;

/**
 * CoinCap price stream: `wss://ws.coincap.io/prices?assets=bitcoin,ethereum`
 * sends `{"bitcoin":"6929.82","ethereum":"404.97"}` with the assets that
 * changed. It carries prices only: the 24h change is measured against the
 * price 24h ago implied by the last quote this instance held when the stream
 * started (`reference`), and volume/high/low/market cap are left empty.
 */
export class CoinCapSource extends WebSocketSource {
  readonly name = 'coincap' as const;
  private readonly byId: Map<string, string>;
  private readonly open24h = new Map<string, Dec>();

  constructor(
    private readonly baseUrl: string,
    assets: SourceAsset[],
    silenceMs: number,
    private readonly reference: (symbol: string) => Quote | undefined,
  ) {
    super(silenceMs);
    this.byId = new Map(assets.filter((a) => a.coincapId).map((a) => [a.coincapId as string, a.symbol]));
  }

  protected url(): string {
    // Commas stay literal, as in CoinCap's documented URL.
    const u = new URL(this.baseUrl);
    u.searchParams.delete('assets');
    const rest = u.searchParams.toString();
    return `${u.origin}${u.pathname}?${rest ? `${rest}&` : ''}assets=${[...this.byId.keys()].join(',')}`;
  }

  parse(text: string, receivedAt: Date): FrameResult {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { malformed: 'not JSON' };
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return { malformed: 'not an object of prices' };
    const out: SourceQuote[] = [];
    for (const [id, value] of Object.entries(body)) {
      const symbol = this.byId.get(id);
      if (!symbol) continue;
      if (typeof value !== 'string' || !PRICE.test(value) || dec(value).lte(0)) return { malformed: `price of ${id} is not a positive decimal` };
      const price = dec(value);
      out.push({
        symbol,
        price: usd(price),
        change24h: this.change(symbol, price),
        volume24h: null,
        high24h: null,
        low24h: null,
        marketCap: null,
        timestamp: receivedAt,
      });
    }
    return out.length ? out : 'ignore';
  }

  private change(symbol: string, price: Dec): string {
    let open = this.open24h.get(symbol);
    if (!open) {
      const ref = this.reference(symbol);
      open = ref ? dec(ref.price).div(dec(ref.change24h).div(100).plus(1)) : price;
      this.open24h.set(symbol, open);
    }
    return percent(price.div(open).minus(1).times(100));
  }
}
