import { ChangeDetectionStrategy, Component, OnInit, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import type { OrderDto } from '../../api/models';
import { AssetCatalogue } from '../../core/prices/asset-catalogue';
import { Confirmer } from '../../core/ui/confirm-dialog';
import { AmountComponent, DisplayFormat, QtyPipe, UsdPipe, WhenPipe } from '../../core/ui/format.pipes';
import { StatusChip } from '../../core/ui/status-chip';
import { ORDER_SIDE_TEXT, ORDER_TYPE_TEXT, describeOrder } from './order-labels';
import { HistoryFilters, OrdersStore } from './orders.store';
import { CardTable } from '../../core/ui/card-table';
import { Skeleton } from '../../core/ui/skeleton';

@Component({
  selector: 'cv-orders-page',
  imports: [Skeleton, CardTable, AmountComponent, WhenPipe, RouterLink, MatButtonModule, MatFormFieldModule, MatSelectModule, UsdPipe, QtyPipe, StatusChip],
  providers: [OrdersStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './orders.page.scss',
  template: `
    <div class="page">
      <h1 i18n>Orders</h1>

      <section aria-labelledby="open-orders">
        <h2 i18n id="open-orders">Open orders</h2>
        <div class="table-wrap">
          <table class="data" data-testid="open-orders">
            <thead>
              <tr>
                <th i18n>Placed</th><th i18n>Asset</th><th i18n>Side</th><th i18n>Type</th><th i18n class="num">Quantity</th><th i18n class="num">Trigger price</th><th i18n>Status</th>
                <th><span i18n class="cdk-visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              @for (o of store.open(); track o.id) {
                <tr>
                  <td>{{ o.createdAt | when }}</td>
                  <td><a [routerLink]="['/coin', o.symbol]">{{ o.symbol }}</a></td>
                  <td>{{ sideText[o.side] }}</td>
                  <td>{{ typeText[o.type] }}</td>
                  <td class="num"><cv-amount [value]="o.quantity" [asset]="o.symbol" [bare]="true" /></td>
                  <td class="num">{{ o.limitPrice ?? o.stopPrice | usd: 'price' }}</td>
                  <td><cv-status-chip [status]="o.status" /></td>
                  <td class="actions">
                    <button i18n mat-stroked-button type="button" [disabled]="cancelling() === o.id" [attr.aria-label]="cancelLabel(o)" (click)="cancel(o)">
                      Cancel
                    </button>
                  </td>
                </tr>
              } @empty {
                <tr>
                  <td colspan="8" class="muted">
                    @if (store.openLoading()) {
                      <cv-skeleton [count]="2" />
                    } @else {
                      <ng-container i18n>No open orders. Limit and stop orders wait here until they trigger.</ng-container>
                    }
                  </td>
                </tr>
              }
            </tbody>
          </table>
        </div>
        @if (store.openCursor()) {
          <button i18n mat-button type="button" class="more" (click)="moreOpen()">Load more open orders</button>
        }
      </section>

      <section aria-labelledby="order-history">
        <h2 i18n id="order-history">Order history</h2>
        <div class="filters">
          <mat-form-field subscriptSizing="dynamic">
            <mat-label i18n>Asset</mat-label>
            <mat-select [value]="store.filters().symbol" (selectionChange)="filter({ symbol: $event.value })">
              <mat-option i18n value="">All assets</mat-option>
              @for (a of catalogue.assets(); track a.symbol) {
                <mat-option [value]="a.symbol">{{ a.symbol }} · {{ a.name }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
          <mat-form-field subscriptSizing="dynamic">
            <mat-label i18n>Status</mat-label>
            <mat-select [value]="store.filters().status" (selectionChange)="filter({ status: $event.value })">
              <mat-option i18n value="">All statuses</mat-option>
              <mat-option i18n value="filled">Filled</mat-option>
              <mat-option i18n value="cancelled">Cancelled</mat-option>
              <mat-option i18n value="rejected">Rejected</mat-option>
            </mat-select>
          </mat-form-field>
          <mat-form-field subscriptSizing="dynamic">
            <mat-label i18n>Side</mat-label>
            <mat-select [value]="store.filters().side" (selectionChange)="filter({ side: $event.value })">
              <mat-option i18n value="">Buy and sell</mat-option>
              <mat-option i18n value="buy">Buy</mat-option>
              <mat-option i18n value="sell">Sell</mat-option>
            </mat-select>
          </mat-form-field>
        </div>
        <div class="table-wrap">
          <table class="data" data-testid="order-history">
            <thead>
              <tr>
                <th i18n>Date</th><th i18n>Asset</th><th i18n>Side</th><th i18n>Type</th><th i18n class="num">Quantity</th><th i18n class="num">Avg. fill price</th>
                <th i18n class="num">Total (USD)</th><th i18n class="num">Fee</th><th i18n>Status</th>
              </tr>
            </thead>
            <tbody>
              @for (o of store.history(); track o.id) {
                <tr>
                  <td>{{ o.filledAt ?? o.createdAt | when }}</td>
                  <td><a [routerLink]="['/coin', o.symbol]">{{ o.symbol }}</a></td>
                  <td>{{ sideText[o.side] }}</td>
                  <td>{{ typeText[o.type] }}</td>
                  <td class="num"><cv-amount [value]="o.quantity" [asset]="o.symbol" [bare]="true" /></td>
                  <td class="num">{{ o.filledPrice | usd: 'price' }}</td>
                  <td class="num">{{ o.status === 'filled' ? (o.quoteAmount | usd) : '—' }}</td>
                  <td class="num">
                    @if (o.fee) { {{ o.fee | qty: o.feeAsset }} } @else { — }
                  </td>
                  <td><cv-status-chip [status]="o.status" /></td>
                </tr>
              } @empty {
                <tr>
                  <td colspan="9" class="muted">
                    @if (store.historyLoading()) {
                      <cv-skeleton [count]="5" />
                    } @else if (store.historyCursor()) {
                      <ng-container i18n>No orders match these filters on the pages loaded so far.</ng-container>
                    } @else {
                      <ng-container i18n>No orders match these filters.</ng-container>
                    }
                  </td>
                </tr>
              }
            </tbody>
          </table>
        </div>
        @if (store.historyCursor()) {
          <button i18n mat-stroked-button type="button" class="more" [disabled]="store.historyLoading()" (click)="moreHistory()">Load more</button>
        }
      </section>
    </div>
  `,
})
export class OrdersPage implements OnInit {
  protected readonly store = inject(OrdersStore);
  protected readonly catalogue = inject(AssetCatalogue);
  private readonly confirmer = inject(Confirmer);
  private readonly snackBar = inject(MatSnackBar);
  protected readonly cancelling = signal<string | null>(null);
  protected readonly sideText = ORDER_SIDE_TEXT;
  protected readonly typeText = ORDER_TYPE_TEXT;

  ngOnInit(): void {
    void this.store.refresh().catch(() => undefined);
    void this.catalogue.load();
  }

  private readonly format = inject(DisplayFormat);

  /** "limit buy of 0.5 BTC". */
  private describe(o: OrderDto): string {
    return describeOrder(o, this.format.quantity(o.quantity, o.symbol));
  }

  protected cancelLabel(o: OrderDto): string {
    return $localize`Cancel ${this.describe(o)}:order:`;
  }

  protected async cancel(o: OrderDto): Promise<void> {
    const ok = await this.confirmer.ask({
      title: $localize`Cancel this order?`,
      message: $localize`Your ${this.describe(o)}:order: will be cancelled and its reserved funds released.`,
      confirm: $localize`Cancel order`,
      dismiss: $localize`Keep order`,
    });
    if (!ok) return;
    this.cancelling.set(o.id);
    try {
      await this.store.cancel(o.id);
      this.snackBar.open($localize`Order cancelled`, $localize`Close`, { duration: 4000 });
    } catch {
      /* the error interceptor has shown it (e.g. 409: it filled meanwhile) */
      void this.store.refresh().catch(() => undefined);
    } finally {
      this.cancelling.set(null);
    }
  }

  protected filter(change: Partial<HistoryFilters>): void {
    void this.store.setFilters({ ...this.store.filters(), ...change }).catch(() => undefined);
  }

  protected moreOpen(): void {
    void this.store.moreOpen().catch(() => undefined);
  }

  protected moreHistory(): void {
    void this.store.moreHistory().catch(() => undefined);
  }
}
