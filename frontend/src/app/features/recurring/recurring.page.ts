import { ChangeDetectionStrategy, Component, ElementRef, Injector, OnInit, afterNextRender, inject, input, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import type { RecurringBuyDto } from '../../api/models';
import { runReason } from '../../core/recurring/run-reason';
import { CardTable } from '../../core/ui/card-table';
import { Confirmer } from '../../core/ui/confirm-dialog';
import { AmountComponent, DisplayFormat, UsdPipe, WhenPipe } from '../../core/ui/format.pipes';
import { Skeleton } from '../../core/ui/skeleton';
import { StatusChip } from '../../core/ui/status-chip';
import { RecurringForm } from './recurring-form';
import { describeRecurringBuy, frequencyLabel } from './recurring-labels';
import { RecurringBuysStore } from './recurring.store';

/** The snackbar's dismiss action. */
const CLOSE = $localize`:snackbar action:Close`;

/** Recurring buys: start one, see when each runs next, pause, resume or delete it, and read what each run did. */
@Component({
  selector: 'cv-recurring-page',
  imports: [Skeleton, CardTable, WhenPipe, UsdPipe, AmountComponent, RouterLink, MatButtonModule, StatusChip, RecurringForm],
  providers: [RecurringBuysStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './recurring.page.scss',
  template: `
    <div class="page">
      <h1 i18n>Recurring buys</h1>

      <section class="form-card" aria-labelledby="recurring-form-title">
        <h2 i18n id="recurring-form-title">New recurring buy</h2>
        <cv-recurring-form [presetSymbol]="symbol() ?? null" (created)="created($event)" />
        <p i18n class="muted small">Each buy is a market buy, as if you placed it yourself, with its usual fee. At most 20 active recurring buys.</p>
      </section>

      <section aria-labelledby="recurring-list">
        <h2 i18n id="recurring-list">Your recurring buys</h2>
        <div class="table-wrap">
          <table class="data" data-testid="recurring-buys">
            <thead>
              <tr>
                <th i18n>Asset</th><th i18n class="num">Amount</th><th i18n>How often</th><th i18n>State</th><th i18n>Next buy</th><th i18n>Last buy</th>
                <th><span i18n class="cdk-visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              @for (s of store.items(); track s.id) {
                <tr [class.selected]="store.selected()?.id === s.id">
                  <td><a [routerLink]="['/coin', s.symbol]">{{ s.symbol }}</a></td>
                  <td class="num">{{ s.quoteAmount | usd }}</td>
                  <td>{{ frequency(s.frequency) }}</td>
                  <td><cv-status-chip [status]="s.status" /></td>
                  <td>{{ s.nextRunAt ? (s.nextRunAt | when) : '—' }}</td>
                  <td>
                    @if (s.lastRun; as r) {
                      <cv-status-chip [status]="r.status" /><span class="small last-at">{{ r.ranAt | when }}</span>
                    } @else {
                      —
                    }
                  </td>
                  <td class="actions">
                    <button i18n mat-button type="button" [attr.aria-label]="historyLabel(s)" (click)="history(s)">History</button>
                    @if (s.status === 'active') {
                      <button i18n mat-button type="button" [attr.aria-label]="pauseLabel(s)" (click)="pause(s)">Pause</button>
                    } @else {
                      <button i18n mat-button type="button" [attr.aria-label]="resumeLabel(s)" (click)="resume(s)">Resume</button>
                    }
                    <button i18n mat-button type="button" [attr.aria-label]="deleteLabel(s)" (click)="remove(s)">Delete</button>
                  </td>
                </tr>
              } @empty {
                <tr>
                  <td colspan="7" class="muted">
                    @if (store.loading()) {
                      <cv-skeleton [count]="2" />
                    } @else {
                      <ng-container i18n>No recurring buys yet. Start one above, or use "Repeat this buy" on a coin's page.</ng-container>
                    }
                  </td>
                </tr>
              }
            </tbody>
          </table>
        </div>
        @if (store.nextCursor()) {
          <button i18n mat-stroked-button type="button" class="more" (click)="more()">Load more</button>
        }
      </section>

      @if (store.selected(); as s) {
        <section aria-labelledby="recurring-history" #historySection tabindex="-1">
          <h2 i18n id="recurring-history">History of your {{ describe(s) // i18n(ph="recurring_buy") }}</h2>
          <div class="table-wrap">
            <table class="data" data-testid="recurring-runs">
              <thead>
                <tr>
                  <th i18n>Ran</th><th i18n>Result</th><th i18n class="num">Bought</th><th i18n class="num">Price</th><th i18n class="num">Fee</th><th i18n>Note</th>
                </tr>
              </thead>
              <tbody>
                @for (r of store.runs(); track r.id) {
                  <tr>
                    <td>{{ r.ranAt | when }}</td>
                    <td><cv-status-chip [status]="r.status" /></td>
                    <td class="num">
                      @if (r.quantity) { <cv-amount [value]="r.quantity" [asset]="s.symbol" /> } @else { — }
                    </td>
                    <td class="num">{{ r.price ? (r.price | usd: 'price') : '—' }}</td>
                    <td class="num">{{ r.fee ? (r.fee | usd) : '—' }}</td>
                    <td>
                      @if (r.orderId) {
                        <a i18n routerLink="/orders">See orders</a>
                      } @else {
                        {{ reason(r) ?? '—' }}
                      }
                    </td>
                  </tr>
                } @empty {
                  <tr>
                    <td colspan="6" class="muted">
                      @if (store.runsLoading()) {
                        <cv-skeleton [count]="2" />
                      } @else {
                        <ng-container i18n>It has not run yet.</ng-container>
                      }
                    </td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
          <div class="history-actions">
            @if (store.runsCursor()) {
              <button i18n mat-stroked-button type="button" (click)="moreRuns()">Older runs</button>
            }
            <button i18n mat-button type="button" (click)="closeHistory()">Close history</button>
          </div>
        </section>
      }
    </div>
  `,
})
export class RecurringPage implements OnInit {
  protected readonly store = inject(RecurringBuysStore);
  private readonly confirmer = inject(Confirmer);
  private readonly snackBar = inject(MatSnackBar);
  private readonly format = inject(DisplayFormat);
  private readonly injector = inject(Injector);
  private readonly historySection = viewChild<ElementRef<HTMLElement>>('historySection');
  /** `?symbol=BTC`: preselect that asset in the form (the coin page's "Repeat this buy"). */
  readonly symbol = input<string>();
  protected readonly frequency = frequencyLabel;
  protected readonly reason = runReason;

  ngOnInit(): void {
    void this.store.load().catch(() => undefined);
  }

  /** "daily buy of $10.00 of BTC" */
  protected describe(s: RecurringBuyDto): string {
    return describeRecurringBuy(s.frequency, this.format.money(s.quoteAmount, 'USD'), s.symbol);
  }

  protected historyLabel(s: RecurringBuyDto): string {
    return $localize`History of your ${this.describe(s)}:recurring_buy:`;
  }

  protected pauseLabel(s: RecurringBuyDto): string {
    return $localize`Pause your ${this.describe(s)}:recurring_buy:`;
  }

  protected resumeLabel(s: RecurringBuyDto): string {
    return $localize`Resume your ${this.describe(s)}:recurring_buy:`;
  }

  protected deleteLabel(s: RecurringBuyDto): string {
    return $localize`Delete your ${this.describe(s)}:recurring_buy:`;
  }

  protected created(s: RecurringBuyDto): void {
    this.snackBar.open($localize`Recurring buy started: ${this.describe(s)}:recurring_buy:`, CLOSE, { duration: 4000 });
  }

  protected history(s: RecurringBuyDto): void {
    void this.store.showHistory(s).catch(() => undefined);
    // The history opens below the list: take the reader (and the screen reader's focus) there.
    afterNextRender(() => this.historySection()?.nativeElement.focus(), { injector: this.injector });
  }

  protected closeHistory(): void {
    void this.store.showHistory(null);
  }

  protected moreRuns(): void {
    void this.store.moreRuns().catch(() => undefined);
  }

  protected async pause(s: RecurringBuyDto): Promise<void> {
    try {
      await this.store.pause(s.id);
      this.snackBar.open($localize`Paused: ${this.describe(s)}:recurring_buy:`, CLOSE, { duration: 4000 });
    } catch {
      /* the error interceptor has shown it */
    }
  }

  protected async resume(s: RecurringBuyDto): Promise<void> {
    try {
      await this.store.resume(s.id);
      this.snackBar.open($localize`Resumed: ${this.describe(s)}:recurring_buy:`, CLOSE, { duration: 4000 });
    } catch {
      /* the error interceptor has shown it (e.g. too many active ones) */
    }
  }

  protected async remove(s: RecurringBuyDto): Promise<void> {
    const ok = await this.confirmer.ask({
      title: $localize`Delete this recurring buy?`,
      message: $localize`Your ${this.describe(s)}:recurring_buy: will stop for good. What it bought stays yours, and its history stays in your orders.`,
      confirm: $localize`Delete recurring buy`,
      dismiss: $localize`Keep it`,
    });
    if (!ok) return;
    try {
      await this.store.remove(s.id);
      this.snackBar.open($localize`Deleted: ${this.describe(s)}:recurring_buy:`, CLOSE, { duration: 4000 });
    } catch {
      /* the error interceptor has shown it */
    }
  }

  protected more(): void {
    void this.store.loadMore().catch(() => undefined);
  }
}
