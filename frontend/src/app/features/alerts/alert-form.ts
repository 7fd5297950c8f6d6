import { ChangeDetectionStrategy, Component, ElementRef, Injector, afterNextRender, computed, effect, inject, input, output, signal, untracked, viewChild } from '@angular/core';
import { FormsModule, NgForm } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { CreateAlertDtoConstraints, UpdateAlertDtoConstraints } from '../../api/constraints';
import type { AlertCondition, AlertDto } from '../../api/models';
import { SCHEMA_FIELDS, choiceRule, fieldRule, readDecimal, readyToSend } from '../../core/forms/schema-validation';
import { AssetCatalogue } from '../../core/prices/asset-catalogue';
import { PricesStore } from '../../core/prices/prices.store';
import { DisplayFormat, UsdPipe } from '../../core/ui/format.pipes';
import { FormErrors } from '../auth/form-errors';
import { AlertsStore } from './alerts.store';

/** Create an alert (symbol optionally prefilled), or edit one (`alert` set). */
@Component({
  selector: 'cv-alert-form',
  imports: [FormsModule, SCHEMA_FIELDS, MatButtonModule, MatCheckboxModule, MatFormFieldModule, MatInputModule, MatSelectModule, UsdPipe],
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
    <form #f="ngForm" (ngSubmit)="submit(f)" [attr.aria-label]="formLabel()">
      <div class="row">
        <mat-form-field subscriptSizing="dynamic">
          <mat-label i18n>Asset</mat-label>
          <mat-select name="symbol" required #symbolModel="ngModel" [cvField]="fields.symbol" [cvServerError]="errors.fields()['symbol']"
            [disabled]="!!alert()" [ngModel]="symbol()" (ngModelChange)="symbol.set($event)">
            @for (a of catalogue.assets(); track a.symbol) {
              <mat-option [value]="a.symbol">{{ a.symbol }} · {{ a.name }}</mat-option>
            }
          </mat-select>
          <mat-error>{{ symbolModel.errors | fieldError }}</mat-error>
          @if (livePrice()) { <mat-hint i18n>Now {{ livePrice() | usd: 'price' // i18n(ph="price") }}</mat-hint> }
        </mat-form-field>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label i18n>Condition</mat-label>
          <mat-select name="condition" required #conditionModel="ngModel" [cvField]="fields.condition" [cvServerError]="errors.fields()['condition']"
            [ngModel]="condition()" (ngModelChange)="condition.set($event)">
            <mat-option i18n value="above">Price rises above</mat-option>
            <mat-option i18n value="below">Price falls below</mat-option>
          </mat-select>
          <mat-error>{{ conditionModel.errors | fieldError }}</mat-error>
        </mat-form-field>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label i18n>Target price (USD)</mat-label>
          <input #target matInput name="targetPrice" inputmode="decimal" autocomplete="off" required #targetModel="ngModel"
            [cvField]="alert() ? fields.updateTargetPrice : fields.targetPrice" [cvServerError]="errors.fields()['targetPrice']"
            [ngModel]="targetPrice()" (ngModelChange)="targetPrice.set($event)" />
          <mat-error>{{ targetModel.errors | fieldError }}</mat-error>
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
  protected readonly errors = new FormErrors(['symbol', 'condition', 'targetPrice']);
  private readonly format = inject(DisplayFormat);
  /** The API's rules for the fields, and how messages name them. */
  protected readonly fields = {
    symbol: choiceRule(CreateAlertDtoConstraints.symbol, { label: $localize`an asset`, missing: $localize`Choose an asset` }),
    condition: fieldRule(CreateAlertDtoConstraints.condition, {
      label: $localize`a condition`,
      choices: { above: $localize`:Alert condition in "Choose … or …":rises above`, below: $localize`:Alert condition in "Choose … or …":falls below` },
    }),
    targetPrice: fieldRule(CreateAlertDtoConstraints.targetPrice, { label: $localize`:A field named in messages like "Enter a target price like 250 or 0.5":a target price` }),
    updateTargetPrice: fieldRule(UpdateAlertDtoConstraints.targetPrice, { label: $localize`:A field named in messages like "Enter a target price like 250 or 0.5":a target price` }),
  };
  private readonly injector = inject(Injector);
  private readonly targetInput = viewChild<ElementRef<HTMLInputElement>>('target');
  /** The form, to start afresh (no field marked) when another alert is edited or one was saved. */
  private readonly form = viewChild(NgForm);

  protected readonly formLabel = computed(() => (this.alert() ? $localize`Edit alert` : $localize`New alert`));
  protected readonly livePrice = computed(() => (this.symbol() ? (this.prices.quote(this.symbol())?.price ?? null) : null));

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
    this.symbol.set(a?.symbol ?? preset?.toUpperCase() ?? '');
    this.condition.set(a?.condition ?? 'above');
    this.targetPrice.set(a?.targetPrice ?? '');
    this.notifyEmail.set(a?.notifyEmail ?? false);
    this.notifyPush.set(a?.notifyPush ?? false);
    this.form()?.resetForm({
      symbol: this.symbol(),
      condition: this.condition(),
      targetPrice: this.targetPrice(),
      notifyEmail: this.notifyEmail(),
      notifyPush: this.notifyPush(),
    });
  }

  protected async submit(form: NgForm): Promise<void> {
    this.errors.clear();
    if (!readyToSend(form)) return;
    const target = readDecimal(this.targetPrice(), this.format);
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
