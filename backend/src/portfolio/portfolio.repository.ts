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

/** The `tracked_holdings` table (owned by portfolio). */
@Injectable()
export class PortfolioRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  tracked(userId: string): Promise<TrackedHoldingRow[]> {
    return this.dataSource.query(`SELECT symbol, amount, avg_cost FROM tracked_holdings WHERE user_id = $1`, [userId]);
  }

  /** Adds to (or starts) a tracked holding; the average cost is weighted by amount. */
  async track(userId: string, symbol: string, amount: string, avgCost: string | null): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO tracked_holdings AS t (user_id, symbol, amount, avg_cost) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id, symbol) DO UPDATE SET
         amount = t.amount + EXCLUDED.amount,
         avg_cost = CASE
           WHEN t.avg_cost IS NULL THEN EXCLUDED.avg_cost
           WHEN EXCLUDED.avg_cost IS NULL THEN t.avg_cost
           ELSE round((t.avg_cost * t.amount + EXCLUDED.avg_cost * EXCLUDED.amount) / (t.amount + EXCLUDED.amount), 18)
         END,
         updated_at = now()`,
      [userId, symbol, amount, avgCost],
    );
  }

  /** Removes a tracked holding; false when there was none. */
  async untrack(userId: string, symbol: string): Promise<boolean> {
    const rows = await queryRows<{ symbol: string }>(this.dataSource, `DELETE FROM tracked_holdings WHERE user_id = $1 AND symbol = $2 RETURNING symbol`, [
      userId,
      symbol,
    ]);
    return rows.length > 0;
  }
}
