import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { queryRows } from '../database/rows';

/** A tracked outside holding as read. */
export interface TrackedHoldingRow {
  symbol: string;
  amount: string;
  avg_cost: string | null;
}

/** A dated lot of a tracked holding as read; `id` null for the rest of a holding older than its lots. */
export interface TrackedLotRow {
  id: string | null;
  symbol: string;
  acquired_at: Date;
  quantity: string;
  unit_cost: string | null;
}

/** The `tracked_holdings` and `tracked_holding_lots` tables (owned by portfolio). */
@Injectable()
export class PortfolioRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  tracked(userId: string): Promise<TrackedHoldingRow[]> {
    return this.dataSource.query(`SELECT symbol, amount, avg_cost FROM tracked_holdings WHERE user_id = $1`, [userId]);
  }

  /**
   * Adds to (or starts) a tracked holding, the average cost weighted by amount, and records the addition as a lot
   * acquired at `acquiredAt` (now when null), in one statement.
   */
  async track(userId: string, symbol: string, amount: string, avgCost: string | null, acquiredAt: Date | null): Promise<void> {
    await this.dataSource.query(
      `WITH holding AS (
         INSERT INTO tracked_holdings AS t (user_id, symbol, amount, avg_cost) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, symbol) DO UPDATE SET
           amount = t.amount + EXCLUDED.amount,
           avg_cost = CASE
             WHEN t.avg_cost IS NULL THEN EXCLUDED.avg_cost
             WHEN EXCLUDED.avg_cost IS NULL THEN t.avg_cost
             ELSE round((t.avg_cost * t.amount + EXCLUDED.avg_cost * EXCLUDED.amount) / (t.amount + EXCLUDED.amount), 18)
           END,
           updated_at = now()
         RETURNING user_id, symbol
       )
       INSERT INTO tracked_holding_lots (user_id, symbol, acquired_at, quantity, unit_cost)
       SELECT user_id, symbol, coalesce($5::timestamptz, now()), $3, $4 FROM holding`,
      [userId, symbol, amount, avgCost, acquiredAt],
    );
  }

  /**
   * The user's tracked lots, and for a holding that has more than its lots add up to (an instance older than the
   * lots added to it), the rest as one lot at the holding's last update and average cost.
   */
  lots(userId: string): Promise<TrackedLotRow[]> {
    return this.dataSource.query(
      `SELECT id, symbol, acquired_at, quantity::text AS quantity, unit_cost::text AS unit_cost FROM tracked_holding_lots WHERE user_id = $1
       UNION ALL
       SELECT NULL::uuid, h.symbol, h.updated_at, (h.amount - coalesce(l.quantity, 0))::text, h.avg_cost::text
       FROM tracked_holdings h
       LEFT JOIN (SELECT symbol, sum(quantity) AS quantity FROM tracked_holding_lots WHERE user_id = $1 GROUP BY symbol) l ON l.symbol = h.symbol
       WHERE h.user_id = $1 AND h.amount > coalesce(l.quantity, 0)
       ORDER BY 3, 2, 1`,
      [userId],
    );
  }

  /** Dates one of the user's tracked lots `acquiredAt`; undefined when the user has no such lot. */
  async moveLot(userId: string, id: string, acquiredAt: Date): Promise<TrackedLotRow | undefined> {
    const [row] = await queryRows<TrackedLotRow>(
      this.dataSource,
      `UPDATE tracked_holding_lots SET acquired_at = $3 WHERE id = $2 AND user_id = $1
       RETURNING id, symbol, acquired_at, quantity::text AS quantity, unit_cost::text AS unit_cost`,
      [userId, id, acquiredAt],
    );
    return row;
  }

  /** Removes a tracked holding (its lots with it: ON DELETE CASCADE); false when there was none. */
  async untrack(userId: string, symbol: string): Promise<boolean> {
    const rows = await queryRows<{ symbol: string }>(this.dataSource, `DELETE FROM tracked_holdings WHERE user_id = $1 AND symbol = $2 RETURNING symbol`, [
      userId,
      symbol,
    ]);
    return rows.length > 0;
  }
}
