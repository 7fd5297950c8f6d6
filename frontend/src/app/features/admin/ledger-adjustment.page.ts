import { ChangeDetectionStrategy, Component, OnInit, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { FormErrors } from '../auth/form-errors';
import { AdminStore } from './admin.store';

/** Credit (positive) or debit (negative) a user's balance against the platform treasury. */
@Component({
  selector: 'cv-ledger-adjustment-page',
  imports: [FormsModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  providers: [AdminStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p>Moves funds between the platform treasury and a user's available balance. It is audited with your reason.</p>
    <form class="form" (ngSubmit)="submit()">
      <mat-form-field>
        <mat-label>User id</mat-label>
        <input matInput name="userId" autocomplete="off" required [(ngModel)]="user" />
        @if (errors.fields()['userId']; as m) { <mat-hint class="error-text">{{ m }}</mat-hint> }
      </mat-form-field>
      <mat-form-field>
        <mat-label>Asset</mat-label>
        <input matInput name="asset" autocomplete="off" required [(ngModel)]="asset" />
        @if (errors.fields()['asset']; as m) {
          <mat-hint class="error-text">{{ m }}</mat-hint>
        } @else {
          <mat-hint>USD, BTC, ETH…</mat-hint>
        }
      </mat-form-field>
      <mat-form-field>
        <mat-label>Amount</mat-label>
        <input matInput name="amount" inputmode="decimal" autocomplete="off" required [(ngModel)]="amount" />
        @if (errors.fields()['amount']; as m) {
          <mat-hint class="error-text">{{ m }}</mat-hint>
        } @else {
          <mat-hint>Positive credits the user, negative (e.g. -5.25) debits</mat-hint>
        }
      </mat-form-field>
      <mat-form-field>
        <mat-label>Reason</mat-label>
        <textarea matInput name="reason" rows="2" required [(ngModel)]="reason"></textarea>
        @if (errors.fields()['reason']; as m) { <mat-hint class="error-text">{{ m }}</mat-hint> }
      </mat-form-field>
      @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
      @if (posted(); as p) { <p role="status">Posted: {{ p }}.</p> }
      <div><button mat-flat-button type="submit" [disabled]="busy()">Post adjustment</button></div>
    </form>
  `,
})
export class LedgerAdjustmentPage implements OnInit {
  private readonly store = inject(AdminStore);
  /** `?userId=` (from the users list). */
  readonly userId = input<string>();
  protected readonly busy = signal(false);
  protected readonly posted = signal<string | null>(null);
  protected readonly errors = new FormErrors();
  protected user = '';
  protected asset = 'USD';
  protected amount = '';
  protected reason = '';

  ngOnInit(): void {
    this.user = this.userId() ?? '';
  }

  protected async submit(): Promise<void> {
    this.busy.set(true);
    this.errors.clear();
    this.posted.set(null);
    const body = { userId: this.user.trim(), asset: this.asset.trim().toUpperCase(), amount: this.amount.trim(), reason: this.reason.trim() };
    try {
      const journalId = await this.store.adjustLedger(body);
      this.posted.set(`${body.amount} ${body.asset} for user ${body.userId} (journal ${journalId})`);
      this.amount = '';
      this.reason = '';
    } catch (err) {
      this.errors.set(err, { UNKNOWN_ASSET: 'asset', INSUFFICIENT_FUNDS: 'amount', NOT_FOUND: 'userId' });
    } finally {
      this.busy.set(false);
    }
  }
}
