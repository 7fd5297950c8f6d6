import { ChangeDetectionStrategy, Component, ElementRef, Injector, afterNextRender, computed, effect, inject, input, output, signal, untracked, viewChild } from '@angular/core';
import { FormsModule, NgForm } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { CreateAlertDtoConstraints, UpdateAlertDtoConstraints } from '../../api/constraints';
import type { AlertCondition, AlertDto, AlertKind } from '../../api/models';
import { SCHEMA_FIELDS, choiceRule, fieldRule, readDecimal, readyToSend } from '../../core/forms/schema-validation';
import { ApiError } from '../../core/http/api-error';
import { AssetCatalogue } from '../../core/prices/asset-catalogue';
import { PricesStore } from '../../core/prices/prices.store';
import { DisplayFormat, PctPipe, UsdPipe } from '../../core/ui/format.pipes';
import { FormErrors } from '../auth/form-errors';
import { Confirmer } from '../../core/ui/confirm-dialog';
import { ALERT_ALREADY_CROSSED, AlertsStore, COOLDOWN_CHOICES, cooldownWords, fireNowQuestion } from './alerts.store';

/** The conditions of each kind of alert. */
const CONDITIONS: Record<AlertKind, AlertCondition[]> = { price: ['above', 'below'], move: ['up', 'down'] };

/**
 * Create an alert (symbol optionally prefilled), or edit one (`alert` set): on a price (rises above, falls below a
 * target) or on a 24 h move (up or down by a percentage), once or repeating after a cooldown. An alert the market
 * already reaches is not created silently: the server answers 409 ALERT_ALREADY_CROSSED with the price now, the form
 * asks whether to create it anyway (it fires at once) and sends it again if so.
 */
@Component({
  selector: 'cv-alert-form',
  imports: [FormsModule, SCHEMA_FIELDS, MatButtonModule, MatCheckboxModule, MatFormFieldModule, MatInputModule, MatSelectModule, UsdPipe, PctPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .row {
      display: flex;
      flex-wrap: wrap;
      gap: 12px;
    }
    .row mat-form-field {
      width: 220px;
      max-width: 100%;
    }
    .checks {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 16px;
      margin-bottom: 8px;
    }
    .row + .checks {
      margin-top: 12px;
    }
    .actions {
      display: flex;
      gap: 8px;
    }
    @media (max-width: 599.98px) {
      .row mat-form-field {
        width: 100%;
      }
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
          @if (kind() === 'price' && livePrice()) {
            <mat-hint i18n>Now {{ livePrice() | usd: 'price' // i18n(ph="price") }}</mat-hint>
          } @else if (kind() === 'move' && liveChange()) {
            <mat-hint i18n>{{ liveChange() | pct // i18n(ph="change") }} in 24 h</mat-hint>
          }
        </mat-form-field>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label i18n>Alert on</mat-label>
          <mat-select name="kind" required [disabled]="!!alert()" [ngModel]="kind()" (ngModelChange)="setKind($event)">
            <mat-option i18n value="price">Price</mat-option>
            <mat-option i18n value="move">24 h move</mat-option>
          </mat-select>
        </mat-form-field>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label i18n>Condition</mat-label>
          <mat-select name="condition" required #conditionModel="ngModel" [cvField]="fields.condition" [cvServerError]="errors.fields()['condition']"
            [ngModel]="condition()" (ngModelChange)="condition.set($event)">
            @if (kind() === 'price') {
              <mat-option i18n value="above">Price rises above</mat-option>
              <mat-option i18n value="below">Price falls below</mat-option>
            } @else {
              <mat-option i18n value="up">Rises in 24 h by</mat-option>
              <mat-option i18n value="down">Falls in 24 h by</mat-option>
            }
          </mat-select>
          <mat-error>{{ conditionModel.errors | fieldError }}</mat-error>
        </mat-form-field>
        @if (kind() === 'price') {
          <mat-form-field subscriptSizing="dynamic">
            <mat-label i18n>Target price (USD)</mat-label>
            <input #target matInput name="targetPrice" inputmode="decimal" autocomplete="off" required #targetModel="ngModel"
              [cvField]="alert() ? fields.updateTargetPrice : fields.targetPrice" [cvServerError]="errors.fields()['targetPrice']"
              [ngModel]="targetPrice()" (ngModelChange)="targetPrice.set($event)" />
            <mat-error>{{ targetModel.errors | fieldError }}</mat-error>
          </mat-form-field>
        } @else {
          <mat-form-field subscriptSizing="dynamic">
            <mat-label i18n>Move (%)</mat-label>
            <input #target matInput name="movePct" inputmode="decimal" autocomplete="off" required #moveModel="ngModel"
              [cvField]="fields.movePct" [cvServerError]="errors.fields()['movePct']"
              [ngModel]="movePct()" (ngModelChange)="movePct.set($event)" />
            <mat-error>{{ moveModel.errors | fieldError }}</mat-error>
          </mat-form-field>
        }
      </div>
      <div class="checks">
        <mat-checkbox i18n name="repeat" [ngModel]="repeat()" (ngModelChange)="repeat.set($event)">Repeat</mat-checkbox>
        @if (repeat()) {
          <mat-form-field subscriptSizing="dynamic">
            <mat-label i18n>Fire again after</mat-label>
            <mat-select name="cooldownSeconds" required #cooldownModel="ngModel" [cvField]="fields.cooldown" [cvServerError]="errors.fields()['cooldownSeconds']"
              [ngModel]="cooldown()" (ngModelChange)="cooldown.set($event)">
              @for (c of cooldownChoices(); track c) {
                <mat-option [value]="c">{{ cooldownWords(c) }}</mat-option>
              }
            </mat-select>
            <mat-error>{{ cooldownModel.errors | fieldError }}</mat-error>
          </mat-form-field>
        }
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
  private readonly confirmer = inject(Confirmer);
  protected readonly catalogue = inject(AssetCatalogue);

  /** The alert being edited; null to create one. */
  readonly alert = input<AlertDto | null>(null);
  /** Symbol to preselect when creating (e.g. from the coin page). */
  readonly presetSymbol = input<string | null>(null);
  readonly saved = output<AlertDto>();
  readonly cancelled = output<void>();

  protected readonly symbol = signal('');
  protected readonly kind = signal<AlertKind>('price');
  protected readonly condition = signal<AlertCondition>('above');
  protected readonly targetPrice = signal('');
  protected readonly movePct = signal('');
  protected readonly repeat = signal(false);
  protected readonly cooldown = signal<number>(COOLDOWN_CHOICES[0]);
  protected readonly notifyEmail = signal(false);
  protected readonly notifyPush = signal(false);
  protected readonly busy = signal(false);
  protected readonly errors = new FormErrors(['symbol', 'condition', 'targetPrice', 'movePct', 'cooldownSeconds']);
  private readonly format = inject(DisplayFormat);
  protected readonly cooldownWords = cooldownWords;
  /** The API's rules for the fields, and how messages name them. */
  protected readonly fields = {
    symbol: choiceRule(CreateAlertDtoConstraints.symbol, { label: $localize`an asset`, missing: $localize`Choose an asset` }),
    condition: fieldRule(CreateAlertDtoConstraints.condition, {
      label: $localize`a condition`,
      choices: {
        above: $localize`:Alert condition in "Choose … or …":rises above`,
        below: $localize`:Alert condition in "Choose … or …":falls below`,
        up: $localize`:Alert condition in "Choose … or …":rises by`,
        down: $localize`:Alert condition in "Choose … or …":falls by`,
      },
    }),
    targetPrice: fieldRule(CreateAlertDtoConstraints.targetPrice, { label: $localize`:A field named in messages like "Enter a target price like 250 or 0.5":a target price` }),
    updateTargetPrice: fieldRule(UpdateAlertDtoConstraints.targetPrice, { label: $localize`:A field named in messages like "Enter a target price like 250 or 0.5":a target price` }),
    cooldown: choiceRule(CreateAlertDtoConstraints.cooldownSeconds, { label: $localize`a cooldown`, missing: $localize`Choose how soon it may fire again` }),
    movePct: fieldRule(CreateAlertDtoConstraints.movePct, { label: $localize`:A field named in messages like "Enter a move in percent like 250 or 0.5":a move in percent` }),
  };
  private readonly injector = inject(Injector);
  private readonly targetInput = viewChild<ElementRef<HTMLInputElement>>('target');
  /** The form, to start afresh (no field marked) when another alert is edited or one was saved. */
  private readonly form = viewChild(NgForm);

  protected readonly formLabel = computed(() => (this.alert() ? $localize`Edit alert` : $localize`New alert`));
  protected readonly livePrice = computed(() => (this.symbol() ? (this.prices.quote(this.symbol())?.price ?? null) : null));
  protected readonly liveChange = computed(() => (this.symbol() ? (this.prices.quote(this.symbol())?.change24h ?? null) : null));
  /** The cooldowns offered: the usual ones, and the edited alert's own when it is another. */
  protected readonly cooldownChoices = computed(() => {
    const own = this.alert()?.cooldownSeconds;
    return own && !COOLDOWN_CHOICES.includes(own) ? [...COOLDOWN_CHOICES, own].sort((a, b) => a - b) : [...COOLDOWN_CHOICES];
  });

  constructor() {
    void this.catalogue.load();
    effect(() => {
      const a = this.alert();
      const preset = this.presetSymbol();
      untracked(() => this.reset(a, preset));
      // Editing starts at the price or percentage (focus also scrolls the form into view).
      if (a) afterNextRender(() => this.targetInput()?.nativeElement.focus(), { injector: this.injector });
    });
  }

  protected setKind(kind: AlertKind): void {
    this.kind.set(kind);
    if (!CONDITIONS[kind].includes(this.condition())) this.condition.set(CONDITIONS[kind][0]);
  }

  private reset(a: AlertDto | null, preset: string | null): void {
    this.errors.clear();
    this.symbol.set(a?.symbol ?? preset?.toUpperCase() ?? '');
    this.kind.set(a?.kind ?? 'price');
    this.condition.set(a?.condition ?? 'above');
    this.targetPrice.set(a?.targetPrice ?? '');
    this.movePct.set(a?.movePct ?? '');
    this.repeat.set(!!a?.cooldownSeconds);
    this.cooldown.set(a?.cooldownSeconds ?? COOLDOWN_CHOICES[0]);
    this.notifyEmail.set(a?.notifyEmail ?? false);
    this.notifyPush.set(a?.notifyPush ?? false);
    this.form()?.resetForm({
      symbol: this.symbol(),
      kind: this.kind(),
      condition: this.condition(),
      ...(this.kind() === 'price' ? { targetPrice: this.targetPrice() } : { movePct: this.movePct() }),
      repeat: this.repeat(),
      notifyEmail: this.notifyEmail(),
      notifyPush: this.notifyPush(),
    });
  }

  protected async submit(form: NgForm): Promise<void> {
    this.errors.clear();
    if (!readyToSend(form)) return;
    const price = this.kind() === 'price';
    const level = price ? { targetPrice: readDecimal(this.targetPrice(), this.format) } : { movePct: readDecimal(this.movePct(), this.format) };
    if (this.notifyPush()) void askNotificationPermission();
    this.busy.set(true);
    try {
      const common = {
        condition: this.condition(),
        ...level,
        cooldownSeconds: this.repeat() ? this.cooldown() : null,
        notifyEmail: this.notifyEmail(),
        notifyPush: this.notifyPush(),
      };
      const current = this.alert();
      const send = (confirmCrossed: boolean) => {
        const confirm = confirmCrossed ? { confirmCrossed: true } : {};
        return current
          ? this.store.update(current.id, { ...common, ...confirm })
          : this.store.create({ symbol: this.symbol(), kind: this.kind(), ...common, ...confirm });
      };
      let saved: AlertDto;
      try {
        saved = await send(false);
      } catch (err) {
        const e = ApiError.from(err);
        if (e.code !== ALERT_ALREADY_CROSSED) throw e;
        // The market already reaches it: say so (the server's words, with the price now) and send again only if asked to.
        if (!(await this.confirmer.ask(fireNowQuestion(e.message, !!current)))) return;
        saved = await send(true);
      }
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
