import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule, NgForm } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { TrackHoldingDtoConstraints } from '../../api/constraints';
import type { TrackHoldingDto } from '../../api/models';
import { SCHEMA_FIELDS, fieldRule, readDecimal, readyToSend, tickerWords } from '../../core/forms/schema-validation';
import { PricesStore } from '../../core/prices/prices.store';
import { DisplayFormat, QtyPipe } from '../../core/ui/format.pipes';
import { FormErrors } from '../auth/form-errors';
import { acquiredAtOf, acquiredDayProblem, dayInput } from './acquired-date';
import { DashboardStore } from './dashboard.store';

/**
 * Records a holding kept outside CryptoVault (another exchange, a hardware
 * wallet) so the portfolio values it beside the real ones. Tracking the same
 * symbol again adds to it.
 */
@Component({
  selector: 'cv-track-holding-form',
  imports: [FormsModule, SCHEMA_FIELDS, MatButtonModule, MatFormFieldModule, MatInputModule, QtyPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form class="track" #f="ngForm" (ngSubmit)="submit(f)" aria-labelledby="track-title">
      <h3 i18n id="track-title">Track an outside holding</h3>
      <p i18n class="muted">Coins you hold elsewhere are valued here beside your account, marked “tracked”. They cannot be traded.</p>
      <div class="fields">
        <mat-form-field subscriptSizing="dynamic">
          <mat-label i18n>Symbol</mat-label>
          <input matInput name="symbol" required autocomplete="off" list="track-symbols" #symbolModel="ngModel"
            [cvField]="fields.symbol" [cvServerError]="errors.fields()['symbol']" [(ngModel)]="symbol" />
          <mat-error>{{ symbolModel.errors | fieldError }}</mat-error>
        </mat-form-field>
        <datalist id="track-symbols">
          @for (s of symbols(); track s) { <option [value]="s"></option> }
        </datalist>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label i18n>Quantity</mat-label>
          <input matInput name="amount" required inputmode="decimal" autocomplete="off" #amountModel="ngModel"
            [cvField]="fields.amount" [cvServerError]="errors.fields()['amount']" [(ngModel)]="amount" />
          <mat-error>{{ amountModel.errors | fieldError }}</mat-error>
        </mat-form-field>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label i18n>Cost per unit, USD (optional)</mat-label>
          <input matInput name="avgCost" inputmode="decimal" autocomplete="off" #costModel="ngModel"
            [cvField]="fields.avgCost" [cvServerError]="errors.fields()['avgCost']" [(ngModel)]="avgCost" />
          <mat-error>{{ costModel.errors | fieldError }}</mat-error>
        </mat-form-field>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label i18n>Acquired on</mat-label>
          <input matInput type="date" name="acquiredAt" min="2009-01-01" [max]="today()" #acquiredModel="ngModel"
            [cvField]="fields.acquiredAt" [cvFieldCheck]="acquiredCheck" [cvServerError]="errors.fields()['acquiredAt']" [(ngModel)]="acquiredOn" />
          <mat-hint i18n>Your performance counts it from this day.</mat-hint>
          <mat-error>{{ acquiredModel.errors | fieldError }}</mat-error>
        </mat-form-field>
      </div>
      @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
      @if (done(); as d) { <p i18n role="status">Now tracking {{ d.amount | qty: d.symbol }}.</p> }
      <button i18n mat-flat-button type="submit" [disabled]="busy()">Track holding</button>
    </form>
  `,
  styles: `
    .track h3 {
      margin: 0 0 4px;
      font: var(--mat-sys-title-medium);
    }
    .fields {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(180px, 1fr));
      gap: 0 12px;
      margin-top: 8px;
    }
  `,
})
export class TrackHoldingForm {
  private readonly store = inject(DashboardStore);
  private readonly prices = inject(PricesStore);

  protected symbol = '';
  protected amount = '';
  protected avgCost = '';
  /** The day it was acquired (YYYY-MM-DD), today unless changed; today is sent as no date (now). */
  protected acquiredOn = dayInput(new Date());
  protected readonly today = signal(dayInput(new Date()));
  protected readonly acquiredCheck = (day: string): string | null => acquiredDayProblem(day);
  protected readonly busy = signal(false);
  protected readonly done = signal<{ symbol: string; amount: string } | null>(null);
  protected readonly errors = new FormErrors(['symbol', 'amount', 'avgCost', 'acquiredAt']);
  private readonly format = inject(DisplayFormat);
  /** The API's rules for the fields, and how messages name them. */
  protected readonly fields = {
    symbol: fieldRule(TrackHoldingDtoConstraints.symbol, tickerWords(TrackHoldingDtoConstraints.symbol)),
    amount: fieldRule(TrackHoldingDtoConstraints.amount, { label: $localize`:A field named in messages like "Enter a quantity like 250 or 0.5":a quantity` }),
    avgCost: fieldRule(TrackHoldingDtoConstraints.avgCost, { label: $localize`:A field named in messages like "Enter a cost per unit like 250 or 0.5":a cost per unit` }),
    acquiredAt: fieldRule(TrackHoldingDtoConstraints.acquiredAt, { label: $localize`:A field named in messages like "Enter a purchase date":a purchase date` }),
  };
  /** Known symbols, as suggestions (the server decides). */
  protected readonly symbols = computed(() => Object.keys(this.prices.quotes()).sort());

  protected async submit(form: NgForm): Promise<void> {
    this.done.set(null);
    this.errors.clear();
    if (!readyToSend(form)) return;
    const symbol = this.symbol.trim().toUpperCase();
    const amount = readDecimal(this.amount, this.format);
    const avgCost = readDecimal(this.avgCost, this.format);
    const body: TrackHoldingDto = avgCost ? { symbol, amount, avgCost } : { symbol, amount };
    const now = new Date();
    // Today (or left empty) is now, as the API takes no date; an earlier day is its start, in the person's time zone.
    if (this.acquiredOn && this.acquiredOn !== dayInput(now)) body.acquiredAt = acquiredAtOf(this.acquiredOn, now);
    this.busy.set(true);
    try {
      await this.store.track(body);
      this.done.set({ symbol: body.symbol, amount: body.amount });
      this.symbol = this.amount = this.avgCost = '';
      this.today.set(dayInput(new Date()));
      this.acquiredOn = this.today();
      form.resetForm({ symbol: '', amount: '', avgCost: '', acquiredAt: this.acquiredOn });
    } catch (err) {
      this.errors.set(err);
    } finally {
      this.busy.set(false);
    }
  }
}
