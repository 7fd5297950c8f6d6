import { Injectable, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { cancelWithdrawal } from '../../api/fn/wallet/cancel-withdrawal';
import { createCashOut } from '../../api/fn/wallet/create-cash-out';
import { createCashOutQuote } from '../../api/fn/wallet/create-cash-out-quote';
import { createDeposit } from '../../api/fn/wallet/create-deposit';
import { createWithdrawal } from '../../api/fn/wallet/create-withdrawal';
import { getDeposit } from '../../api/fn/wallet/get-deposit';
import { getWalletBalance } from '../../api/fn/wallet/get-wallet-balance';
import { getWithdrawalRules } from '../../api/fn/wallet/get-withdrawal-rules';
import { listWithdrawals } from '../../api/fn/wallet/list-withdrawals';
import { simulateDeposit } from '../../api/fn/wallet/simulate-deposit';
import type {
  CashOutQuoteDto,
  CreateCashOutDto,
  CreateCashOutQuoteDto,
  CreateDepositDto,
  CreateWithdrawalDto,
  DepositDto,
  DepositStatus,
  WalletDto,
  WithdrawalDto,
  WithdrawalRulesDto,
} from '../../api/models';
import { CursorPages } from '../../core/data/cursor-pages';
import { silentErrors } from '../../core/http/http-context';
import { UserEventsStore } from '../../core/notifications/user-events.store';
import { whenBumped } from '../../core/notifications/when-bumped';

const PAGE = 20;
/** The deposit on screen, kept for this tab so a reload shows it again while it is being paid. */
const OPEN_DEPOSIT = 'cv.wallet.deposit';
/** Statuses after which nothing more happens to a deposit. */
export const FINAL_DEPOSIT_STATUSES: ReadonlySet<DepositStatus> = new Set(['finished', 'failed', 'refunded', 'expired']);

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
  private readonly withdrawalPages = new CursorPages<WithdrawalDto>((cursor) =>
    this.api.invoke(listWithdrawals, { limit: PAGE, ...(cursor ? { cursor } : {}) }),
  );
  /** The user's withdrawals, newest first; null until read. */
  readonly withdrawals = this.withdrawalPages.list;
  readonly withdrawalsCursor = this.withdrawalPages.nextCursor;
  readonly rules = signal<WithdrawalRulesDto | null>(null);

  constructor() {
    whenBumped(inject(UserEventsStore).walletChanged, () => void this.refresh().catch(() => undefined));
  }

  async refresh(): Promise<void> {
    await Promise.all([this.load(), this.loadWithdrawals(), this.reloadRules(), this.refreshDeposit()]);
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
  async createDeposit(body: CreateDepositDto): Promise<DepositDto> {
    const deposit = await this.api.invoke(createDeposit, { body }, silentErrors());
    this.showDeposit(deposit);
    return deposit;
  }

  /** The deposit this tab showed before a reload, again, unless nothing more can happen to it. */
  async restoreDeposit(): Promise<void> {
    const orderId = sessionStorage.getItem(OPEN_DEPOSIT);
    if (!orderId || this.deposit()) return;
    try {
      const res = await this.api.invoke(getDeposit, { orderId }, silentErrors());
      if (FINAL_DEPOSIT_STATUSES.has(res.deposit.status)) sessionStorage.removeItem(OPEN_DEPOSIT);
      else this.deposit.set(res.deposit);
    } catch {
      sessionStorage.removeItem(OPEN_DEPOSIT);
    }
  }

  /** The shown deposit as the server has it now (its status moves with the provider's notifications). */
  async refreshDeposit(): Promise<void> {
    const d = this.deposit();
    if (!d) return;
    const res = await this.api.invoke(getDeposit, { orderId: d.orderId }, silentErrors());
    if (this.deposit()?.orderId === d.orderId) this.deposit.set(res.deposit);
  }

  private showDeposit(deposit: DepositDto): void {
    this.deposit.set(deposit);
    sessionStorage.setItem(OPEN_DEPOSIT, deposit.orderId);
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
    sessionStorage.removeItem(OPEN_DEPOSIT);
  }

  /** Starts the list again (a reload overtakes a "Load more" still on its way: its rows are dropped). */
  loadWithdrawals(): Promise<void> {
    return this.withdrawalPages.reload();
  }

  loadMoreWithdrawals(): Promise<void> {
    return this.withdrawalPages.more();
  }

  /**
   * One Idempotency-Key per submit attempt: the interceptor's retry after a
   * token refresh resends the same key, so the server creates it at most once.
   * Rejects with an ApiError (field messages for the form); no snackbar.
   */
  async withdraw(body: CreateWithdrawalDto): Promise<WithdrawalDto> {
    const res = await this.api.invoke(createWithdrawal, { 'Idempotency-Key': crypto.randomUUID(), body }, silentErrors());
    this.withdrawalPages.patch((list) => [res.withdrawal, ...list.filter((w) => w.id !== res.withdrawal.id)]);
    await Promise.all([this.load(), this.loadRules()]).catch(() => undefined);
    return res.withdrawal;
  }

  /** Prices a USD cash-out (locked for the quote's `validForMs`); rejects with an ApiError (no snackbar: the form shows it). */
  async cashOutQuote(body: CreateCashOutQuoteDto): Promise<CashOutQuoteDto> {
    return (await this.api.invoke(createCashOutQuote, { body }, silentErrors())).quote;
  }

  /**
   * Cashes out at a quote: one withdrawal of the stablecoin. `idempotencyKey` is one per quote and submit, so a retry
   * (the interceptor's after a token refresh, a second click) answers the same withdrawal. Rejects with an ApiError.
   */
  async cashOut(body: CreateCashOutDto, idempotencyKey: string): Promise<WithdrawalDto> {
    const res = await this.api.invoke(createCashOut, { 'Idempotency-Key': idempotencyKey, body }, silentErrors());
    this.withdrawalPages.patch((list) => [res.withdrawal, ...list.filter((w) => w.id !== res.withdrawal.id)]);
    await Promise.all([this.load(), this.loadRules()]).catch(() => undefined);
    return res.withdrawal;
  }

  /** Only while pending; the held amount and fee go back to available (a cash-out's dollars, to USD). */
  async cancelWithdrawal(id: string): Promise<void> {
    const res = await this.api.invoke(cancelWithdrawal, { id });
    this.withdrawalPages.patch((list) => list.map((w) => (w.id === id ? res.withdrawal : w)));
    await Promise.all([this.load(), this.reloadRules()]).catch(() => undefined);
  }
}
