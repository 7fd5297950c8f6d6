import { Injectable, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { cancelWithdrawal } from '../../api/fn/wallet/cancel-withdrawal';
import { createDeposit } from '../../api/fn/wallet/create-deposit';
import { createWithdrawal } from '../../api/fn/wallet/create-withdrawal';
import { getWalletBalance } from '../../api/fn/wallet/get-wallet-balance';
import { getWithdrawalRules } from '../../api/fn/wallet/get-withdrawal-rules';
import { listWithdrawals } from '../../api/fn/wallet/list-withdrawals';
import { simulateDeposit } from '../../api/fn/wallet/simulate-deposit';
import type { CreateWithdrawalDto, DepositCurrency, DepositDto, WalletDto, WithdrawalDto, WithdrawalRulesDto } from '../../api/models';
import { silentErrors } from '../../core/http/http-context';
import { UserEventsStore } from '../../core/notifications/user-events.store';
import { whenBumped } from '../../core/notifications/when-bumped';

const PAGE = 20;

/**
 * Balances, the current deposit, the user's withdrawals and the withdrawal
 * rules. A deposit or withdrawal event on /ws/user (credited, approved, sent,
 * rejected, from another tab) reloads the balances and the withdrawals, and
 * the rules when they are loaded (the daily limit left changes).
 */
@Injectable()
export class WalletStore {
  private readonly api = inject(Api);
  readonly wallet = signal<WalletDto | null>(null);
  readonly deposit = signal<DepositDto | null>(null);
  readonly loading = signal(false);
  readonly withdrawals = signal<WithdrawalDto[] | null>(null);
  readonly withdrawalsCursor = signal<string | null>(null);
  readonly rules = signal<WithdrawalRulesDto | null>(null);

  constructor() {
    whenBumped(inject(UserEventsStore).walletChanged, () => void this.refresh().catch(() => undefined));
  }

  async refresh(): Promise<void> {
    await Promise.all([this.load(), this.loadWithdrawals(), this.reloadRules()]);
  }

  /** What POST /withdraw enforces: per-asset networks, minimum, fee and decimals, and the USD limits. */
  async loadRules(): Promise<void> {
    const res = await this.api.invoke(getWithdrawalRules, {});
    this.rules.set(res.rules);
  }

  /** The rules again if the form loaded them (the daily limit left moves with every withdrawal). */
  private reloadRules(): Promise<void> {
    return this.rules() ? this.loadRules() : Promise.resolve();
  }

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
    await Promise.all([this.load(), this.loadRules()]).catch(() => undefined);
    return res.withdrawal;
  }

  /** Only while pending; the held amount and fee go back to available. */
  async cancelWithdrawal(id: string): Promise<void> {
    const res = await this.api.invoke(cancelWithdrawal, { id });
    this.withdrawals.update((list) => list?.map((w) => (w.id === id ? res.withdrawal : w)) ?? null);
    await Promise.all([this.load(), this.reloadRules()]).catch(() => undefined);
  }
}
