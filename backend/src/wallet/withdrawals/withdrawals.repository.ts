import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Dec } from '../../common/money/decimal';
import { queryRows } from '../../database/rows';
import type { Tx } from '../../database/unit-of-work';
import type { WithdrawalRow } from './withdrawal.mapper';
import { LIMIT_STATUSES } from './withdrawal-state';

const SELECT = `SELECT w.*, (SELECT count(*)::int FROM withdrawal_approvals a WHERE a.withdrawal_id = w.id) AS approvals FROM withdrawals w`;

export interface NewWithdrawal {
  id: string;
  userId: string;
  asset: string;
  network: string;
  address: string;
  addressId: string;
  addressLabel: string;
  amount: Dec;
  fee: Dec;
  usdValue: Dec;
  requiredApprovals: number;
  /** A USD cash-out: the dollars behind it (source_asset USD). */
  cashOut?: { quoteId: string; usdAmount: Dec; fee: Dec; price: Dec };
}

/** The `withdrawals` and `withdrawal_approvals` tables (owned by wallet). */
@Injectable()
export class WithdrawalsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The withdrawals waiting on us (for /metrics): per status, how many and how long the oldest has waited, pending
   * since it was requested, approved since its approval (withdrawals_status_created narrows each to its own rows).
   */
  async queue(): Promise<{ status: 'pending' | 'approved'; count: number; oldestSeconds: number }[]> {
    const rows = (await this.dataSource.query(
      `SELECT status, count(*)::int AS count,
              extract(epoch FROM now() - min(CASE WHEN status = 'approved' THEN coalesce(approved_at, created_at) ELSE created_at END))::float8 AS oldest
         FROM withdrawals WHERE status IN ('pending', 'approved') GROUP BY status`,
    )) as { status: 'pending' | 'approved'; count: number; oldest: number | string }[];
    return rows.map((r) => ({ status: r.status, count: Number(r.count), oldestSeconds: Math.max(0, Number(r.oldest)) }));
  }

  /** Serialises one user's withdrawal requests until `tx` ends (the 24-hour sum cannot be raced). */
  async serializeUser(tx: Tx, userId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`withdraw:${userId}`]);
  }

  /** USD the user withdrew or has in flight in the last 24 hours, as a decimal string. */
  async usedToday(userId: string, tx?: Tx): Promise<string> {
    const [{ sum }] = (await (tx ?? this.dataSource).query(
      `SELECT coalesce(sum(usd_value), 0)::text AS sum FROM withdrawals WHERE user_id = $1 AND status = ANY($2) AND created_at > now() - interval '24 hours'`,
      [userId, LIMIT_STATUSES],
    )) as { sum: string }[];
    return sum;
  }

  async insert(tx: Tx, w: NewWithdrawal): Promise<void> {
    await tx.query(
      `INSERT INTO withdrawals (id, user_id, asset, network, address, address_id, address_label, amount, fee, usd_value, status, required_approvals,
                                source_asset, source_amount, source_fee, source_price, cash_out_quote_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11, $12, $13, $14, $15, $16)`,
      [
        w.id,
        w.userId,
        w.asset,
        w.network,
        w.address,
        w.addressId,
        w.addressLabel,
        w.amount.toFixed(),
        w.fee.toFixed(),
        w.usdValue.toFixed(8),
        w.requiredApprovals,
        w.cashOut ? 'USD' : null,
        w.cashOut?.usdAmount.toFixed() ?? null,
        w.cashOut?.fee.toFixed() ?? null,
        w.cashOut?.price.toFixed() ?? null,
        w.cashOut?.quoteId ?? null,
      ],
    );
  }

  /** The withdrawal with its approval count; through `tx` inside a transaction; only the owner's when `ownerId` is given. */
  async find(id: string, opts: { tx?: Tx; ownerId?: string } = {}): Promise<WithdrawalRow | undefined> {
    const [row] = (await (opts.tx ?? this.dataSource).query(
      `${SELECT} WHERE w.id = $1${opts.ownerId ? ' AND w.user_id = $2' : ''}`,
      opts.ownerId ? [id, opts.ownerId] : [id],
    )) as WithdrawalRow[];
    return row;
  }

  /** Locks the withdrawal row for the rest of `tx`'s transaction (only the owner's when `ownerId` is given). */
  async lock(tx: Tx, id: string, ownerId?: string): Promise<WithdrawalRow | undefined> {
    const [row] = (await tx.query(
      `SELECT * FROM withdrawals WHERE id = $1 ${ownerId ? 'AND user_id = $2' : ''} FOR UPDATE`,
      ownerId ? [id, ownerId] : [id],
    )) as WithdrawalRow[];
    return row;
  }

  async markCancelled(tx: Tx, id: string): Promise<void> {
    await tx.query(`UPDATE withdrawals SET status = 'cancelled', cancelled_at = now(), updated_at = now() WHERE id = $1`, [id]);
  }

  async markApproved(tx: Tx, id: string): Promise<void> {
    await tx.query(`UPDATE withdrawals SET status = 'approved', approved_at = now(), updated_at = now() WHERE id = $1`, [id]);
  }

  async markCompleted(tx: Tx, id: string, txHash: string): Promise<void> {
    await tx.query(`UPDATE withdrawals SET status = 'completed', tx_hash = $2, completed_at = now(), updated_at = now() WHERE id = $1`, [id, txHash]);
  }

  async markRejected(tx: Tx, id: string, reason: string): Promise<void> {
    await tx.query(`UPDATE withdrawals SET status = 'rejected', reject_reason = $2, rejected_at = now(), updated_at = now() WHERE id = $1`, [id, reason]);
  }

  /** Records an admin's approval; false when this admin already approved. Returns the approvals so far. */
  async addApproval(tx: Tx, id: string, adminId: string): Promise<{ added: boolean; count: number }> {
    const inserted = await queryRows<{ admin_id: string }>(
      tx,
      `INSERT INTO withdrawal_approvals (withdrawal_id, admin_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING admin_id`,
      [id, adminId],
    );
    if (!inserted.length) return { added: false, count: 0 };
    const [{ count }] = (await tx.query(`SELECT count(*)::int AS count FROM withdrawal_approvals WHERE withdrawal_id = $1`, [id])) as { count: number }[];
    return { added: true, count };
  }

  /**
   * One page, newest first (keyset at millisecond precision, the precision the
   * cursor carries): a user's (`userId`), or every user's of a status (admins).
   * Returns up to `limit` rows (ask one more to know whether there is a next page).
   */
  async page(filter: { userId?: string; status?: string }, limit: number, cursor?: { createdAt: Date | string; id: string }): Promise<WithdrawalRow[]> {
    const [where, params]: [string, unknown[]] =
      filter.userId !== undefined ? [`w.user_id = $1`, [filter.userId]] : [filter.status ? `w.status = $1` : `$1::text IS NULL`, [filter.status ?? null]];
    const n = params.length;
    const at = `date_trunc('milliseconds', w.created_at)`;
    const keyset = cursor ? `AND (${at}, w.id) < ($${n + 2}, $${n + 3}::uuid)` : '';
    return this.dataSource.query(`${SELECT} WHERE ${where} ${keyset} ORDER BY ${at} DESC, w.id DESC LIMIT $${n + 1}`, [
      ...params,
      limit,
      ...(cursor ? [cursor.createdAt, cursor.id] : []),
    ]);
  }
}
