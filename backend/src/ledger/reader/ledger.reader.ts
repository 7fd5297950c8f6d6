import type { Tx } from '../../database/unit-of-work';
import { Injectable } from '@nestjs/common';
import {
  ActivityEventRow,
  ActivityFilters,
  ActivityLegRow,
  ActivityLineRow,
  EXTERNAL_FLOW_KINDS,
  LedgerReaderRepository,
  MovementRow,
  PeriodStatementRow,
  StatementRow,
  TransactionFilters,
  TransactionRow,
  TransactionStatsRow,
} from './ledger-reader.repository';

export type {
  ActivityEventRow,
  ActivityFilters,
  ActivityLegRow,
  ActivityLineRow,
  MovementRow,
  PeriodStatementRow,
  StatementRow,
  TransactionFilters,
  TransactionRow,
  TransactionStatsRow,
};
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

  /**
   * The account's business events, newest first: each journal that changed its total (available + locked) in some
   * asset, with what it did to each asset and the total after it (holds and releases alone are no event). One page
   * after `cursor` (created_at, seq) when `page` is given, else all of them.
   */
  activity(account: string, filters: ActivityFilters, page?: { limit: number; cursor?: { createdAt: Date; id: string } }): Promise<ActivityEventRow[]> {
    return this.repo.activity(account, filters, page);
  }

  /** The account's entries in these journals, holds and releases included, in the order they were written. */
  activityLines(account: string, journalIds: readonly string[]): Promise<ActivityLineRow[]> {
    return this.repo.activityLines(account, journalIds);
  }

  /** The transactions (as `transactions`, unpaged) with their journal and the account's total in the asset after each. */
  statement(account: string, filters: TransactionFilters & { eventType?: string }): Promise<StatementRow[]> {
    return this.repo.statement(account, filters);
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
   * Every user account's total (available + locked) per asset, one row per balance row (zero totals included: an
   * account that ever held an asset has its row), ordered by account and asset: the leaves of the proof of reserves.
   * Read in the caller's transaction, so that it and `userLiabilities` see one snapshot.
   */
  userBalances(tx: Tx): Promise<{ account: string; asset: string; total: string }[]> {
    return this.repo.userBalances(tx);
  }

  /**
   * What each journal did to each asset of the account up to `until`, oldest first, split into its external flow
   * (deposits, withdrawals, adjustments), its fee and the rest (the performance of portfolio reads it in one query).
   */
  movements(account: string, until: Date): Promise<MovementRow[]> {
    return this.repo.movements(account, until);
  }

  /**
   * A period's statement of the account, read in one snapshot: its total per asset before `from` (`opening` rows) and
   * what each journal did to each asset in [`from`, `to`) with the part that was a fee (`movement` rows, in the order
   * they applied). Opening + movements = the total at `to`; holds and releases alone are no movement.
   */
  periodStatement(account: string, from: Date, to: Date): Promise<PeriodStatementRow[]> {
    return this.repo.periodStatement(account, from, to);
  }

  /** When the account's first ledger entry was written (null before it has any). */
  firstEntryAt(account: string): Promise<Date | null> {
    return this.repo.firstEntryAt(account);
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
