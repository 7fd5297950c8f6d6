import { ChangeDetectionStrategy, Component, OnInit, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { TRANSACTION_TYPE } from '../../api/models/transaction-type-array';
import { AmountComponent, NumPipe, ProsePipe, WhenPipe } from '../../core/ui/format.pipes';
import { StatusChip } from '../../core/ui/status-chip';
import { transactionTypeText } from './transaction-labels';
import { TransactionFilters, TransactionsStore } from './transactions.store';
import { CardTable } from '../../core/ui/card-table';
import { Skeleton } from '../../core/ui/skeleton';

@Component({
  selector: 'cv-transactions-page',
  imports: [Skeleton, CardTable, NumPipe, ProsePipe, AmountComponent, WhenPipe, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, StatusChip],
  providers: [TransactionsStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './transactions.page.scss',
  template: `
    <div class="page">
      <header class="head">
        <h1 i18n>Transactions</h1>
        <button i18n mat-flat-button type="button" [disabled]="store.exporting()" (click)="download()">Download CSV</button>
      </header>

      @if (store.stats(); as s) {
        <section aria-labelledby="tx-summary">
          <h2 i18n id="tx-summary" class="cdk-visually-hidden">Summary</h2>
          <div class="cards">
            <div class="stat"><div i18n class="label">Entries</div><div class="value">{{ s.count | num: 0 }}</div></div>
            <div class="stat"><div i18n class="label">First entry</div><div class="value small">{{ (s.firstAt | when: 'date') ?? '—' }}</div></div>
            <div class="stat"><div i18n class="label">Latest entry</div><div class="value small">{{ (s.lastAt | when: 'date') ?? '—' }}</div></div>
          </div>
          @if (s.byType.length) {
            <ul class="by-type" aria-label="Entries by type" i18n-aria-label>
              @for (t of s.byType; track t.type) {
                <li>{{ typeLabel(t.type) }}: <strong>{{ t.count }}</strong></li>
              }
            </ul>
          }
          @if (s.byAsset.length) {
            <div class="table-wrap">
              <table class="data totals" aria-label="Totals by asset" i18n-aria-label>
                <thead>
                  <tr><th i18n>Asset</th><th i18n class="num">Credited</th><th i18n class="num">Debited</th><th i18n class="num">Trading fees</th><th i18n class="num">Net</th></tr>
                </thead>
                <tbody>
                  @for (a of s.byAsset; track a.asset) {
                    <tr>
                      <td>{{ a.asset }}</td>
                      <td class="num"><cv-amount [value]="a.credited" [asset]="a.asset" /></td>
                      <td class="num"><cv-amount [value]="a.debited" [asset]="a.asset" /></td>
                      <td class="num"><cv-amount [value]="a.fees" [asset]="a.asset" /></td>
                      <td class="num"><cv-amount [value]="a.net" [asset]="a.asset" [signed]="true" /></td>
                    </tr>
                  }
                </tbody>
              </table>
            </div>
          }
        </section>
      }

      <section aria-labelledby="tx-list">
        <h2 i18n id="tx-list">History</h2>
        <div class="filters">
          <mat-form-field subscriptSizing="dynamic">
            <mat-label i18n>Type</mat-label>
            <mat-select [value]="store.filters().type" (selectionChange)="filter({ type: $event.value })">
              <mat-option i18n value="">All types</mat-option>
              @for (t of types; track t) {
                <mat-option [value]="t">{{ typeLabel(t) }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
          <mat-form-field subscriptSizing="dynamic">
            <mat-label i18n>Asset</mat-label>
            <mat-select [value]="store.filters().asset" (selectionChange)="filter({ asset: $event.value })">
              <mat-option i18n value="">All assets</mat-option>
              @for (a of store.assets(); track a) {
                <mat-option [value]="a">{{ a }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
          <mat-form-field subscriptSizing="dynamic">
            <mat-label i18n>From</mat-label>
            <input matInput type="date" [value]="store.filters().from" [max]="store.filters().to || null" (change)="filter({ from: $any($event.target).value })" />
          </mat-form-field>
          <mat-form-field subscriptSizing="dynamic">
            <mat-label i18n>To</mat-label>
            <input matInput type="date" [value]="store.filters().to" [min]="store.filters().from || null" (change)="filter({ to: $any($event.target).value })" />
          </mat-form-field>
          <button i18n mat-button type="button" (click)="clear()">Clear filters</button>
        </div>
        <div class="table-wrap">
          <table class="data" data-testid="transactions">
            <thead>
              <tr><th i18n>Date</th><th i18n>Type</th><th i18n>Asset</th><th i18n class="num">Amount</th><th i18n>Status</th><th i18n>Description</th></tr>
            </thead>
            <tbody>
              @for (t of store.items(); track t.id) {
                <tr>
                  <td>{{ t.createdAt | when }}</td>
                  <td>{{ typeLabel(t.type) }}</td>
                  <td>{{ t.asset }}</td>
                  <td class="num"><cv-amount [value]="t.amount" [asset]="t.asset" [signed]="true" /></td>
                  <td><cv-status-chip [status]="t.status" /></td>
                  <td class="desc">{{ t.description | prose }}</td>
                </tr>
              } @empty {
                <tr>
                  <td colspan="6" class="muted">
                    @if (store.loading()) {
                      <cv-skeleton [count]="8" />
                    } @else {
                      <ng-container i18n>No transactions match these filters.</ng-container>
                    }
                  </td>
                </tr>
              }
            </tbody>
          </table>
        </div>
        @if (store.nextCursor()) {
          <button i18n mat-stroked-button type="button" class="more" [disabled]="store.loading()" (click)="more()">Load more</button>
        }
        <p i18n class="muted small">The CSV holds the entries that match these filters (every entry when none is set).</p>
      </section>
    </div>
  `,
})
export class TransactionsPage implements OnInit {
  protected readonly store = inject(TransactionsStore);
  protected readonly types = TRANSACTION_TYPE;

  ngOnInit(): void {
    void this.store.refresh().catch(() => undefined);
  }

  protected readonly typeLabel = transactionTypeText;

  protected filter(change: Partial<TransactionFilters>): void {
    void this.store.setFilters({ ...this.store.filters(), ...change }).catch(() => undefined);
  }

  protected clear(): void {
    void this.store.setFilters({ type: '', asset: '', from: '', to: '' }).catch(() => undefined);
  }

  protected more(): void {
    void this.store.loadMore().catch(() => undefined);
  }

  protected download(): void {
    void this.store.downloadCsv().catch(() => undefined);
  }
}
