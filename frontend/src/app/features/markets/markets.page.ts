import { NgTemplateOutlet } from '@angular/common';
import { ChangeDetectionStrategy, Component, OnInit, computed, inject } from '@angular/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import { SessionStore } from '../../core/auth/session.store';
import { PctPipe, ValuePipe, trend } from '../../core/ui/format.pipes';
import { WatchlistStar } from '../../core/watchlist/watchlist-star';
import { MarketsStore, SortKey } from './markets.store';
import { Skeleton } from '../../core/ui/skeleton';

@Component({
  selector: 'cv-markets-page',
  imports: [Skeleton, ValuePipe, RouterLink, MatFormFieldModule, MatInputModule, PctPipe, NgTemplateOutlet, WatchlistStar],
  providers: [MarketsStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './markets.page.scss',
  template: `
    <div class="page">
      <div class="head">
        <h1 i18n>Markets</h1>
        <mat-form-field class="search" subscriptSizing="dynamic">
          <mat-label i18n>Search</mat-label>
          <input matInput type="search" [value]="store.query()" (input)="store.query.set($any($event.target).value)" placeholder="Bitcoin, ETH…" i18n-placeholder />
        </mat-form-field>
      </div>
      @if (store.error(); as e) {
        <p class="error-text">{{ e }}</p>
      }
      <div class="table-wrap">
        <table class="data narrow">
          <thead>
            <tr>
              @if (signedIn()) {
                <th class="star"><span i18n class="visually-hidden">Watchlist</span></th>
              }
              <th class="hide-sm">#</th>
              <th><button i18n type="button" class="sort" (click)="store.sortBy('name')">Name {{ arrow('name') // i18n(ph="arrow") }}</button></th>
              <th class="num"><button i18n type="button" class="sort" (click)="store.sortBy('price')">Price {{ arrow('price') // i18n(ph="arrow") }}</button></th>
              <th class="num"><button i18n type="button" class="sort" (click)="store.sortBy('change24h')">24 h {{ arrow('change24h') // i18n(ph="arrow") }}</button></th>
              <th class="num hide-sm"><button i18n type="button" class="sort" (click)="store.sortBy('marketCap')">Market cap {{ arrow('marketCap') // i18n(ph="arrow") }}</button></th>
              <th class="num hide-sm"><button i18n type="button" class="sort" (click)="store.sortBy('volume24h')">Volume 24 h {{ arrow('volume24h') // i18n(ph="arrow") }}</button></th>
            </tr>
          </thead>
          <!-- The watched assets first, under their own heading; then the others. -->
          @if (store.watched().length) {
            <tbody data-testid="watchlist-rows">
              <tr class="group">
                <th i18n scope="rowgroup" [attr.colspan]="columns()">Your watchlist</th>
              </tr>
              @for (row of store.watched(); track row.symbol; let i = $index) {
                <ng-container *ngTemplateOutlet="assetRow; context: { $implicit: row, rank: i + 1 }" />
              }
            </tbody>
          }
          <tbody data-testid="market-rows">
            @if (store.watched().length && store.others().length) {
              <tr class="group">
                <th i18n scope="rowgroup" [attr.colspan]="columns()">All assets</th>
              </tr>
            }
            @for (row of store.others(); track row.symbol; let i = $index) {
              <ng-container *ngTemplateOutlet="assetRow; context: { $implicit: row, rank: store.watched().length + i + 1 }" />
            } @empty {
              @if (!store.watched().length) {
                <tr>
                  <td [attr.colspan]="columns()" class="muted">
                    @if (store.loading()) {
                      <cv-skeleton [count]="10" />
                    } @else {
                      <ng-container i18n>No asset matches.</ng-container>
                    }
                  </td>
                </tr>
              }
            }
          </tbody>
        </table>
      </div>
      <ng-template #assetRow let-row let-rank="rank">
        <tr [routerLink]="['/coin', row.id]" class="clickable">
          @if (signedIn()) {
            <td class="star"><cv-watchlist-star [symbol]="row.symbol" [name]="row.name" /></td>
          }
          <td class="muted hide-sm">{{ rank }}</td>
          <td>
            <a [routerLink]="['/coin', row.id]" class="coin">
              <strong>{{ row.name }}</strong> <span class="muted">{{ row.symbol }}</span>
            </a>
          </td>
          <td class="num" [class]="row.dir ? 'num flash-' + row.dir + '-' + (row.seq % 2) : 'num'">{{ row.price | value: 'price' }}</td>
          <td class="num" [class.up]="trend(row.change24h) === 'up'" [class.down]="trend(row.change24h) === 'down'">{{ row.change24h | pct }}</td>
          <td class="num hide-sm">{{ row.marketCap | value: 'compact' }}</td>
          <td class="num hide-sm">{{ row.volume24h | value: 'compact' }}</td>
        </tr>
      </ng-template>
    </div>
  `,
})
export class MarketsPage implements OnInit {
  protected readonly store = inject(MarketsStore);
  protected readonly trend = trend;
  /** Signed in: each row has its watchlist star, and the watched assets come first. */
  protected readonly signedIn = inject(SessionStore).signedIn;
  protected readonly columns = computed(() => (this.signedIn() ? 7 : 6));

  ngOnInit(): void {
    void this.store.load();
  }

  protected arrow(key: SortKey): string {
    return this.store.sortKey() === key ? (this.store.sortDesc() ? '↓' : '↑') : '';
  }
}
