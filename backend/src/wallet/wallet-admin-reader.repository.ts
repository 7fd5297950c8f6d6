import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** Deposit states after which nothing more is expected from the provider. */
const DEPOSIT_FINAL_STATES = ['finished', 'failed', 'refunded', 'expired', 'cancelled'];

/** The queries the back office makes of `deposits` and `withdrawals` (owned by wallet): reached only through {@link WalletAdminReader}. */
@Injectable()
export class WalletAdminReaderRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Which of the two tables this deployment has (a figure of a missing table is null). */
  async present(): Promise<{ deposits: boolean; withdrawals: boolean }> {
    const [row] = await this.dataSource.query<{ deposits: boolean; withdrawals: boolean }[]>(
      `SELECT to_regclass('deposits') IS NOT NULL AS deposits, to_regclass('withdrawals') IS NOT NULL AS withdrawals`,
    );
    return row;
  }

  /** Deposits still waiting for the provider. */
  async pendingDeposits(): Promise<number> {
    const [{ pending }] = await this.dataSource.query<{ pending: number }[]>(`SELECT count(*)::int AS pending FROM deposits WHERE NOT (status = ANY($1))`, [
      DEPOSIT_FINAL_STATES,
    ]);
    return pending;
  }

  /** Withdrawals waiting for an admin's review. */
  async pendingWithdrawals(): Promise<number> {
    const [{ pending }] = await this.dataSource.query<{ pending: number }[]>(`SELECT count(*)::int AS pending FROM withdrawals WHERE status = 'pending'`);
    return pending;
  }
}
