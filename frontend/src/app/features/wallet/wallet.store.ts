import { Injectable, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { cancelWithdrawal } from '../../api/fn/wallet/cancel-withdrawal';
import { createDeposit } from '../../api/fn/wallet/create-deposit';
import { createWithdrawal } from '../../api/fn/wallet/create-withdrawal';
import { getWalletBalance } from '../../api/fn/wallet/get-wallet-balance';
import { listWithdrawals } from '../../api/fn/wallet/list-withdrawals';
import { simulateDeposit } from '../../api/fn/wallet/simulate-deposit';
import type { CreateWithdrawalDto, DepositCurrency, DepositDto, WalletDto, WithdrawalDto } from '../../api/models';
import { silentErrors } from '../../core/http/http-context';

const PAGE = 20;

@Injectable()
export class WalletStore {
  private readonly api = inject(Api);
  readonly wallet = signal<WalletDto | null>(null);
  readonly deposit = signal<DepositDto | null>(null);
  readonly loading = signal(false);
  readonly withdrawals = signal<WithdrawalDto[] | null>(null);
  readonly withdrawalsCursor = signal<string | null>(null);

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

  async loadWithdrawals(): Promise<void> {
    const page = await this.api.invoke(listWithdrawals, { limit: PAGE });
    this.withdrawals.set(page.items);
    this.withdrawalsCursor.set(page.nextCursor);
  }

  async loadMoreWithdrawals(): Promise<void> {
    const cursor = this.withdrawalsCursor();
    if (!cursor) return;
    const page = await this.api.invoke(listWithdrawals, { limit: PAGE, cursor });
    this.withdrawals.update((list) => [...(list ?? []), ...page.items]);
    this.withdrawalsCursor.set(page.nextCursor);
  }

  /**
   * One Idempotency-Key per submit attempt: the interceptor's retry after a
   * token refresh resends the same key, so the server creates it at most once.
   * Rejects with an ApiError (field messages for the form); no snackbar.
   */
  async withdraw(body: CreateWithdrawalDto): Promise<WithdrawalDto> {
    const res = await this.api.invoke(createWithdrawal, { 'Idempotency-Key': crypto.randomUUID(), body }, silentErrors());
    this.withdrawals.update((list) => [res.withdrawal, ...(list ?? []).filter((w) => w.id !== res.withdrawal.id)]);
    await this.load().catch(() => undefined);
    return res.withdrawal;
  }

  /** Only while pending; the held amount and fee go back to available. */
  async cancelWithdrawal(id: string): Promise<void> {
    const res = await this.api.invoke(cancelWithdrawal, { id });
    this.withdrawals.update((list) => list?.map((w) => (w.id === id ? res.withdrawal : w)) ?? null);
    await this.load().catch(() => undefined);
  }
}
