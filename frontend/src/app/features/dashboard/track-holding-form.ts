import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { TrackHoldingDto } from '../../api/models';
import { PricesStore } from '../../core/prices/prices.store';
import { QtyPipe } from '../../core/ui/format.pipes';
import { FormErrors } from '../auth/form-errors';
import { DashboardStore } from './dashboard.store';
import { decCmp, isDecimal } from './decimal';

/**
 * Records a holding kept outside CryptoVault (another exchange, a hardware
 * wallet) so the portfolio values it beside the real ones. Tracking the same
 * symbol again adds to it.
 */
@Component({
  selector: 'cv-track-holding-form',
  imports: [FormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, QtyPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form class="track" (ngSubmit)="submit()" aria-labelledby="track-title">
      <h3 i18n id="track-title">Track an outside holding</h3>
      <p i18n class="muted">Coins you hold elsewhere are valued here beside your account, marked “tracked”. They cannot be traded.</p>
      <div class="fields">
        <mat-form-field>
          <mat-label i18n>Symbol</mat-label>
          <input matInput name="symbol" required autocomplete="off" list="track-symbols" [(ngModel)]="symbol" (ngModelChange)="errors.clear()" />
          @if (errors.fields()['symbol']; as m) { <mat-hint class="error-text">{{ m }}</mat-hint> }
        </mat-form-field>
        <datalist id="track-symbols">
          @for (s of symbols(); track s) { <option [value]="s"></option> }
        </datalist>
        <mat-form-field>
          <mat-label i18n>Quantity</mat-label>
          <input matInput name="amount" required inputmode="decimal" autocomplete="off" [(ngModel)]="amount" (ngModelChange)="errors.clear()" />
          @if (errors.fields()['amount']; as m) { <mat-hint class="error-text">{{ m }}</mat-hint> }
        </mat-form-field>
        <mat-form-field>
          <mat-label i18n>Cost per unit, USD (optional)</mat-label>
          <input matInput name="avgCost" inputmode="decimal" autocomplete="off" [(ngModel)]="avgCost" (ngModelChange)="errors.clear()" />
          @if (errors.fields()['avgCost']; as m) { <mat-hint class="error-text">{{ m }}</mat-hint> }
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
  protected readonly busy = signal(false);
  protected readonly done = signal<{ symbol: string; amount: string } | null>(null);
  protected readonly errors = new FormErrors();
  /** Known symbols, as suggestions (the server decides). */
  protected readonly symbols = computed(() => Object.keys(this.prices.quotes()).sort());

  protected async submit(): Promise<void> {
    this.done.set(null);
    const body = this.validate();
    if (!body) return;
    this.busy.set(true);
    try {
      await this.store.track(body);
      this.done.set({ symbol: body.symbol, amount: body.amount });
      this.symbol = this.amount = this.avgCost = '';
    } catch (err) {
      this.errors.set(err);
    } finally {
      this.busy.set(false);
    }
  }

  /** The request body, or null after showing what is wrong (the server checks again). */
  private validate(): TrackHoldingDto | null {
    const symbol = this.symbol.trim().toUpperCase();
    const amount = this.amount.trim();
    const avgCost = this.avgCost.trim();
    const fields: Record<string, string> = {};
    if (!/^[A-Z0-9]{1,16}$/.test(symbol)) fields['symbol'] = $localize`Enter a symbol such as BTC.`;
    if (!isDecimal(amount) || decCmp(amount, '0') <= 0) fields['amount'] = $localize`Enter a quantity above 0, e.g. 0.5.`;
    if (avgCost && (!isDecimal(avgCost) || decCmp(avgCost, '0') < 0)) fields['avgCost'] = $localize`Enter a price of 0 or more, or leave it empty.`;
    if (Object.keys(fields).length) {
      this.errors.fields.set(fields);
      this.errors.message.set($localize`Check the highlighted fields.`);
      return null;
    }
    this.errors.clear();
    return avgCost ? { symbol, amount, avgCost } : { symbol, amount };
  }
}
