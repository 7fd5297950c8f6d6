import { CoinGeckoClient, CoinGeckoError, type CoinGeckoMarketRow } from './coingecko.client';
import { amount, backoffMs, isNumeric, percent, usd, type PriceSource, type SourceAsset, type SourceQuote, type SourceSink } from './price-source';

/**
 * CoinGecko REST polling of `/coins/markets` every COINGECKO_POLL_MS. Errors
 * back off exponentially; a 429 waits at least its Retry-After. A quote's
 * timestamp is when we fetched it (CoinGecko's own `last_updated` lags by up
 * to a minute on the public plans and would make every quote look stale).
 */
export class CoinGeckoSource implements PriceSource {
  readonly name = 'coingecko' as const;
  readonly silenceMs: number;
  private readonly bySymbolId: Map<string, string>;
  private timer?: NodeJS.Timeout;
  private running = false;
  private failures = 0;

  constructor(
    private readonly client: CoinGeckoClient,
    assets: SourceAsset[],
    private readonly pollMs: number,
    silenceMs: number,
  ) {
    this.bySymbolId = new Map(assets.map((a) => [a.coingeckoId, a.symbol]));
    this.silenceMs = Math.max(silenceMs, Math.ceil(pollMs * 2.5));
  }

  start(sink: SourceSink): void {
    this.running = true;
    void this.poll(sink);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
  }

  private async poll(sink: SourceSink): Promise<void> {
    if (!this.running) return;
    let delay = this.pollMs;
    try {
      const rows = await this.client.markets([...this.bySymbolId.keys()]);
      if (!this.running) return;
      const quotes = this.toQuotes(rows, new Date());
      if (quotes.length) {
        this.failures = 0;
        sink.quotes(quotes);
      } else {
        this.failures++;
        sink.error('/coins/markets answered no usable quote');
      }
    } catch (e) {
      if (!this.running) return;
      this.failures++;
      const err = e as CoinGeckoError;
      if (err.status === 0) sink.down(err.message);
      else sink.error(err.message);
      delay = Math.max(this.pollMs, backoffMs(this.failures, this.pollMs), err.retryAfterMs ?? 0, this.client.waitMs());
    }
    if (this.running) this.timer = setTimeout(() => void this.poll(sink), delay);
  }

  toQuotes(rows: CoinGeckoMarketRow[], at: Date): SourceQuote[] {
    const out: SourceQuote[] = [];
    for (const r of rows) {
      const symbol = this.bySymbolId.get(r.id);
      if (!symbol || !isNumeric(r.current_price) || r.current_price <= 0) continue;
      out.push({
        symbol,
        price: usd(r.current_price),
        change24h: isNumeric(r.price_change_percentage_24h) ? percent(r.price_change_percentage_24h) : '0.0000',
        volume24h: isNumeric(r.total_volume) ? amount(r.total_volume) : null,
        high24h: isNumeric(r.high_24h) ? usd(r.high_24h) : null,
        low24h: isNumeric(r.low_24h) ? usd(r.low_24h) : null,
        marketCap: isNumeric(r.market_cap) ? amount(r.market_cap) : null,
        timestamp: at,
      });
    }
    return out;
  }
}
