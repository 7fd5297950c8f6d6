import { Injectable, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { createDeposit } from '../../api/fn/wallet/create-deposit';
import { getWalletBalance } from '../../api/fn/wallet/get-wallet-balance';
import { simulateDeposit } from '../../api/fn/wallet/simulate-deposit';
import type { DepositCurrency, DepositDto, WalletDto } from '../../api/models';
import { silentErrors } from '../../core/http/http-context';

@Injectable()
export class WalletStore {
  private readonly api = inject(Api);
  readonly wallet = signal<WalletDto | null>(null);
  readonly deposit = signal<DepositDto | null>(null);
  readonly loading = signal(false);

  async load(): Promise<void> {
    this.loading.set(true);
    try {
      const res = await this.api.invoke(getWalletBalance, {});
      this.wallet.set(res.wallet);
    } finally {
      this.loading.set(false);
    }
  }

  /** Rejects with an ApiError (field messages for the form); no snackbar. */
  async createDeposit(amount: string, currency: DepositCurrency): Promise<DepositDto> {
    const deposit = await this.api.invoke(createDeposit, { body: { amount, currency } }, silentErrors());
    this.deposit.set(deposit);
    return deposit;
  }

  /** Sandbox provider only: the backend sends itself the signed "finished" payment notification. */
  async simulatePayment(): Promise<void> {
    const d = this.deposit();
    if (!d) return;
    const res = await this.api.invoke(simulateDeposit, { orderId: d.orderId });
    this.deposit.set(res.deposit);
    await this.load();
  }

  clearDeposit(): void {
    this.deposit.set(null);
  }
}
