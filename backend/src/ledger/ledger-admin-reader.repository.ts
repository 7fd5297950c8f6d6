import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** One asset's balance of an account (a decimal string, 8 places). */
export interface AssetAmountRow {
  asset: string;
  amount: string;
}

/** The queries the back office makes of `balances` (owned by the ledger): reached only through {@link LedgerAdminReader}. */
@Injectable()
export class LedgerAdminReaderRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Whether this deployment has the balances table (a figure of a missing table is null). */
  async present(): Promise<boolean> {
    const [{ present }] = await this.dataSource.query<{ present: boolean }[]>(`SELECT to_regclass('balances') IS NOT NULL AS present`);
    return present;
  }

  /** An account's balance per asset: the sum of its shard rows, available and locked. */
  accountTotals(account: string): Promise<AssetAmountRow[]> {
    return this.dataSource.query<AssetAmountRow[]>(
      `SELECT asset, sum(available + locked)::numeric(38, 8)::text AS amount FROM balances WHERE account = $1 GROUP BY asset ORDER BY asset`,
      [account],
    );
  }
}
