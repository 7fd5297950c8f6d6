import { ChangeDetectionStrategy, Component, OnInit, inject } from '@angular/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import { PctPipe, ValuePipe, trend } from '../../core/ui/format.pipes';
import { MarketsStore, SortKey } from './markets.store';
import { Skeleton } from '../../core/ui/skeleton';

@Component({
  selector: 'cv-markets-page',
  imports: [Skeleton, ValuePipe, RouterLink, MatFormFieldModule, MatInputModule, PctPipe],
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
              <th>#</th>
              <th><button i18n type="button" class="sort" (click)="store.sortBy('name')">Name {{ arrow('name') // i18n(ph="arrow") }}</button></th>
              <th class="num"><button i18n type="button" class="sort" (click)="store.sortBy('price')">Price {{ arrow('price') // i18n(ph="arrow") }}</button></th>
              <th class="num"><button i18n type="button" class="sort" (click)="store.sortBy('change24h')">24 h {{ arrow('change24h') // i18n(ph="arrow") }}</button></th>
              <th class="num hide-sm"><button i18n type="button" class="sort" (click)="store.sortBy('marketCap')">Market cap {{ arrow('marketCap') // i18n(ph="arrow") }}</button></th>
              <th class="num hide-sm"><button i18n type="button" class="sort" (click)="store.sortBy('volume24h')">Volume 24 h {{ arrow('volume24h') // i18n(ph="arrow") }}</button></th>
            </tr>
          </thead>
          <tbody>
            @for (row of store.rows(); track row.symbol; let i = $index) {
              <tr [routerLink]="['/coin', row.id]" class="clickable">
                <td class="muted">{{ i + 1 }}</td>
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
            } @empty {
              <tr>
                <td colspan="6" class="muted">
                  @if (store.loading()) {
                    <cv-skeleton [count]="10" />
                  } @else {
                    <ng-container i18n>No asset matches.</ng-container>
                  }
                </td>
              </tr>
            }
          </tbody>
        </table>
      </div>
    </div>
  `,
})
export class MarketsPage implements OnInit {
  protected readonly store = inject(MarketsStore);
  protected readonly trend = trend;

  ngOnInit(): void {
    void this.store.load();
  }

  protected arrow(key: SortKey): string {
    return this.store.sortKey() === key ? (this.store.sortDesc() ? '↓' : '↑') : '';
  }
}
