import { ChangeDetectionStrategy, Component, OnInit, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import type { AlertDto } from '../../api/models';
import { PricesStore } from '../../core/prices/prices.store';
import { Confirmer } from '../../core/ui/confirm-dialog';
import { ApiError } from '../../core/http/api-error';
import { DisplayFormat, PctPipe, UsdPipe, WhenPipe } from '../../core/ui/format.pipes';
import { StatusChip } from '../../core/ui/status-chip';
import { AlertForm } from './alert-form';
import { ALERT_ALREADY_CROSSED, AlertsStore, cooldownWords, fireNowQuestion } from './alerts.store';
import { CardTable } from '../../core/ui/card-table';
import { Skeleton } from '../../core/ui/skeleton';

/**
 * Armed (waiting), cooling (a repeating alert that fired, armed again from `rearmAt`), triggered (fired once, now
 * inactive) or paused by the user.
 */
export function alertState(a: AlertDto, now = Date.now()): 'armed' | 'cooling' | 'triggered' | 'paused' {
  if (a.active) return a.rearmAt && Date.parse(a.rearmAt) > now ? 'cooling' : 'armed';
  return a.triggeredAt ? 'triggered' : 'paused';
}

/** The signed level of an alert on a 24 h move: "+5.00" for up 5, "-5.00" for down 5. */
export function signedMove(a: AlertDto): string | null {
  if (!a.movePct) return null;
  return a.condition === 'down' ? `-${a.movePct}` : a.movePct;
}

/** The snackbar's dismiss action. */
const CLOSE = $localize`:snackbar action:Close`;

@Component({
  selector: 'cv-alerts-page',
  imports: [Skeleton, CardTable, WhenPipe, RouterLink, MatButtonModule, UsdPipe, PctPipe, StatusChip, AlertForm],
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
        <p i18n class="muted small">An armed alert fires when the price, or its 24 h change, reaches what you set: once (re-arm it to watch again), or each time again after its cooldown when it repeats. At most 20 armed alerts.</p>
      </section>

      <section aria-labelledby="alert-list">
        <h2 i18n id="alert-list">Your alerts</h2>
        <div class="table-wrap">
          <table class="data" data-testid="alerts">
            <thead>
              <tr>
                <th i18n>Asset</th><th i18n>Condition</th><th i18n class="num">Target</th><th i18n class="num">Now</th><th i18n>State</th><th i18n>Repeats</th><th i18n>Fired</th><th i18n>Notify</th>
                <th><span i18n class="cdk-visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              @for (a of store.items(); track a.id) {
                <tr [class.editing]="editing()?.id === a.id">
                  <td><a [routerLink]="['/coin', a.symbol]">{{ a.symbol }}</a></td>
                  <td>
                    @switch (a.condition) {
                      @case ('above') { <ng-container i18n>Rises above</ng-container> }
                      @case ('below') { <ng-container i18n>Falls below</ng-container> }
                      @case ('up') { <ng-container i18n>Up in 24 h by</ng-container> }
                      @case ('down') { <ng-container i18n>Down in 24 h by</ng-container> }
                    }
                  </td>
                  @if (a.kind === 'move') {
                    <td class="num">{{ signedMove(a) | pct }}</td>
                    <td class="num">{{ prices.quote(a.symbol)?.change24h | pct }}</td>
                  } @else {
                    <td class="num">{{ a.targetPrice | usd: 'price' }}</td>
                    <td class="num">{{ prices.quote(a.symbol)?.price | usd: 'price' }}</td>
                  }
                  <td>
                    @if (state(a) === 'cooling') {
                      <cv-status-chip [status]="'cooling'" [label]="coolingLabel" />
                      <div class="muted small" i18n>armed again {{ a.rearmAt | when // i18n(ph="time") }}</div>
                    } @else {
                      <cv-status-chip [status]="state(a)" />
                    }
                  </td>
                  <td>
                    @if (a.cooldownSeconds) {
                      {{ cooldownWords(a.cooldownSeconds) }}
                    } @else {
                      <ng-container i18n="an alert that fires once, in the Repeats column">Once</ng-container>
                    }
                  </td>
                  <td>
                    @if (a.triggeredAt) {
                      @if (a.kind === 'move') {
                        <ng-container i18n>at {{ a.triggeredChange | pct // i18n(ph="change") }} ({{ a.triggeredPrice | usd: 'price' // i18n(ph="price") }}), {{ a.triggeredAt | when // i18n(ph="time") }}</ng-container>
                      } @else {
                        <ng-container i18n>at {{ a.triggeredPrice | usd: 'price' // i18n(ph="price") }}, {{ a.triggeredAt | when // i18n(ph="time") }}</ng-container>
                      }
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
                  <td colspan="9" class="muted">
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
  protected readonly signedMove = signedMove;
  protected readonly cooldownWords = cooldownWords;
  protected readonly coolingLabel = $localize`:alert state:cooling down`;

  ngOnInit(): void {
    void this.store.load().catch(() => undefined);
  }

  private readonly format = inject(DisplayFormat);

  /** The alert as a noun phrase: "BTC above $70,000.00 alert", "BTC up 5.00% in 24 h alert" (aria-labels and the delete confirmation build on it). */
  protected describe(a: AlertDto): string {
    switch (a.condition) {
      case 'up':
        return $localize`:an alert, as a noun phrase:${a.symbol}:symbol: up ${this.format.percent(a.movePct, false)}:move: in 24 h alert`;
      case 'down':
        return $localize`:an alert, as a noun phrase:${a.symbol}:symbol: down ${this.format.percent(a.movePct, false)}:move: in 24 h alert`;
      case 'above':
        return $localize`:an alert, as a noun phrase:${a.symbol}:symbol: above ${this.format.money(a.targetPrice, 'USD', 'price')}:price: alert`;
      default:
        return $localize`:an alert, as a noun phrase:${a.symbol}:symbol: below ${this.format.money(a.targetPrice, 'USD', 'price')}:price: alert`;
    }
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
      try {
        await this.store.setActive(a.id, active);
      } catch (err) {
        const e = ApiError.from(err);
        // Re-arming where the market already is: it would fire at once; ask, and re-arm only if asked to.
        if (e.code !== ALERT_ALREADY_CROSSED) throw e;
        if (!(await this.confirmer.ask(fireNowQuestion(e.message, true)))) return;
        await this.store.setActive(a.id, active, true);
      }
      this.snackBar.open(active ? $localize`${a.symbol}:symbol: alert re-armed` : $localize`${a.symbol}:symbol: alert paused`, CLOSE, { duration: 4000 });
    } catch (err) {
      // E.g. too many armed alerts.
      this.snackBar.open(ApiError.from(err).message, CLOSE, { duration: 6000 });
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
