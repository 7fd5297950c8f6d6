import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, output, signal, untracked, viewChild } from '@angular/core';
import { FormsModule, NgForm } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { CreateRecurringBuyDtoConstraints } from '../../api/constraints';
import type { RecurringBuyDto, RecurringFrequency } from '../../api/models';
import { SCHEMA_FIELDS, choiceRule, fieldRule, readDecimal, readyToSend } from '../../core/forms/schema-validation';
import { AssetCatalogue } from '../../core/prices/asset-catalogue';
import { PricesStore } from '../../core/prices/prices.store';
import { Clock, DisplayFormat, UsdPipe } from '../../core/ui/format.pipes';
import { FormErrors } from '../auth/form-errors';
import { frequencyLabel } from './recurring-labels';
import { RecurringBuysStore } from './recurring.store';

const FREQUENCIES: RecurringFrequency[] = ['daily', 'weekly', 'monthly'];
const YEAR_MS = 365 * 86_400_000;

/** An instant as a `datetime-local` value (minutes) in the browser's time zone. */
export function toLocalInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A `datetime-local` value (the browser's time zone) as an ISO instant; null when empty or not a date. */
export function fromLocalInput(local: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(local)) return null;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** A new recurring buy: asset (optionally prefilled), USD amount, how often, and when the first buy runs (now or a picked time). */
@Component({
  selector: 'cv-recurring-form',
  imports: [FormsModule, SCHEMA_FIELDS, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, UsdPipe],
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
  `,
  template: `
    <form #f="ngForm" (ngSubmit)="submit(f)" aria-label="New recurring buy" i18n-aria-label>
      <div class="row">
        <mat-form-field subscriptSizing="dynamic">
          <mat-label i18n>Asset</mat-label>
          <mat-select name="symbol" required #symbolModel="ngModel" [cvField]="fields.symbol" [cvServerError]="errors.fields()['symbol']"
            [ngModel]="symbol()" (ngModelChange)="symbol.set($event)">
            @for (a of assets(); track a.symbol) {
              <mat-option [value]="a.symbol">{{ a.symbol }} · {{ a.name }}</mat-option>
            }
          </mat-select>
          <mat-error>{{ symbolModel.errors | fieldError }}</mat-error>
          @if (livePrice()) { <mat-hint i18n>Now {{ livePrice() | usd: 'price' // i18n(ph="price") }}</mat-hint> }
        </mat-form-field>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label i18n>Amount (USD)</mat-label>
          <input matInput name="quoteAmount" inputmode="decimal" autocomplete="off" required #amountModel="ngModel"
            [cvField]="fields.quoteAmount" [cvServerError]="errors.fields()['quoteAmount']"
            [ngModel]="amount()" (ngModelChange)="amount.set($event)" />
          <mat-error>{{ amountModel.errors | fieldError }}</mat-error>
          <mat-hint i18n>Each time, fee included</mat-hint>
        </mat-form-field>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label i18n>How often</mat-label>
          <mat-select name="frequency" required #frequencyModel="ngModel" [cvField]="fields.frequency" [cvServerError]="errors.fields()['frequency']"
            [ngModel]="frequency()" (ngModelChange)="frequency.set($event)">
            @for (fr of frequencies; track fr) {
              <mat-option [value]="fr">{{ label(fr) }}</mat-option>
            }
          </mat-select>
          <mat-error>{{ frequencyModel.errors | fieldError }}</mat-error>
        </mat-form-field>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label i18n>First buy</mat-label>
          <mat-select name="starts" [ngModel]="starts()" (ngModelChange)="starts.set($event)">
            <mat-option value="now" i18n>Now</mat-option>
            <mat-option value="later" i18n>At a time I choose</mat-option>
          </mat-select>
        </mat-form-field>
        @if (starts() === 'later') {
          <mat-form-field subscriptSizing="dynamic">
            <mat-label i18n>Date and time of the first buy</mat-label>
            <input matInput type="datetime-local" name="startAt" required #startModel="ngModel" [min]="earliest()" [max]="latest()"
              [cvField]="fields.startAt" [cvFieldCheck]="startCheck" [cvServerError]="errors.fields()['startAt']"
              [ngModel]="startLocal()" (ngModelChange)="startLocal.set($event)" />
            <mat-error>{{ startModel.errors | fieldError }}</mat-error>
            <mat-hint i18n>Your local time</mat-hint>
          </mat-form-field>
        }
      </div>
      <p class="muted small">{{ summary() }}</p>
      @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
      <button i18n mat-flat-button type="submit" [disabled]="busy()">Start recurring buy</button>
    </form>
  `,
})
export class RecurringForm {
  private readonly store = inject(RecurringBuysStore);
  private readonly prices = inject(PricesStore);
  private readonly catalogue = inject(AssetCatalogue);
  private readonly format = inject(DisplayFormat);
  private readonly clock = inject(Clock);

  /** Asset to preselect (the coin page's "Repeat this buy"). */
  readonly presetSymbol = input<string | null>(null);
  readonly created = output<RecurringBuyDto>();

  protected readonly frequencies = FREQUENCIES;
  protected readonly label = frequencyLabel;
  protected readonly symbol = signal('');
  protected readonly amount = signal('');
  protected readonly frequency = signal<RecurringFrequency>('weekly');
  /** Whether the first buy runs now or at a time the user picks (`startAt`). */
  protected readonly starts = signal<'now' | 'later'>('now');
  /** The picked time as a `datetime-local` value, in the user's time zone. */
  protected readonly startLocal = signal('');
  protected readonly busy = signal(false);
  protected readonly errors = new FormErrors(['symbol', 'quoteAmount', 'frequency', 'startAt']);
  /** The API's rules for the fields, and how messages name them. */
  protected readonly fields = {
    symbol: choiceRule(CreateRecurringBuyDtoConstraints.symbol, { label: $localize`an asset`, missing: $localize`Choose an asset` }),
    quoteAmount: fieldRule(CreateRecurringBuyDtoConstraints.quoteAmount, {
      label: $localize`:A field named in messages like "Enter an amount in USD like 250 or 12.50":an amount in USD`,
    }),
    frequency: fieldRule(CreateRecurringBuyDtoConstraints.frequency, {
      label: $localize`how often`,
      missing: $localize`Choose how often it buys`,
      choices: { daily: $localize`:in "Choose … or …":daily`, weekly: $localize`:in "Choose … or …":weekly`, monthly: $localize`:in "Choose … or …":monthly` },
    }),
    startAt: fieldRule(CreateRecurringBuyDtoConstraints.startAt, {
      label: $localize`the date and time of the first buy`,
      missing: $localize`Choose the date and time of the first buy`,
    }),
  };
  /** The API's bounds for the first buy: not in the past, at most a year ahead. */
  protected readonly startCheck = (local: string): string | null => {
    const at = fromLocalInput(local);
    if (!at) return $localize`Choose the date and time of the first buy`;
    if (Date.parse(at) < Date.now()) return $localize`Choose a time from now on`;
    if (Date.parse(at) > Date.now() + YEAR_MS) return $localize`Choose a time within a year from now`;
    return null;
  };
  private readonly form = viewChild(NgForm);

  /** Assets that can be bought (not the dollar itself). */
  protected readonly assets = computed(() => this.catalogue.assets().filter((a) => a.symbol !== 'USD'));
  protected readonly livePrice = computed(() => (this.symbol() ? (this.prices.quote(this.symbol())?.price ?? null) : null));
  /** The bounds the API keeps (not in the past, at most a year ahead), as `datetime-local` values. */
  protected readonly earliest = computed(() => toLocalInput(new Date(this.clock.now())));
  protected readonly latest = computed(() => toLocalInput(new Date(this.clock.now() + YEAR_MS)));
  /** When the first buy runs, as an instant; null for "now" (or nothing valid picked yet). */
  private readonly startAt = computed(() => (this.starts() === 'later' ? fromLocalInput(this.startLocal()) : null));
  protected readonly summary = computed(() => {
    const at = this.startAt();
    const first = at
      ? $localize`The first buy runs on ${this.format.date(at, 'datetime')}:when:.`
      : this.starts() === 'later'
        ? $localize`Choose when the first buy runs.`
        : $localize`The first buy runs now.`;
    switch (this.frequency()) {
      case 'daily':
        return `${first} ${$localize`Then every day at the same time, at the market price of the moment. A buy your USD balance does not cover is skipped, and you are told.`}`;
      case 'weekly':
        return `${first} ${$localize`Then every week at the same time, at the market price of the moment. A buy your USD balance does not cover is skipped, and you are told.`}`;
      default:
        return `${first} ${$localize`Then every month on the same day, at the market price of the moment. A buy your USD balance does not cover is skipped, and you are told.`}`;
    }
  });

  constructor() {
    this.clock.use(inject(DestroyRef));
    void this.catalogue.load();
    effect(() => {
      const preset = this.presetSymbol();
      untracked(() => {
        if (preset) this.symbol.set(preset.toUpperCase());
      });
    });
  }

  protected async submit(form: NgForm): Promise<void> {
    this.errors.clear();
    const later = this.starts() === 'later';
    const startAt = this.startAt();
    if (!readyToSend(form)) return;
    this.busy.set(true);
    try {
      const body = {
        symbol: this.symbol(),
        quoteAmount: readDecimal(this.amount(), this.format),
        frequency: this.frequency(),
        ...(later && startAt ? { startAt } : {}),
      };
      const saved = await this.store.create(body, crypto.randomUUID());
      this.amount.set('');
      this.starts.set('now');
      this.startLocal.set('');
      this.form()?.resetForm({ symbol: this.symbol(), quoteAmount: '', frequency: this.frequency(), starts: 'now' });
      this.created.emit(saved);
    } catch (err) {
      this.errors.set(err);
    } finally {
      this.busy.set(false);
    }
  }
}
