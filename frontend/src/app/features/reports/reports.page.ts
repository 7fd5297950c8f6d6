import { ChangeDetectionStrategy, Component, OnInit, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import type { CostBasisMethod, DisposalKind, GainsCsvLayout, HoldingTerm } from '../../api/models';
import { CardTable } from '../../core/ui/card-table';
import { AmountComponent, NumPipe, UsdPipe, WhenPipe, trend } from '../../core/ui/format.pipes';
import { Skeleton } from '../../core/ui/skeleton';
import { ReportsStore } from './reports.store';
import { StatementsSectionComponent } from './statements-section.component';

/** The lot-matching methods, with what each means. */
export const METHODS: readonly { key: CostBasisMethod; label: string }[] = [
  { key: 'fifo', label: $localize`FIFO: first in, first out` },
  { key: 'hifo', label: $localize`HIFO: highest cost first` },
  { key: 'lifo', label: $localize`LIFO: last in, first out` },
];
const KINDS: Record<DisposalKind, string> = { sale: $localize`Sale`, convert: $localize`Conversion`, withdrawal: $localize`Withdrawal` };
const TERMS: Record<HoldingTerm, string> = { short: $localize`Short term`, long: $localize`Long term` };
/** The CSV layouts, each with its button text. */
const LAYOUTS: readonly { key: GainsCsvLayout; label: string }[] = [
  { key: 'cryptovault', label: $localize`Gains CSV` },
  { key: 'koinly', label: $localize`Koinly CSV` },
  { key: 'cointracker', label: $localize`CoinTracker CSV` },
];

/**
 * Reports: the realised gains of a tax year (every disposal with its dates, proceeds after fees, cost basis, gain and
 * term; totals), CSV downloads in three layouts, the lot-matching method (from a day forward), the cost of deposits
 * in kind, and which withdrawals went to the owner's own wallet.
 */
@Component({
  selector: 'cv-reports-page',
  imports: [
    FormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    Skeleton,
    CardTable,
    AmountComponent,
    UsdPipe,
    WhenPipe,
    NumPipe,
    StatementsSectionComponent,
  ],
  providers: [ReportsStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './reports.page.scss',
  template: `
    <div class="page">
      <div class="head">
        <h1 i18n>Reports</h1>
        <mat-form-field class="year" subscriptSizing="dynamic">
          <mat-label i18n>Tax year</mat-label>
          <mat-select [value]="store.year()" (valueChange)="store.setYear($event)" data-testid="report-year">
            @for (y of years; track y) {
              <mat-option [value]="y">{{ y }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
      </div>

      <section aria-labelledby="gains-title">
        <h2 i18n id="gains-title">Realised gains</h2>
        @if (store.report(); as r) {
          <div class="cards" data-testid="gains-totals">
            <div class="stat">
              <div i18n class="label">Gain</div>
              <div class="value" [class]="trend(r.totals.gain)">{{ r.totals.gain | usd: 'plain' : true }}</div>
            </div>
            <div class="stat">
              <div i18n class="label">Short term</div>
              <div class="value" [class]="trend(r.totals.shortTermGain)">{{ r.totals.shortTermGain | usd: 'plain' : true }}</div>
            </div>
            <div class="stat">
              <div i18n class="label">Long term</div>
              <div class="value" [class]="trend(r.totals.longTermGain)">{{ r.totals.longTermGain | usd: 'plain' : true }}</div>
            </div>
            <div class="stat"><div i18n class="label">Proceeds</div><div class="value">{{ r.totals.proceeds | usd }}</div></div>
            <div class="stat"><div i18n class="label">Cost basis</div><div class="value">{{ r.totals.costBasis | usd }}</div></div>
            <div class="stat"><div i18n class="label">Fees</div><div class="value">{{ r.totals.fees | usd }}</div></div>
          </div>
          @if (r.totals.unknown > 0) {
            <p class="warning" role="status" data-testid="gains-unknown" i18n>
              {r.totals.unknown, plural, =1 {1 disposal has} other {{{ r.totals.unknown | num: 0 }} disposals have}} an unknown cost basis and
              {r.totals.unknown, plural, =1 {is} other {are}} left out of the totals. Enter the cost of your deposits below.
            </p>
          }

          <div class="downloads" role="group" aria-label="Download the year as CSV" i18n-aria-label>
            @for (l of layouts; track l.key) {
              <button mat-stroked-button type="button" [disabled]="store.downloading() !== null" (click)="download(l.key)">{{ l.label }}</button>
            }
          </div>

          <div class="table-wrap">
            <table class="data" data-testid="gains-disposals">
              <thead>
                <tr>
                  <th i18n>Asset</th>
                  <th i18n>Acquired</th>
                  <th i18n>Disposed</th>
                  <th i18n class="num">Proceeds</th>
                  <th i18n class="num">Cost basis</th>
                  <th i18n class="num">Fee</th>
                  <th i18n class="num">Gain</th>
                  <th i18n>Term</th>
                  <th i18n>Kind</th>
                </tr>
              </thead>
              <tbody>
                @for (d of r.disposals; track $index) {
                  <tr>
                    <td><cv-amount [value]="d.quantity" [asset]="d.asset" /></td>
                    <td>{{ d.acquiredAt ? (d.acquiredAt | when: 'date') : '—' }}</td>
                    <td>{{ d.disposedAt | when: 'date' }}</td>
                    <td class="num">{{ d.proceeds === null ? '—' : (d.proceeds | usd) }}</td>
                    <td class="num">
                      @if (d.costBasis === null) {
                        <span i18n class="muted">Unknown</span>
                      } @else {
                        {{ d.costBasis | usd }}
                      }
                    </td>
                    <td class="num">{{ d.fee === null ? '—' : (d.fee | usd) }}</td>
                    <td class="num" [class]="trend(d.gain)">{{ d.gain === null ? '—' : (d.gain | usd: 'plain' : true) }}</td>
                    <td>{{ d.term ? terms[d.term] : '—' }}</td>
                    <td>{{ kinds[d.kind] }}</td>
                  </tr>
                } @empty {
                  <tr>
                    <td i18n colspan="9" class="muted">No sales, conversions or withdrawals in this year.</td>
                  </tr>
                }
              </tbody>
            </table>
          </div>

          @if (r.withdrawals.length > 0) {
            <section aria-labelledby="withdrawals-title">
              <h3 i18n id="withdrawals-title">Withdrawals</h3>
              <p i18n class="muted small">A withdrawal to a wallet of your own is a transfer, not a sale: it has no gain or loss.</p>
              <ul class="plain" data-testid="gains-withdrawals">
                @for (w of r.withdrawals; track w.withdrawalId + w.asset) {
                  <li>
                    <mat-checkbox [checked]="w.ownWallet" [disabled]="store.saving()" (change)="store.setOwnWallet(w.withdrawalId, $event.checked)">
                      <span i18n>To my own wallet: <cv-amount [value]="w.quantity" [asset]="w.asset" /> on {{ w.sentAt | when: 'date' }}</span>
                    </mat-checkbox>
                  </li>
                }
              </ul>
            </section>
          }
        } @else if (store.failed()) {
          <p i18n class="muted">Reports unavailable. Try again shortly.</p>
        } @else {
          <cv-skeleton shape="block" [height]="240" />
        }
      </section>

      <section class="panel" aria-labelledby="method-title">
        <h2 i18n id="method-title">Cost-basis method</h2>
        @if (store.method(); as m) {
          <p i18n data-testid="method-now">In force now: {{ methodLabel(m.method) }}.</p>
          @if (m.pending; as p) {
            <p i18n class="muted small">From {{ p.effectiveFrom | when: 'date' }}: {{ methodLabel(p.method) }}.</p>
          }
          <form class="row" (ngSubmit)="saveMethod()">
            <mat-form-field subscriptSizing="dynamic">
              <mat-label i18n>Method</mat-label>
              <mat-select name="method" [ngModel]="method() ?? m.method" (ngModelChange)="method.set($event)">
                @for (o of methods; track o.key) {
                  <mat-option [value]="o.key">{{ o.label }}</mat-option>
                }
              </mat-select>
            </mat-form-field>
            <mat-form-field subscriptSizing="dynamic">
              <mat-label i18n>From (empty: today)</mat-label>
              <input matInput type="date" name="effectiveFrom" [ngModel]="effectiveFrom()" (ngModelChange)="effectiveFrom.set($event)" />
            </mat-form-field>
            <button i18n mat-flat-button type="submit" [disabled]="store.saving()">Save method</button>
          </form>
          <p i18n class="muted small">
            A change applies to sales from that day on; what you sold before keeps the method it was matched by.
          </p>
        }
      </section>

      @if (store.editableLots().length > 0) {
        <section class="panel" aria-labelledby="deposits-title">
          <h2 i18n id="deposits-title">Cost of your deposits</h2>
          <p i18n class="muted small">
            Crypto you deposited was bought elsewhere: enter what it cost you in US dollars, fees included, so its gains can be worked out.
          </p>
          <ul class="plain lots" data-testid="unknown-lots">
            @for (l of store.editableLots(); track l.id) {
              <li>
                <div>
                  <cv-amount [value]="l.quantity" [asset]="l.asset" />
                  <span class="muted small"> · {{ l.acquiredAt | when: 'date' }} · </span>
                  @if (l.costBasis === null) {
                    <span i18n class="badge">Unknown cost</span>
                  } @else {
                    <span>{{ l.costBasis | usd }}</span>
                  }
                </div>
                <form class="row" (ngSubmit)="saveCost(l.id, cost.value)">
                  <mat-form-field subscriptSizing="dynamic">
                    <mat-label i18n>Cost in USD</mat-label>
                    <input matInput #cost name="cost" inputmode="decimal" autocomplete="off" [value]="l.costBasis ?? ''" />
                  </mat-form-field>
                  <button i18n mat-stroked-button type="submit" [disabled]="store.saving()">Save cost</button>
                </form>
              </li>
            }
          </ul>
        </section>
      }

      <cv-statements-section />

      <p i18n class="muted small explain">
        Gains are worked out per lot: what you paid, fees included, against what you received after fees. Held more than a year is long
        term. The tax year is the calendar year in UTC. This is not tax advice.
      </p>
    </div>
  `,
})
export class ReportsPage implements OnInit {
  protected readonly store = inject(ReportsStore);
  protected readonly years = Array.from({ length: 8 }, (_, i) => new Date().getUTCFullYear() - i);
  protected readonly methods = METHODS;
  protected readonly layouts = LAYOUTS;
  protected readonly kinds = KINDS;
  protected readonly terms = TERMS;
  protected readonly method = signal<CostBasisMethod | null>(null);
  protected readonly effectiveFrom = signal('');
  protected readonly trend = (v: string | null): string => (v === null ? '' : trend(v));

  ngOnInit(): void {
    void this.store.load();
  }

  protected methodLabel(key: CostBasisMethod): string {
    return METHODS.find((m) => m.key === key)?.label ?? key;
  }

  protected download(layout: GainsCsvLayout): void {
    void this.store.download(layout).catch(() => undefined);
  }

  protected saveMethod(): void {
    const method = this.method() ?? this.store.method()?.method;
    if (!method) return;
    void this.store
      .saveMethod(method, this.effectiveFrom() || null)
      .then(() => {
        this.method.set(null);
        this.effectiveFrom.set('');
      })
      .catch(() => undefined);
  }

  protected saveCost(id: string, value: string): void {
    void this.store.saveLotCost(id, value.trim()).catch(() => undefined);
  }
}
