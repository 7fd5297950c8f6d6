import { ChangeDetectionStrategy, Component, ElementRef, Injector, afterNextRender, computed, effect, inject, input, output, signal, untracked, viewChild } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { ErrorStateMatcher } from '@angular/material/core';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import type { AlertCondition, AlertDto } from '../../api/models';
import { AssetCatalogue } from '../../core/prices/asset-catalogue';
import { PricesStore } from '../../core/prices/prices.store';
import { UsdPipe } from '../../core/ui/format.pipes';
import { FormErrors } from '../auth/form-errors';
import { AlertsStore } from './alerts.store';

/** A positive USD price with at most 8 decimals, as the API takes it. */
const PRICE = /^(?=.*[1-9])\d{1,13}(\.\d{1,8})?$/;

/** Create an alert (symbol optionally prefilled), or edit one (`alert` set). */
@Component({
  selector: 'cv-alert-form',
  imports: [FormsModule, MatButtonModule, MatCheckboxModule, MatFormFieldModule, MatInputModule, MatSelectModule, UsdPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .row {
      display: flex;
      flex-wrap: wrap;
      gap: 12px;
    }
    .row mat-form-field {
      width: 220px;
    }
    .checks {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 16px;
      margin-bottom: 8px;
    }
    .actions {
      display: flex;
      gap: 8px;
    }
  `,
  template: `
    <form (ngSubmit)="submit()" [attr.aria-label]="formLabel()">
      <div class="row">
        <mat-form-field>
          <mat-label i18n>Asset</mat-label>
          <mat-select name="symbol" required [errorStateMatcher]="ownErrors" [disabled]="!!alert()" [ngModel]="symbol()" (ngModelChange)="symbol.set($event)">
            @for (a of catalogue.assets(); track a.symbol) {
              <mat-option [value]="a.symbol">{{ a.symbol }} · {{ a.name }}</mat-option>
            }
          </mat-select>
          @if (errors.fields()['symbol']; as m) { <mat-hint class="error-text">{{ m }}</mat-hint> }
          @else if (livePrice()) { <mat-hint i18n>Now {{ livePrice() | usd: 'price' // i18n(ph="price") }}</mat-hint> }
        </mat-form-field>
        <mat-form-field>
          <mat-label i18n>Condition</mat-label>
          <mat-select name="condition" [ngModel]="condition()" (ngModelChange)="condition.set($event)">
            <mat-option i18n value="above">Price rises above</mat-option>
            <mat-option i18n value="below">Price falls below</mat-option>
          </mat-select>
        </mat-form-field>
        <mat-form-field>
          <mat-label i18n>Target price (USD)</mat-label>
          <input #target matInput name="targetPrice" [errorStateMatcher]="ownErrors" inputmode="decimal" autocomplete="off" required [ngModel]="targetPrice()" (ngModelChange)="targetPrice.set($event)" />
          @if (fieldError(); as m) { <mat-hint class="error-text">{{ m }}</mat-hint> }
        </mat-form-field>
      </div>
      <div class="checks">
        <mat-checkbox i18n name="notifyEmail" [ngModel]="notifyEmail()" (ngModelChange)="notifyEmail.set($event)">Also email me</mat-checkbox>
        <mat-checkbox i18n name="notifyPush" [ngModel]="notifyPush()" (ngModelChange)="notifyPush.set($event)">Browser notification</mat-checkbox>
      </div>
      @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
      <div class="actions">
        <button mat-flat-button type="submit" [disabled]="busy()">
          @if (alert()) {
            <ng-container i18n>Save alert</ng-container>
          } @else {
            <ng-container i18n>Create alert</ng-container>
          }
        </button>
        @if (alert()) {
          <button i18n mat-button type="button" (click)="cancelled.emit()">Cancel editing</button>
        }
      </div>
    </form>
  `,
})
export class AlertForm {
  private readonly store = inject(AlertsStore);
  private readonly prices = inject(PricesStore);
  protected readonly catalogue = inject(AssetCatalogue);

  /** The alert being edited; null to create one. */
  readonly alert = input<AlertDto | null>(null);
  /** Symbol to preselect when creating (e.g. from the coin page). */
  readonly presetSymbol = input<string | null>(null);
  readonly saved = output<AlertDto>();
  readonly cancelled = output<void>();

  protected readonly symbol = signal('');
  protected readonly condition = signal<AlertCondition>('above');
  protected readonly targetPrice = signal('');
  protected readonly notifyEmail = signal(false);
  protected readonly notifyPush = signal(false);
  protected readonly busy = signal(false);
  protected readonly errors = new FormErrors();
  /** Fields show this form's own messages (below), not Material's red "required" state after a reset. */
  protected readonly ownErrors: ErrorStateMatcher = { isErrorState: () => false };
  private readonly localError = signal<string | null>(null);
  private readonly injector = inject(Injector);
  private readonly targetInput = viewChild<ElementRef<HTMLInputElement>>('target');

  protected readonly formLabel = computed(() => (this.alert() ? $localize`Edit alert` : $localize`New alert`));
  protected readonly livePrice = computed(() => (this.symbol() ? (this.prices.quote(this.symbol())?.price ?? null) : null));
  protected readonly fieldError = computed(() => this.localError() ?? this.errors.fields()['targetPrice'] ?? null);

  constructor() {
    void this.catalogue.load();
    effect(() => {
      const a = this.alert();
      const preset = this.presetSymbol();
      untracked(() => this.reset(a, preset));
      // Editing starts at the price (focus also scrolls the form into view).
      if (a) afterNextRender(() => this.targetInput()?.nativeElement.focus(), { injector: this.injector });
    });
  }

  private reset(a: AlertDto | null, preset: string | null): void {
    this.errors.clear();
    this.localError.set(null);
    this.symbol.set(a?.symbol ?? preset?.toUpperCase() ?? '');
    this.condition.set(a?.condition ?? 'above');
    this.targetPrice.set(a?.targetPrice ?? '');
    this.notifyEmail.set(a?.notifyEmail ?? false);
    this.notifyPush.set(a?.notifyPush ?? false);
  }

  protected async submit(): Promise<void> {
    this.errors.clear();
    this.localError.set(null);
    const target = this.targetPrice().trim();
    if (!this.alert() && !this.symbol()) {
      this.errors.fields.set({ symbol: $localize`Choose an asset` });
      return;
    }
    if (!PRICE.test(target)) {
      this.localError.set($localize`Enter a price above 0 with at most 8 decimals, e.g. 65000.50`);
      return;
    }
    if (this.notifyPush()) void askNotificationPermission();
    this.busy.set(true);
    try {
      const common = { condition: this.condition(), targetPrice: target, notifyEmail: this.notifyEmail(), notifyPush: this.notifyPush() };
      const current = this.alert();
      const saved = current ? await this.store.update(current.id, common) : await this.store.create({ symbol: this.symbol(), ...common });
      if (!current) this.reset(null, this.symbol());
      this.saved.emit(saved);
    } catch (err) {
      this.errors.set(err);
    } finally {
      this.busy.set(false);
    }
  }
}

async function askNotificationPermission(): Promise<void> {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  try {
    await Notification.requestPermission();
  } catch {
    /* the in-app notification still arrives */
  }
}
