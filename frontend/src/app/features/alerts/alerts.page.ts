import { ChangeDetectionStrategy, Component, OnInit, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import type { AlertDto } from '../../api/models';
import { PricesStore } from '../../core/prices/prices.store';
import { Confirmer } from '../../core/ui/confirm-dialog';
import { DisplayFormat, UsdPipe, WhenPipe } from '../../core/ui/format.pipes';
import { StatusChip } from '../../core/ui/status-chip';
import { AlertForm } from './alert-form';
import { AlertsStore } from './alerts.store';
import { CardTable } from '../../core/ui/card-table';
import { Skeleton } from '../../core/ui/skeleton';

/** Armed (waiting), triggered (fired, now inactive) or paused by the user. */
export function alertState(a: AlertDto): 'armed' | 'triggered' | 'paused' {
  return a.active ? 'armed' : a.triggeredAt ? 'triggered' : 'paused';
}

/** The snackbar's dismiss action. */
const CLOSE = $localize`:snackbar action:Close`;

@Component({
  selector: 'cv-alerts-page',
  imports: [Skeleton, CardTable, WhenPipe, RouterLink, MatButtonModule, UsdPipe, StatusChip, AlertForm],
  providers: [AlertsStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './alerts.page.scss',
  template: `
    <div class="page">
      <h1 i18n>Price alerts</h1>

      <section class="form-card" aria-labelledby="alert-form-title">
        <h2 id="alert-form-title">
          @if (editing(); as e) {
            <ng-container i18n>Edit {{ e.symbol // i18n(ph="symbol") }} alert</ng-container>
          } @else {
            <ng-container i18n>New alert</ng-container>
          }
        </h2>
        <cv-alert-form [alert]="editing()" [presetSymbol]="symbol() ?? null" (saved)="saved($event)" (cancelled)="editing.set(null)" />
        <p i18n class="muted small">An armed alert fires once, when the price reaches its target; re-arm it to watch again. At most 20 armed alerts.</p>
      </section>

      <section aria-labelledby="alert-list">
        <h2 i18n id="alert-list">Your alerts</h2>
        <div class="table-wrap">
          <table class="data" data-testid="alerts">
            <thead>
              <tr>
                <th i18n>Asset</th><th i18n>Condition</th><th i18n class="num">Target</th><th i18n class="num">Now</th><th i18n>State</th><th i18n>Fired</th><th i18n>Notify</th>
                <th><span i18n class="cdk-visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              @for (a of store.items(); track a.id) {
                <tr [class.editing]="editing()?.id === a.id">
                  <td><a [routerLink]="['/coin', a.symbol]">{{ a.symbol }}</a></td>
                  <td>
                    @if (a.condition === 'above') {
                      <ng-container i18n>Rises above</ng-container>
                    } @else {
                      <ng-container i18n>Falls below</ng-container>
                    }
                  </td>
                  <td class="num">{{ a.targetPrice | usd: 'price' }}</td>
                  <td class="num">{{ prices.quote(a.symbol)?.price | usd: 'price' }}</td>
                  <td><cv-status-chip [status]="state(a)" /></td>
                  <td>
                    @if (a.triggeredAt) {
                      <ng-container i18n>at {{ a.triggeredPrice | usd: 'price' // i18n(ph="price") }}, {{ a.triggeredAt | when // i18n(ph="time") }}</ng-container>
                    } @else {
                      —
                    }
                  </td>
                  <td>{{ notifyLabel(a) }}</td>
                  <td class="actions">
                    <button i18n mat-button type="button" [attr.aria-label]="editLabel(a)" (click)="edit(a)">Edit</button>
                    @if (a.active) {
                      <button i18n mat-button type="button" [attr.aria-label]="pauseLabel(a)" (click)="setActive(a, false)">Pause</button>
                    } @else {
                      <button i18n mat-button type="button" [attr.aria-label]="rearmLabel(a)" (click)="setActive(a, true)">Re-arm</button>
                    }
                    <button i18n mat-button type="button" [attr.aria-label]="deleteLabel(a)" (click)="remove(a)">Delete</button>
                  </td>
                </tr>
              } @empty {
                <tr>
                  <td colspan="8" class="muted">
                    @if (store.loading()) {
                      <cv-skeleton [count]="3" />
                    } @else {
                      <ng-container i18n>No alerts yet. Create one above, or use "Set alert" on a coin's page.</ng-container>
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
    </div>
  `,
})
export class AlertsPage implements OnInit {
  protected readonly store = inject(AlertsStore);
  protected readonly prices = inject(PricesStore);
  private readonly confirmer = inject(Confirmer);
  private readonly snackBar = inject(MatSnackBar);
  /** `?symbol=BTC`: preselect that asset in the new-alert form (the coin page's "Set alert"). */
  readonly symbol = input<string>();
  protected readonly editing = signal<AlertDto | null>(null);
  protected readonly state = alertState;

  ngOnInit(): void {
    void this.store.load().catch(() => undefined);
  }

  private readonly format = inject(DisplayFormat);

  /** The alert as a noun phrase: "BTC above $70,000.00 alert" (aria-labels and the delete confirmation build on it). */
  protected describe(a: AlertDto): string {
    const price = this.format.money(a.targetPrice, 'USD', 'price');
    return a.condition === 'above'
      ? $localize`:an alert, as a noun phrase:${a.symbol}:symbol: above ${price}:price: alert`
      : $localize`:an alert, as a noun phrase:${a.symbol}:symbol: below ${price}:price: alert`;
  }

  protected editLabel(a: AlertDto): string {
    return $localize`Edit ${this.describe(a)}:alert:`;
  }

  protected pauseLabel(a: AlertDto): string {
    return $localize`Pause ${this.describe(a)}:alert:`;
  }

  protected rearmLabel(a: AlertDto): string {
    return $localize`Re-arm ${this.describe(a)}:alert:`;
  }

  protected deleteLabel(a: AlertDto): string {
    return $localize`Delete ${this.describe(a)}:alert:`;
  }

  protected notifyLabel(a: AlertDto): string {
    const ways = [
      $localize`:alert notification channel:In app`,
      ...(a.notifyEmail ? [$localize`:alert notification channel:email`] : []),
      ...(a.notifyPush ? [$localize`:alert notification channel:browser`] : []),
    ];
    return ways.join(', ');
  }

  protected edit(a: AlertDto): void {
    this.editing.set(a);
  }

  protected saved(a: AlertDto): void {
    const wasEditing = this.editing() !== null;
    this.editing.set(null);
    this.snackBar.open(wasEditing ? $localize`${a.symbol}:symbol: alert saved` : $localize`${a.symbol}:symbol: alert created`, CLOSE, { duration: 4000 });
  }

  protected async setActive(a: AlertDto, active: boolean): Promise<void> {
    try {
      await this.store.setActive(a.id, active);
      this.snackBar.open(active ? $localize`${a.symbol}:symbol: alert re-armed` : $localize`${a.symbol}:symbol: alert paused`, CLOSE, { duration: 4000 });
    } catch {
      /* the error interceptor has shown it (e.g. too many armed alerts) */
    }
  }

  protected async remove(a: AlertDto): Promise<void> {
    const ok = await this.confirmer.ask({
      title: $localize`Delete this alert?`,
      message: $localize`The ${this.describe(a)}:alert: will be deleted.`,
      confirm: $localize`Delete alert`,
      dismiss: $localize`Keep alert`,
    });
    if (!ok) return;
    try {
      await this.store.remove(a.id);
      if (this.editing()?.id === a.id) this.editing.set(null);
      this.snackBar.open($localize`${a.symbol}:symbol: alert deleted`, CLOSE, { duration: 4000 });
    } catch {
      /* the error interceptor has shown it */
    }
  }

  protected more(): void {
    void this.store.loadMore().catch(() => undefined);
  }
}
