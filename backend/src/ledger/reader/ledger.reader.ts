import { Injectable } from '@nestjs/common';
import { LedgerReaderRepository, TransactionFilters, TransactionRow, TransactionStatsRow } from './ledger-reader.repository';

export type { TransactionFilters, TransactionRow, TransactionStatsRow };

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

  /**
   * The account's holdings at each point (every `stepHours` over the last
   * `days`, and now): one row per point and asset, or one row with a null
   * asset for a point before anything was held.
   */
  holdingsAt(account: string, days: number, stepHours: number): Promise<{ t: Date; asset: string | null; amount: string | null }[]> {
    return this.repo.holdingsAt(account, days, stepHours);
  }
}
