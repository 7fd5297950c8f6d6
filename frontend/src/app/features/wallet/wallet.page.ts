import { ChangeDetectionStrategy, Component, OnInit, computed, inject, signal } from '@angular/core';
import { FormsModule, NgForm } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { CreateDepositDtoConstraints } from '../../api/constraints';
import type { DepositCurrency } from '../../api/models';
import { SCHEMA_FIELDS, fieldRule, readDecimal, readyToSend } from '../../core/forms/schema-validation';
import { AmountComponent, DisplayFormat, TimeComponent, UsdPipe, ValuePipe } from '../../core/ui/format.pipes';
import { FormErrors } from '../auth/form-errors';
import { RouterLink } from '@angular/router';
import { AddressBookStore } from './address-book.store';
import { DepositQr } from './deposit-qr';
import { depositStatusText } from './wallet-labels';
import { WalletStore } from './wallet.store';
import { WithdrawForm } from './withdraw-form';
import { WithdrawalsList } from './withdrawals-list';
import { CardTable } from '../../core/ui/card-table';
import { Skeleton } from '../../core/ui/skeleton';

const URI_SCHEMES: Partial<Record<DepositCurrency, string>> = { btc: 'bitcoin', ltc: 'litecoin', eth: 'ethereum' };

@Component({
  selector: 'cv-wallet-page',
  imports: [Skeleton, CardTable, ValuePipe, FormsModule, SCHEMA_FIELDS, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, UsdPipe, AmountComponent, TimeComponent, DepositQr, WithdrawForm, WithdrawalsList],
  providers: [WalletStore, AddressBookStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './wallet.page.scss',
  template: `
    <div class="page">
      <h1 i18n>Wallet</h1>
      @if (store.wallet(); as w) {
        <div class="cards">
          <div class="stat"><div i18n class="label">Total value</div><div class="value">{{ w.totalUsd | value }}</div></div>
        </div>
        <div class="table-wrap">
          <table class="data">
            <thead>
              <tr><th i18n>Asset</th><th i18n class="num">Available</th><th i18n class="num">Locked</th><th i18n class="num">Total</th><th i18n class="num">Value</th></tr>
            </thead>
            <tbody>
              @for (b of w.balances; track b.asset) {
                <tr>
                  <td>{{ b.asset }}</td>
                  <td class="num"><cv-amount [value]="b.available" [asset]="b.asset" [bare]="true" /></td>
                  <td class="num"><cv-amount [value]="b.locked" [asset]="b.asset" [bare]="true" /></td>
                  <td class="num"><cv-amount [value]="b.total" [asset]="b.asset" [bare]="true" /></td>
                  <td class="num">{{ b.usdValue | value }}</td>
                </tr>
              } @empty {
                <tr><td i18n colspan="5" class="muted">No balance yet: make a deposit below.</td></tr>
              }
            </tbody>
          </table>
        </div>
      } @else if (store.loading()) {
        <cv-skeleton [count]="4" />
      }

      <h2 i18n>Deposit</h2>
      @if (store.deposit(); as d) {
        <div class="deposit">
          <cv-deposit-qr [value]="paymentUri()" />
          <dl>
            <dt i18n>Send exactly</dt>
            <dd><strong>{{ d.payAmount }} {{ d.currency.toUpperCase() }}</strong></dd>
            <dt i18n>To address</dt>
            <dd><code class="address">{{ d.payAddress }}</code></dd>
            <dt i18n>Credited</dt>
            <dd>{{ d.amount | usd }}</dd>
            <dt i18n>Status</dt>
            <dd>{{ statusText(d.status) }}</dd>
            <dt i18n>Expires</dt>
            <dd><cv-time [at]="d.expiresAt" /> (<cv-time [at]="d.expiresAt" format="time" />)</dd>
            <dt i18n>Provider</dt>
            <dd>{{ d.provider }}</dd>
          </dl>
          <div class="actions">
            @if (d.provider === 'sandbox' && d.status !== 'finished') {
              <button i18n mat-flat-button type="button" (click)="simulate()" [disabled]="busy()">Simulate payment</button>
            }
            <button i18n mat-button type="button" (click)="store.clearDeposit()">New deposit</button>
          </div>
          @if (d.provider === 'sandbox') {
            <p i18n class="muted">Sandbox: no real payment is possible; "Simulate payment" sends the provider's signed confirmation through the real webhook.</p>
          }
        </div>
      } @else {
        <form class="form" #depositForm="ngForm" (ngSubmit)="createDeposit(depositForm)">
          <mat-form-field subscriptSizing="dynamic">
            <mat-label i18n>Amount (USD)</mat-label>
            <input matInput name="amount" inputmode="decimal" autocomplete="off" required #amountModel="ngModel"
              [cvField]="fields.amount" [cvServerError]="errors.fields()['amount']" [(ngModel)]="amount" />
            <mat-error>{{ amountModel.errors | fieldError }}</mat-error>
            <mat-hint>{{ amountRange }}</mat-hint>
          </mat-form-field>
          <mat-form-field subscriptSizing="dynamic">
            <mat-label i18n>Pay with</mat-label>
            <mat-select name="currency" required #currencyModel="ngModel" [cvField]="fields.currency" [cvServerError]="errors.fields()['currency']" [(ngModel)]="currency">
              @for (c of currencies; track c) {
                <mat-option [value]="c">{{ c.toUpperCase() }}</mat-option>
              }
            </mat-select>
            <mat-error>{{ currencyModel.errors | fieldError }}</mat-error>
          </mat-form-field>
          @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
          <button i18n mat-flat-button type="submit" [disabled]="busy()">Create deposit</button>
        </form>
      }

      <h2 i18n>Withdraw</h2>
      <p i18n><a routerLink="/wallet/addresses">Withdrawal addresses</a>: withdrawals go only to addresses saved and confirmed there.</p>
      <cv-withdraw-form />

      <h2 i18n>Withdrawals</h2>
      <cv-withdrawals-list />
    </div>
  `,
})
export class WalletPage implements OnInit {
  protected readonly store = inject(WalletStore);
  private readonly format = inject(DisplayFormat);
  /** What the API takes to pay with. */
  protected readonly currencies = CreateDepositDtoConstraints.currency.enum;
  protected amount = '100';
  protected currency: DepositCurrency = 'usdt';
  protected readonly busy = signal(false);
  protected readonly errors = new FormErrors(['amount', 'currency']);
  /** The API's rules for the deposit's fields, and how messages name them. */
  protected readonly fields = {
    amount: fieldRule(CreateDepositDtoConstraints.amount, { label: $localize`:A field named in messages like "Enter an amount like 250 or 0.5":an amount` }),
    currency: fieldRule(CreateDepositDtoConstraints.currency, { label: $localize`a currency`, missing: $localize`Choose what you pay with` }),
  };
  /** The smallest and largest deposit, as the API states them: "From $10.00 to $100,000.00". */
  protected readonly amountRange = $localize`From ${this.format.money(this.fields.amount.constraints.decimal?.min, 'USD')}:MIN: to ${this.format.money(this.fields.amount.constraints.decimal?.max, 'USD')}:MAX:`;
  protected readonly statusText = depositStatusText;

  protected readonly paymentUri = computed(() => {
    const d = this.store.deposit();
    if (!d) return '';
    const scheme = URI_SCHEMES[d.currency];
    return scheme ? `${scheme}:${d.payAddress}?amount=${d.payAmount}` : d.payAddress;
  });

  ngOnInit(): void {
    void this.store.load().catch(() => undefined);
    void this.store.loadWithdrawals().catch(() => undefined);
  }

  protected async createDeposit(form: NgForm): Promise<void> {
    this.errors.clear();
    if (!readyToSend(form)) return;
    this.busy.set(true);
    try {
      await this.store.createDeposit(readDecimal(this.amount, this.format), this.currency);
    } catch (err) {
      this.errors.set(err);
    } finally {
      this.busy.set(false);
    }
  }

  protected async simulate(): Promise<void> {
    this.busy.set(true);
    try {
      await this.store.simulatePayment();
    } catch {
      /* the error interceptor has shown it */
    } finally {
      this.busy.set(false);
    }
  }
}
