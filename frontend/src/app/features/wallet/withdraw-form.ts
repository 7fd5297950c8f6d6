import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule, NgForm } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import type { WithdrawalDto } from '../../api/models';
import { SessionStore } from '../../core/auth/session.store';
import { QtyPipe } from '../../core/ui/format.pipes';
import { FormErrors } from '../auth/form-errors';
import { WalletStore } from './wallet.store';

const FIAT = new Set(['USD']);
/** Errors the API answers without `details`, shown on the field they are about. */
const CODE_FIELDS = {
  TWO_FACTOR_INVALID: 'twoFactorCode',
  TWO_FACTOR_REQUIRED: 'twoFactorCode',
  INSUFFICIENT_FUNDS: 'amount',
  LIMIT_EXCEEDED: 'amount',
  BELOW_MINIMUM: 'amount',
  UNKNOWN_ASSET: 'asset',
};

/** Send crypto out: asset, optional network, address, amount (decimal string) and the two-factor code. */
@Component({
  selector: 'cv-withdraw-form',
  imports: [FormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, QtyPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (!twoFactorOn()) {
      <p class="notice" data-testid="withdraw-needs-2fa">
        Withdrawals need two-factor authentication. Turn it on in
        <a routerLink="/settings" fragment="two-factor">Settings → Two-factor authentication</a>, then come back here.
      </p>
    } @else if (assets().length === 0) {
      <p class="muted">You hold no crypto to withdraw yet. Buy some on the Markets page first.</p>
    } @else {
      @if (created(); as w) {
        <p class="notice" role="status">
          Withdrawal requested: {{ w.amount | qty }} {{ w.asset }} to {{ w.network }} (fee {{ w.fee | qty }} {{ w.asset }};
          {{ w.total | qty }} {{ w.asset }} held). Status: {{ w.status }}. An admin reviews it before it is sent.
        </p>
      }
      <form class="form" #f="ngForm" (ngSubmit)="submit(f)">
        <mat-form-field>
          <mat-label>Asset</mat-label>
          <mat-select name="asset" required [(ngModel)]="asset">
            @for (b of assets(); track b.asset) {
              <mat-option [value]="b.asset">{{ b.asset }} ({{ b.available | qty }} available)</mat-option>
            }
          </mat-select>
          @if (errors.fields()['asset']; as m) { <mat-hint class="error-text">{{ m }}</mat-hint> }
        </mat-form-field>
        <mat-form-field>
          <mat-label>Network (optional)</mat-label>
          <input matInput name="network" [(ngModel)]="network" />
          @if (errors.fields()['network']; as m) {
            <mat-hint class="error-text">{{ m }}</mat-hint>
          } @else {
            <mat-hint>Empty: the asset's main network</mat-hint>
          }
        </mat-form-field>
        <mat-form-field>
          <mat-label>Destination address</mat-label>
          <input matInput name="address" autocomplete="off" spellcheck="false" required [(ngModel)]="address" />
          @if (errors.fields()['address']; as m) { <mat-hint class="error-text">{{ m }}</mat-hint> }
        </mat-form-field>
        <mat-form-field>
          <mat-label>Amount ({{ asset || 'asset' }})</mat-label>
          <input matInput name="amount" inputmode="decimal" autocomplete="off" required [(ngModel)]="amount" />
          @if (errors.fields()['amount']; as m) {
            <mat-hint class="error-text">{{ m }}</mat-hint>
          } @else {
            <mat-hint>What the address receives; the network fee is held on top.</mat-hint>
          }
        </mat-form-field>
        <mat-form-field>
          <mat-label>Two-factor code</mat-label>
          <input matInput name="twoFactorCode" inputmode="numeric" autocomplete="one-time-code" required [(ngModel)]="twoFactorCode" />
          @if (errors.fields()['twoFactorCode']; as m) {
            <mat-hint class="error-text">{{ m }}</mat-hint>
          } @else {
            <mat-hint>From your authenticator app, or a backup code</mat-hint>
          }
        </mat-form-field>
        @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
        <div><button mat-flat-button type="submit" [disabled]="busy()">Request withdrawal</button></div>
      </form>
    }
  `,
  styles: `
    .notice {
      padding: 12px 16px;
      border-radius: 12px;
      background: var(--mat-sys-surface-container);
      max-width: 560px;
    }
  `,
})
export class WithdrawForm {
  private readonly store = inject(WalletStore);
  private readonly session = inject(SessionStore);
  protected readonly twoFactorOn = computed(() => this.session.user()?.twoFactorEnabled === true);
  protected readonly assets = computed(() => (this.store.wallet()?.balances ?? []).filter((b) => !FIAT.has(b.asset) && b.available !== '0' && !/^0(\.0*)?$/.test(b.available)));
  protected readonly busy = signal(false);
  protected readonly created = signal<WithdrawalDto | null>(null);
  protected readonly errors = new FormErrors();
  protected asset = '';
  protected network = '';
  protected address = '';
  protected amount = '';
  protected twoFactorCode = '';

  protected async submit(form: NgForm): Promise<void> {
    this.busy.set(true);
    this.errors.clear();
    this.created.set(null);
    try {
      const network = this.network.trim();
      const w = await this.store.withdraw({
        asset: this.asset,
        address: this.address.trim(),
        amount: this.amount.trim(),
        twoFactorCode: this.twoFactorCode.trim(),
        ...(network ? { network } : {}),
      });
      this.created.set(w);
      // Keep where it went; clear what must be typed afresh (and their "touched" error state).
      form.resetForm({ asset: this.asset, network: this.network, address: this.address, amount: '', twoFactorCode: '' });
    } catch (err) {
      const e = this.errors.set(err, CODE_FIELDS);
      if (e.code === 'TWO_FACTOR_NOT_ENABLED') await this.session.reload();
    } finally {
      this.busy.set(false);
    }
  }
}
