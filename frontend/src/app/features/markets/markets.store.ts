import { Injectable, computed, inject, signal } from '@angular/core';
import { ApiNow } from '../../core/http/api-now';
import { listCryptocurrencies } from '../../api/fn/market/list-cryptocurrencies';
import type { CryptoSummaryDto } from '../../api/models';
import { PricesStore } from '../../core/prices/prices.store';
import { WatchlistStore } from '../../core/watchlist/watchlist.store';

export type SortKey = 'name' | 'price' | 'change24h' | 'marketCap' | 'volume24h';

export interface MarketRow extends CryptoSummaryDto {
  dir: 'up' | 'down' | null;
  seq: number;
  /** On the user's watchlist. */
  starred: boolean;
}

/**
 * The asset list (REST, through the SDK) merged with live quotes, filtered and sorted; the assets on the user's
 * watchlist first (in the same order), then the others.
 */
@Injectable()
export class MarketsStore {
  private readonly api = inject(ApiNow);
  private readonly prices = inject(PricesStore);
  private readonly watchlist = inject(WatchlistStore);

  private readonly assets = signal<CryptoSummaryDto[]>([]);
  readonly loading = signal(true);
  readonly error = signal<string | null>(null);
  readonly query = signal('');
  readonly sortKey = signal<SortKey>('marketCap');
  readonly sortDesc = signal(true);

  /** Every row that matches the search, sorted: the sorted list of all assets, with the watched ones first. */
  readonly rows = computed<MarketRow[]>(() => [...this.watched(), ...this.others()]);
  /** The watched assets that match the search, sorted. */
  readonly watched = computed(() => this.sorted().filter((r) => r.starred));
  /** The other assets that match the search, sorted. */
  readonly others = computed(() => this.sorted().filter((r) => !r.starred));

  private readonly sorted = computed<MarketRow[]>(() => {
    const quotes = this.prices.quotes();
    const starred = new Set(this.watchlist.symbols());
    const q = this.query().trim().toLowerCase();
    const key = this.sortKey();
    const dir = this.sortDesc() ? -1 : 1;
    return this.assets()
      .filter((a) => !q || a.name.toLowerCase().includes(q) || a.symbol.toLowerCase().includes(q))
      .map((a) => {
        const live = quotes[a.symbol];
        const mark = starred.has(a.symbol);
        return live
          ? { ...a, price: live.price, change24h: live.change24h, dir: live.dir, seq: live.seq, starred: mark }
          : { ...a, dir: null, seq: 0, starred: mark };
      })
      .sort((a, b) => {
        if (key === 'name') return dir * a.name.localeCompare(b.name);
        return dir * (Number(a[key] ?? -Infinity) - Number(b[key] ?? -Infinity));
      });
  });

  /** On a page the server rendered, the rows are there in the same turn (ApiNow): hydration takes the server's rows over. */
  async load(): Promise<void> {
    void this.watchlist.load();
    this.loading.set(true);
    try {
      const answer = this.api.invoke(listCryptocurrencies, {});
      const res = answer instanceof Promise ? await answer : answer;
      this.assets.set(res.cryptocurrencies);
      this.error.set(null);
    } catch (err) {
      this.error.set(err instanceof Error ? err.message : $localize`Could not load markets`);
    } finally {
      this.loading.set(false);
    }
  }

  sortBy(key: SortKey): void {
    if (this.sortKey() === key) this.sortDesc.update((d) => !d);
    else {
      this.sortKey.set(key);
      this.sortDesc.set(key !== 'name');
    }
  }
}
