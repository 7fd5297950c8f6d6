import type { Tx } from '../../database/unit-of-work';
import { Injectable } from '@nestjs/common';
import { EXTERNAL_FLOW_KINDS, LedgerReaderRepository, MovementRow, TransactionFilters, TransactionRow, TransactionStatsRow } from './ledger-reader.repository';

export type { MovementRow, TransactionFilters, TransactionRow, TransactionStatsRow };
export { EXTERNAL_FLOW_KINDS };

/**
 * What the domains above the ledger may read of it: an account's
 * transactions (journals grouped per kind and asset), its totals per asset,
 * and its holdings at points in time. Accounts are ledger account names
 * (`userAccount(id)`).
 */
@Injectable()
export class LedgerReader {
  constructor(private readonly repo: LedgerReaderRepository) {}

  /** Newest first, filtered; one page after `cursor` when `page` is given, else all of them. */
  transactions(
    account: string,
    filters: TransactionFilters,
    page?: { limit: number; cursor?: { createdAt: Date | string; id: string } },
  ): Promise<TransactionRow[]> {
    return this.repo.transactions(account, filters, page);
  }

  async transaction(account: string, id: string): Promise<TransactionRow | undefined> {
    return (await this.repo.transaction(account, id))[0];
  }

  transactionStats(account: string): Promise<TransactionStatsRow[]> {
    return this.repo.transactionStats(account);
  }

  /** Available + locked per asset (assets the account ever held; totals may be zero). */
  totals(account: string): Promise<{ asset: string; total: string }[]> {
    return this.repo.totals(account);
  }

  /** What all users own per asset (available and held): the platform's liabilities, for the external reconciliation. */
  userLiabilities(tx?: Tx): Promise<{ asset: string; amount: string }[]> {
    return this.repo.userLiabilities(tx);
  }

  /**
   * What each journal did to each asset of the account up to `until`, oldest first, split into its external flow
   * (deposits, withdrawals, adjustments), its fee and the rest (the performance of portfolio reads it in one query).
   */
  movements(account: string, until: Date): Promise<MovementRow[]> {
    return this.repo.movements(account, until);
  }

  /**
   * The account's holdings at each point (every `stepHours` over the last
   * `days`, and now): one row per point and asset, or one row with a null
   * asset for a point before anything was held.
   */
  holdingsAt(account: string, days: number, stepHours: number): Promise<{ t: Date; asset: string | null; amount: string | null }[]> {
    return this.repo.holdingsAt(account, days, stepHours);
  }
}
