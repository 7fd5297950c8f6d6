import { Injectable, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { listCryptocurrencies } from '../../api/fn/market/list-cryptocurrencies';
import { silentErrors } from '../http/http-context';

export interface AssetOption {
  symbol: string;
  name: string;
}

/** The listed assets (symbol and name) for pickers and filters; fetched once per app load. */
@Injectable({ providedIn: 'root' })
export class AssetCatalogue {
  private readonly api = inject(Api);
  private pending: Promise<void> | null = null;
  readonly assets = signal<AssetOption[]>([]);

  load(): Promise<void> {
    this.pending ??= this.api
      .invoke(listCryptocurrencies, {}, silentErrors())
      .then((res) => {
        const options = res.cryptocurrencies.map((c) => ({ symbol: c.symbol, name: c.name }));
        this.assets.set(options.sort((a, b) => a.symbol.localeCompare(b.symbol)));
      })
      .catch(() => {
        this.pending = null; // try again next time
      });
    return this.pending;
  }
}
