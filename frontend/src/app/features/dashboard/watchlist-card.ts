import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { PricesStore } from '../../core/prices/prices.store';
import { PctPipe, ValuePipe, trend } from '../../core/ui/format.pipes';
import { Skeleton } from '../../core/ui/skeleton';
import { WatchlistStar } from '../../core/watchlist/watchlist-star';
import { WatchlistStore } from '../../core/watchlist/watchlist.store';

/**
 * The dashboard's watchlist: each starred asset with its live price and 24 h change (the server's figures until a
 * tick arrives), a link to its page and its star to take it off.
 */
@Component({
  selector: 'cv-watchlist-card',
  imports: [RouterLink, ValuePipe, PctPipe, Skeleton, WatchlistStar],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    :host {
      display: block;
      padding: 12px 16px;
      border-radius: 12px;
      background: var(--mat-sys-surface-container-low);
    }
    h2 {
      margin: 0 0 4px;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    li {
      display: grid;
      grid-template-columns: minmax(0, 1fr) auto auto 40px;
      align-items: center;
      gap: 4px 12px;
      min-height: 44px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    li:last-child {
      border-bottom: 0;
    }
    .asset {
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
  `,
  template: `
    <h2 i18n id="watchlist-title">Watchlist</h2>
    @if (store.loaded()) {
      @if (rows().length) {
        <ul aria-labelledby="watchlist-title" data-testid="watchlist">
          @for (r of rows(); track r.symbol) {
            <li>
              <span class="asset">
                <a [routerLink]="['/coin', r.symbol]">{{ r.name }}</a>&ngsp;<span class="muted">{{
                  r.symbol
                }}</span>
              </span>
              <span class="num">{{ r.price | value: 'price' }}</span>
              <span [class]="'num ' + trend(r.change24h)">{{ r.change24h | pct }}</span>
              <cv-watchlist-star [symbol]="r.symbol" [name]="r.name" />
            </li>
          }
        </ul>
      } @else {
        <p i18n class="muted">
          Nothing on your watchlist yet. Star an asset in <a routerLink="/markets">Markets</a> or on
          its page to follow its price here.
        </p>
      }
    } @else if (store.failed()) {
      <p i18n class="muted">Watchlist unavailable.</p>
    } @else {
      <cv-skeleton [count]="3" />
    }
  `,
})
export class WatchlistCard {
  protected readonly store = inject(WatchlistStore);
  private readonly prices = inject(PricesStore);
  protected readonly trend = trend;

  /** The watchlist at live prices: the latest tick of each asset, else what the server last said. */
  protected readonly rows = computed(() => {
    const quotes = this.prices.quotes();
    return this.store.items().map((i) => {
      const live = quotes[i.symbol];
      return {
        symbol: i.symbol,
        name: i.name,
        price: live?.price ?? i.price,
        change24h: live?.change24h ?? i.change24h,
      };
    });
  });

  constructor() {
    void this.store.load(true);
  }
}
