import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Dec } from '../common/money/decimal';
import type { Tx } from '../database/unit-of-work';
import type { LedgerAdjustmentStatus } from './dto/wallet.dto';

/** A `ledger_adjustments` row (the emails are added by the service, from UsersReader). */
export interface AdjustmentRow {
  id: string;
  user_id: string;
  user_email?: string | null;
  asset: string;
  amount: string;
  usd_value: string;
  reason: string;
  status: LedgerAdjustmentStatus;
  requested_by: string;
  requested_by_email?: string | null;
  approved_by: string | null;
  rejected_by: string | null;
  reject_reason: string | null;
  journal_id: string | null;
  created_at: Date;
  decided_at: Date | null;
}

export interface NewAdjustment {
  id: string;
  userId: string;
  asset: string;
  amount: Dec;
  usdValue: Dec;
  reason: string;
  status: LedgerAdjustmentStatus;
  requestedBy: string;
  journalId: string | null;
}

/** The `ledger_adjustments` table (owned by wallet). */
@Injectable()
export class LedgerAdjustmentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Serialises one admin's adjustments until `tx` ends (the 24-hour total cannot be raced past the line). */
  async serializeAdmin(tx: Tx, adminId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`adjust:${adminId}`]);
  }

  /** USD the admin adjusted (or has waiting) in the last 24 hours in these statuses, as a decimal string. */
  async requestedToday(tx: Tx, adminId: string, statuses: LedgerAdjustmentStatus[]): Promise<string> {
    const [{ sum }] = (await tx.query(
      `SELECT coalesce(sum(usd_value), 0)::text AS sum FROM ledger_adjustments WHERE requested_by = $1 AND status = ANY($2) AND created_at > now() - interval '24 hours'`,
      [adminId, statuses],
    )) as { sum: string }[];
    return sum;
  }

  /**
   * Whether `userId` was credited by a posted adjustment in the last `days` days, or ever by one `adminId` requested
   * or approved (automatic payouts: such a withdrawal goes to an operator).
   */
  async recentCredit(tx: Tx, userId: string, adminId: string, days: number): Promise<boolean> {
    const [{ found }] = (await tx.query(
      `SELECT EXISTS (
         SELECT 1 FROM ledger_adjustments WHERE user_id = $1 AND amount > 0 AND status = 'posted'
           AND (coalesce(decided_at, created_at) > now() - make_interval(days => $3::int) OR requested_by = $2 OR approved_by = $2)
       ) OR EXISTS (
         SELECT 1 FROM ledger_adjustments WHERE user_id = $1 AND amount > 0 AND status = 'pending' AND requested_by = $2
       ) AS found`,
      [userId, adminId, days],
    )) as { found: boolean }[];
    return found;
  }

  async insert(tx: Tx, a: NewAdjustment): Promise<void> {
    await tx.query(
      `INSERT INTO ledger_adjustments (id, user_id, asset, amount, usd_value, reason, status, requested_by, journal_id, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $10::boolean THEN now() END)`,
      [a.id, a.userId, a.asset, a.amount.toFixed(), a.usdValue.toFixed(8), a.reason, a.status, a.requestedBy, a.journalId, a.status === 'posted'],
    );
  }

  async lock(tx: Tx, id: string): Promise<AdjustmentRow | undefined> {
    const [a] = (await tx.query(`SELECT * FROM ledger_adjustments WHERE id = $1 FOR UPDATE`, [id])) as AdjustmentRow[];
    return a;
  }

  async markPosted(tx: Tx, id: string, approvedBy: string, journalId: string): Promise<void> {
    await tx.query(`UPDATE ledger_adjustments SET status = 'posted', approved_by = $2, journal_id = $3, decided_at = now() WHERE id = $1`, [
      id,
      approvedBy,
      journalId,
    ]);
  }

  async markRejected(tx: Tx, id: string, rejectedBy: string, reason: string): Promise<void> {
    await tx.query(`UPDATE ledger_adjustments SET status = 'rejected', rejected_by = $2, reject_reason = $3, decided_at = now() WHERE id = $1`, [
      id,
      rejectedBy,
      reason,
    ]);
  }

  async find(tx: Tx, id: string): Promise<AdjustmentRow> {
    const [row] = (await tx.query(`SELECT * FROM ledger_adjustments WHERE id = $1`, [id])) as AdjustmentRow[];
    return row;
  }

  /** Newest first, optionally of one status; at most `limit` rows, after `cursor`. */
  page(status: LedgerAdjustmentStatus | undefined, limit: number, cursor?: { createdAt: Date | string; id: string }): Promise<AdjustmentRow[]> {
    const params: unknown[] = [status ?? null, limit];
    const keyset = cursor ? `AND (a.created_at, a.id) < ($${params.push(cursor.createdAt)}, $${params.push(cursor.id)}::uuid)` : '';
    return this.dataSource.query(
      `SELECT a.* FROM ledger_adjustments a WHERE ($1::varchar IS NULL OR a.status = $1) ${keyset} ORDER BY a.created_at DESC, a.id DESC LIMIT $2`,
      params,
    );
  }
}
