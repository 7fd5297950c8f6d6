import { ChangeDetectionStrategy, Component, OnInit, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { ACTIVITY_TYPE } from '../../api/models/activity-type-array';
import type { ActivityDto, ActivityLegDto } from '../../api/models';
import { AmountComponent, NumPipe, ProsePipe, UsdPipe, WhenPipe } from '../../core/ui/format.pipes';
import { activityTypeText, bucketText, entryKindText, transactionTypeText } from './transaction-labels';
import { TransactionFilters, TransactionsStore } from './transactions.store';
import { CardTable } from '../../core/ui/card-table';
import { Skeleton } from '../../core/ui/skeleton';

@Component({
  selector: 'cv-transactions-page',
  imports: [Skeleton, CardTable, NumPipe, ProsePipe, UsdPipe, AmountComponent, WhenPipe, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule],
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
                <mat-option [value]="t">{{ activityLabel(t) }}</mat-option>
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
          <table class="data activity" data-testid="transactions">
            <thead>
              <tr>
                <th i18n>Date</th>
                <th i18n>Type</th>
                <th i18n>What moved</th>
                <th i18n class="num">Price</th>
                <th i18n class="num">Fee</th>
                <th i18n class="num">USD value</th>
                <th><span i18n class="cdk-visually-hidden">Ledger lines</span></th>
              </tr>
            </thead>
            <tbody>
              @for (e of store.items(); track e.id) {
                <tr class="event">
                  <td>{{ e.createdAt | when }}</td>
                  <td>
                    <div class="type">{{ activityLabel(e.type) }}</div>
                    <div class="desc muted small">{{ e.description | prose }}</div>
                  </td>
                  <td>
                    <span class="moved">
                      @for (l of moved(e); track l.asset; let first = $first) {
                        @if (!first) {
                          <span aria-hidden="true" class="arrow">→</span>
                          <span class="cdk-visually-hidden">&ngsp;<ng-container i18n>for</ng-container>&ngsp;</span>
                        }
                        <cv-amount [value]="l.amount" [asset]="l.asset" [signed]="true" />
                      }
                    </span>
                  </td>
                  <td class="num">
                    @if (e.price) {
                      {{ e.price | usd: 'price' }}
                    } @else {
                      <span class="muted" aria-label="None" i18n-aria-label>—</span>
                    }
                  </td>
                  <td class="num">
                    @if (e.fee; as fee) {
                      <cv-amount [value]="fee.amount" [asset]="fee.asset" />
                    } @else {
                      <span class="muted" aria-label="None" i18n-aria-label>—</span>
                    }
                  </td>
                  <td class="num">
                    @if (e.usdValue) {
                      {{ e.usdValue | usd }}
                    } @else {
                      <span class="muted" aria-label="Unknown" i18n-aria-label>—</span>
                    }
                  </td>
                  <td class="toggle">
                    <button
                      mat-button
                      type="button"
                      [attr.aria-expanded]="isOpen(e.id)"
                      [attr.aria-controls]="'lines-' + e.id"
                      (click)="toggle(e.id)"
                    >
                      <span aria-hidden="true" class="chevron" [class.open]="isOpen(e.id)">▸</span>
                      <ng-container i18n>Ledger lines</ng-container>
                    </button>
                  </td>
                </tr>
                @if (isOpen(e.id)) {
                  <tr class="lines-row" [id]="'lines-' + e.id">
                    <td colspan="7">
                      <ul class="lines" data-testid="ledger-lines" aria-label="Ledger lines of this event" i18n-aria-label>
                        @for (l of e.lines; track l.id) {
                          <li>
                            <span class="kind">{{ kindLabel(l.kind) }}</span>
                            <span class="bucket muted">{{ l.asset }} · {{ bucketLabel(l.bucket) }}</span>
                            <cv-amount class="num" [value]="l.amount" [asset]="l.asset" [signed]="true" />
                          </li>
                        }
                      </ul>
                      @for (l of e.legs; track l.asset) {
                        <p i18n class="muted small balance-after">{{ l.asset }} balance after: <cv-amount [value]="l.balanceAfter" [asset]="l.asset" /></p>
                      }
                    </td>
                  </tr>
                }
              } @empty {
                <tr>
                  <td colspan="7" class="muted">
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
        <p i18n class="muted small">
          The CSV holds the ledger lines of the events that match these filters (every line when none is set), each with its event's price, fee and
          USD value and the balance after it; an asset filter keeps that asset's lines.
        </p>
      </section>
    </div>
  `,
})
export class TransactionsPage implements OnInit {
  protected readonly store = inject(TransactionsStore);
  protected readonly types = ACTIVITY_TYPE;
  /** The events whose ledger lines are shown. */
  private readonly open = signal<ReadonlySet<string>>(new Set());

  ngOnInit(): void {
    void this.store.refresh().catch(() => undefined);
  }

  protected readonly typeLabel = transactionTypeText;
  protected readonly activityLabel = activityTypeText;
  protected readonly kindLabel = entryKindText;
  protected readonly bucketLabel = bucketText;

  /** What the event moved: what went out first, then what came in ("−$300.00 → +0.00287 BTC"). */
  protected moved(e: ActivityDto): ActivityLegDto[] {
    const out = e.legs.filter((l) => l.amount.startsWith('-'));
    return [...out, ...e.legs.filter((l) => !out.includes(l))];
  }

  protected isOpen(id: string): boolean {
    return this.open().has(id);
  }

  protected toggle(id: string): void {
    const next = new Set(this.open());
    if (!next.delete(id)) next.add(id);
    this.open.set(next);
  }

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
