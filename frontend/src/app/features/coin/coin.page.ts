import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, effect, inject, input, signal, viewChild } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { RouterLink } from '@angular/router';
import type { CandleInterval, OrderSide } from '../../api/models';
import { SessionStore } from '../../core/auth/session.store';
import { NumPipe, PctPipe, ValuePipe, trend } from '../../core/ui/format.pipes';
import { WatchlistStar } from '../../core/watchlist/watchlist-star';
import { CandleChart } from './candle-chart';
import { CoinStore } from './coin.store';
import { OrderTicket } from './order-ticket';
import { Skeleton } from '../../core/ui/skeleton';

@Component({
  selector: 'cv-coin-page',
  imports: [Skeleton, ValuePipe, RouterLink, MatButtonModule, MatButtonToggleModule, CandleChart, OrderTicket, PctPipe, NumPipe, WatchlistStar],
  providers: [CoinStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './coin.page.scss',
  template: `
    <div class="page">
      @if (store.notFound()) {
        <p i18n>This asset does not exist. <a routerLink="/markets">Back to markets</a></p>
      } @else if (store.coin(); as c) {
        <header class="head">
          @if (c.image && c.image !== failedImage()) { <img [src]="c.image" alt="" width="32" height="32" fetchpriority="low" (error)="failedImage.set(c.image)" /> }
          <h1>{{ c.name }} <span class="muted">{{ c.symbol }}</span></h1>
          <span class="price">{{ store.price() | value: 'price' }}</span>
          <span [class]="trend(store.change24h())">{{ store.change24h() | pct }}</span>
          @if (signedIn()) {
            <cv-watchlist-star class="star" [symbol]="c.symbol" [name]="c.name" />
          }
          <a i18n mat-stroked-button class="set-alert" routerLink="/alerts" [queryParams]="{ symbol: c.symbol }">Set alert</a>
        </header>
        <!-- Phone: price, chart, ticket, then the stats; wide screens keep the ticket in a column of its own. -->
        <div class="layout">
          <section class="chart" aria-label="Price chart" i18n-aria-label>
            <mat-button-toggle-group [value]="store.interval()" (change)="setInterval($event.value)" aria-label="Candle interval" i18n-aria-label>
              @for (i of intervals; track i) {
                <mat-button-toggle [value]="i">{{ i }}</mat-button-toggle>
              }
            </mat-button-toggle-group>
            <!-- The chart's code (lightweight-charts, 55 kB gzipped) loads and runs once the page is idle: the page, its
                 price and its order ticket answer first. The placeholder keeps the chart's place. -->
            @defer (on idle) {
              <cv-candle-chart [candles]="store.candles()" [livePrice]="store.price()" />
            } @placeholder {
              <div class="chart-placeholder"></div>
            } @error {
              <!-- Its code did not arrive (a dropped connection, or a release that replaced it since the page loaded). -->
              <p i18n class="chart-placeholder chart-error muted">The chart could not be loaded. Reload the page to see it.</p>
            }
          </section>
          <aside class="ticket">
            <span class="ticket-top" #ticketTop aria-hidden="true"></span>
            <cv-order-ticket [symbol]="c.symbol" [livePrice]="store.price()" [returnUrl]="'/coin/' + c.id" />
            <div class="more-ways">
              <a mat-button routerLink="/recurring" [queryParams]="{ symbol: c.symbol }" i18n>Repeat this buy</a>
              <a mat-button routerLink="/convert" [queryParams]="{ to: c.symbol }" i18n>Convert another asset into {{ c.symbol }}</a>
            </div>
          </aside>
          <div class="cards">
            <div class="stat"><div i18n class="label">24 h high</div><div class="value">{{ c.high24h | value: 'price' }}</div></div>
            <div class="stat"><div i18n class="label">24 h low</div><div class="value">{{ c.low24h | value: 'price' }}</div></div>
            <div class="stat"><div i18n class="label">Market cap</div><div class="value">{{ c.marketCap | value: 'compact' }}</div></div>
            <div class="stat"><div i18n class="label">Volume 24 h</div><div class="value">{{ c.volume24h | value: 'compact' }}</div></div>
            <div class="stat"><div i18n class="label">Circulating supply</div><div class="value">{{ c.circulatingSupply | num: 0 }} {{ c.symbol }}</div></div>
            <div class="stat"><div i18n class="label">All-time high</div><div class="value">{{ c.ath | value: 'price' }}</div></div>
          </div>
          <div class="about">
            @if (c.description) { <p class="muted">{{ c.description }}</p> }
            <p i18n class="muted small">Price source: {{ store.live()?.source ?? c.source }}</p>
          </div>
        </div>
        <!-- Phone and tablet: while the ticket is out of sight, Buy and Sell stay at the bottom of the screen. -->
        @if (!ticketInView()) {
          <div class="trade-bar" role="region" aria-label="Trade" i18n-aria-label data-testid="trade-bar">
            <button i18n mat-flat-button type="button" class="buy" (click)="trade('buy')">Buy {{ c.symbol }}</button>
            <button i18n mat-flat-button type="button" class="sell" (click)="trade('sell')">Sell {{ c.symbol }}</button>
          </div>
        }
      } @else {
        <cv-skeleton shape="block" [height]="420" />
      }
    </div>
  `,
})
export class CoinPage {
  protected readonly store = inject(CoinStore);
  protected readonly trend = trend;
  /** Signed in: the star puts the asset on the watchlist. */
  protected readonly signedIn = inject(SessionStore).signedIn;
  protected readonly intervals: CandleInterval[] = ['1m', '5m', '15m', '1h', '4h', '1d'];
  /** A logo that did not load (offline, blocked CDN) is left out rather than shown broken. */
  protected readonly failedImage = signal<string | null>(null);
  /** Route parameter `:id` (CoinGecko id or symbol). */
  readonly id = input.required<string>();
  private readonly ticket = viewChild(OrderTicket);
  /** The top of the ticket (its heading and the Buy/Sell choice), watched to tell whether the ticket is in view. */
  private readonly ticketTop = viewChild<ElementRef<HTMLElement>>('ticketTop');
  /** Whether the ticket's top is wholly on the screen, above the bar's place (the bar shows only while it is not). */
  protected readonly ticketInView = signal(true);

  constructor() {
    const title = inject(Title);
    effect(() => void this.store.load(this.id()));
    // The tab names the asset ("Bitcoin (BTC) · CryptoVault") once it is known; the route's title stands until then.
    effect(() => {
      const c = this.store.coin();
      if (c) title.setTitle(`${c.name} (${c.symbol}) · CryptoVault`);
    });
    // Watches the ticket once it is rendered (the coin has loaded); a new coin renders a new ticket.
    const observer =
      typeof IntersectionObserver === 'undefined'
        ? undefined
        : new IntersectionObserver((entries) => this.ticketInView.set(entries.some((e) => e.isIntersecting && e.intersectionRatio >= 0.99)), {
            threshold: [0, 0.99],
            rootMargin: '0px 0px -80px 0px',
          });
    effect((onCleanup) => {
      const box = this.ticketTop()?.nativeElement;
      if (!box || !observer) return;
      observer.observe(box);
      onCleanup(() => observer.unobserve(box));
    });
    inject(DestroyRef).onDestroy(() => observer?.disconnect());
  }

  protected trade(side: OrderSide): void {
    this.ticket()?.start(side);
  }

  protected setInterval(i: CandleInterval): void {
    void this.store.setInterval(i).catch(() => undefined);
  }
}
