import { Injectable, computed, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { listCryptocurrencies } from '../../api/fn/market/list-cryptocurrencies';
import type { CryptoSummaryDto } from '../../api/models';
import { PricesStore } from '../../core/prices/prices.store';

export type SortKey = 'name' | 'price' | 'change24h' | 'marketCap' | 'volume24h';

export interface MarketRow extends CryptoSummaryDto {
  dir: 'up' | 'down' | null;
  seq: number;
}

/** The asset list (REST, through the SDK) merged with live quotes, filtered and sorted. */
@Injectable()
export class MarketsStore {
  private readonly api = inject(Api);
  private readonly prices = inject(PricesStore);

  private readonly assets = signal<CryptoSummaryDto[]>([]);
  readonly loading = signal(true);
  readonly error = signal<string | null>(null);
  readonly query = signal('');
  readonly sortKey = signal<SortKey>('marketCap');
  readonly sortDesc = signal(true);

  readonly rows = computed<MarketRow[]>(() => {
    const quotes = this.prices.quotes();
    const q = this.query().trim().toLowerCase();
    const key = this.sortKey();
    const dir = this.sortDesc() ? -1 : 1;
    return this.assets()
      .filter((a) => !q || a.name.toLowerCase().includes(q) || a.symbol.toLowerCase().includes(q))
      .map((a) => {
        const live = quotes[a.symbol];
        return live ? { ...a, price: live.price, change24h: live.change24h, dir: live.dir, seq: live.seq } : { ...a, dir: null, seq: 0 };
      })
      .sort((a, b) => {
        if (key === 'name') return dir * a.name.localeCompare(b.name);
        return dir * (Number(a[key] ?? -Infinity) - Number(b[key] ?? -Infinity));
      });
  });

  async load(): Promise<void> {
    this.loading.set(true);
    try {
      const res = await this.api.invoke(listCryptocurrencies, {});
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
