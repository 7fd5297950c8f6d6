import { ChangeDetectionStrategy, Component, OnInit, inject, signal } from '@angular/core';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { AmountComponent, ValuePipe } from '../../core/ui/format.pipes';
import { RouterLink } from '@angular/router';
import { AddressBookStore } from './address-book.store';
import { DepositSection } from './deposit';
import { WalletStore } from './wallet.store';
import { WithdrawForm } from './withdraw-form';
import { CashOutForm } from './cash-out-form';
import { WithdrawalsList } from './withdrawals-list';
import { CardTable } from '../../core/ui/card-table';
import { Skeleton } from '../../core/ui/skeleton';

@Component({
  selector: 'cv-wallet-page',
  imports: [Skeleton, CardTable, ValuePipe, RouterLink, AmountComponent, DepositSection, WithdrawForm, CashOutForm, WithdrawalsList, MatButtonToggleModule],
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
      <cv-deposit />

      <h2 i18n>Withdraw</h2>
      <p i18n><a routerLink="/wallet/addresses">Withdrawal addresses</a>: withdrawals go only to addresses saved and confirmed there.</p>
      <mat-button-toggle-group class="withdraw-mode" [value]="withdrawMode()" (change)="withdrawMode.set($event.value)" aria-label="What to withdraw" i18n-aria-label>
        <mat-button-toggle i18n value="crypto" data-testid="withdraw-mode-crypto">Crypto</mat-button-toggle>
        <mat-button-toggle i18n value="cash-out" data-testid="withdraw-mode-cash-out">Cash out USD</mat-button-toggle>
      </mat-button-toggle-group>
      @if (withdrawMode() === 'cash-out') {
        <cv-cash-out-form />
      } @else {
        <cv-withdraw-form />
      }

      <h2 i18n>Withdrawals</h2>
      <cv-withdrawals-list />
    </div>
  `,
})
export class WalletPage implements OnInit {
  protected readonly store = inject(WalletStore);
  /** Withdraw crypto held, or cash out dollars as a stablecoin (no bank rail: API.md "USD cash-out"). */
  protected readonly withdrawMode = signal<'crypto' | 'cash-out'>('crypto');

  ngOnInit(): void {
    void this.store.load().catch(() => undefined);
    void this.store.loadWithdrawals().catch(() => undefined);
  }
}
