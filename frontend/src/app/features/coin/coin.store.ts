import { Injectable, computed, inject, signal, untracked } from '@angular/core';
import { ApiNow } from '../../core/http/api-now';
import { getCryptocurrency } from '../../api/fn/market/get-cryptocurrency';
import { getCryptocurrencyCandles } from '../../api/fn/market/get-cryptocurrency-candles';
import type { CandleDto, CandleInterval, CryptoDetailDto } from '../../api/models';
import { silentErrors } from '../../core/http/http-context';
import { PricesStore } from '../../core/prices/prices.store';

/** One coin: its details, candles for the chosen interval, and its live quote. */
@Injectable()
export class CoinStore {
  private readonly api = inject(ApiNow);
  private readonly prices = inject(PricesStore);

  readonly coin = signal<CryptoDetailDto | null>(null);
  readonly notFound = signal(false);
  readonly interval = signal<CandleInterval>('1h');
  readonly candles = signal<CandleDto[]>([]);
  readonly candlesLoading = signal(false);

  readonly live = computed(() => {
    const c = this.coin();
    return c ? this.prices.quotes()[c.symbol] : undefined;
  });
  readonly price = computed(() => this.live()?.price ?? this.coin()?.price ?? null);
  readonly change24h = computed(() => this.live()?.change24h ?? this.coin()?.change24h ?? null);

  /**
   * On a page the server rendered, the coin and its candles are there in the same turn (ApiNow): hydration takes the
   * server's page over.
   */
  load(id: string): Promise<void> {
    // The page calls this from an effect on its route's id. With the answer in hand the whole load runs in that turn,
    // reading the coin and the interval on the way: untracked, they do not become the effect's dependencies (the first
    // change of interval would otherwise load the whole page again, its order ticket included).
    return untracked(() => this.loadCoin(id));
  }

  /** Loads started (of the coin, of its candles): an answer to any but the latest is dropped. */
  private coinLoads = 0;
  private candleLoads = 0;

  private async loadCoin(id: string): Promise<void> {
    // One coin after another (the page's id changed before the first answered): only the last one asked is shown,
    // whichever answers first; the previous coin's candles still on their way are dropped too.
    const mine = ++this.coinLoads;
    this.candleLoads++;
    this.coin.set(null);
    this.candles.set([]);
    this.candlesLoading.set(false);
    this.notFound.set(false);
    try {
      // A 404 is shown by the page itself ("This asset does not exist"), not as a snackbar.
      const answer = this.api.invoke(getCryptocurrency, { id }, silentErrors());
      const res = answer instanceof Promise ? await answer : answer;
      if (mine !== this.coinLoads) return;
      this.coin.set(res.cryptocurrency);
    } catch {
      if (mine === this.coinLoads) this.notFound.set(true);
      return;
    }
    await this.loadCandles().catch(() => undefined);
  }

  async setInterval(interval: CandleInterval): Promise<void> {
    this.interval.set(interval);
    await this.loadCandles();
  }

  /** The candles of the shown coin at the chosen interval; when the interval changed again meanwhile, the last one's. */
  private async loadCandles(): Promise<void> {
    const coin = this.coin();
    if (!coin) return;
    const mine = ++this.candleLoads;
    this.candlesLoading.set(true);
    try {
      const answer = this.api.invoke(getCryptocurrencyCandles, { id: coin.id, interval: this.interval() });
      const res = answer instanceof Promise ? await answer : answer;
      if (mine === this.candleLoads) this.candles.set(res.candles);
    } finally {
      if (mine === this.candleLoads) this.candlesLoading.set(false);
    }
  }
}
