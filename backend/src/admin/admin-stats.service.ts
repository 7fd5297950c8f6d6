import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AdminStatsDto } from './dto/admin-back-office.dto';

/** Deposit states after which nothing more is expected from the provider. */
const DEPOSIT_FINAL_STATES = ['finished', 'failed', 'refunded', 'expired', 'cancelled'];

/**
 * The back-office dashboard figures, read from the tables the owning modules
 * write. A figure whose table does not exist in this deployment is null.
 */
@Injectable()
export class AdminStatsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async stats(): Promise<AdminStatsDto> {
    const [users] = await this.dataSource.query<{ total: number; verified: number; suspended: number; active7d: number }[]>(`
      SELECT count(*)::int AS total,
             count(*) FILTER (WHERE email_verified_at IS NOT NULL)::int AS verified,
             count(*) FILTER (WHERE suspended_at IS NOT NULL)::int AS suspended,
             (SELECT count(DISTINCT user_id)::int FROM sessions WHERE last_used_at >= now() - interval '7 days') AS active7d
        FROM users`);
    const [tables] = await this.dataSource.query<Record<'orders' | 'balances' | 'deposits' | 'withdrawals', boolean>[]>(`
      SELECT to_regclass('orders') IS NOT NULL AS orders, to_regclass('balances') IS NOT NULL AS balances,
             to_regclass('deposits') IS NOT NULL AS deposits, to_regclass('withdrawals') IS NOT NULL AS withdrawals`);

    const [trades] = tables.orders
      ? await this.dataSource.query<{ count: number; volume: string }[]>(`
          SELECT count(*)::int AS count, COALESCE(sum(filled_price * quantity), 0)::numeric(38, 2)::text AS volume
            FROM orders WHERE status = 'filled' AND filled_at >= now() - interval '24 hours'`)
      : [undefined];
    const fees = tables.balances
      ? await this.dataSource.query<{ asset: string; amount: string }[]>(
          // The sum of the account's shard rows (LedgerService).
          `SELECT asset, sum(available + locked)::numeric(38, 8)::text AS amount FROM balances WHERE account = 'platform:fees' GROUP BY asset ORDER BY asset`,
        )
      : null;
    const [deposits] = tables.deposits
      ? await this.dataSource.query<{ pending: number }[]>(`SELECT count(*)::int AS pending FROM deposits WHERE NOT (status = ANY($1))`, [DEPOSIT_FINAL_STATES])
      : [undefined];
    const [withdrawals] = tables.withdrawals
      ? await this.dataSource.query<{ pending: number }[]>(`SELECT count(*)::int AS pending FROM withdrawals WHERE status = 'pending'`)
      : [undefined];

    return {
      users,
      trades: { count24h: trades?.count ?? null, volume24hUsd: trades?.volume ?? null },
      deposits: { pending: deposits?.pending ?? null },
      withdrawals: { pending: withdrawals?.pending ?? null },
      feeRevenue: fees,
      generatedAt: new Date().toISOString(),
    };
  }
}
