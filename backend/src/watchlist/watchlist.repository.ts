import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { queryRows } from '../database/rows';
import type { Tx } from '../database/unit-of-work';

/** A `watchlist_items` row as the database driver returns it. */
export interface WatchlistRow {
  symbol: string;
  created_at: Date;
}

/** All SQL of the `watchlist_items` table (owned by watchlist). */
@Injectable()
export class WatchlistRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A user's starred assets in the order they were starred. */
  list(userId: string): Promise<WatchlistRow[]> {
    return this.dataSource.query<WatchlistRow[]>(`SELECT symbol, created_at FROM watchlist_items WHERE user_id = $1 ORDER BY created_at, symbol`, [userId]);
  }

  async has(tx: Tx, userId: string, symbol: string): Promise<boolean> {
    const rows = await tx.query<{ one: number }[]>(`SELECT 1 AS one FROM watchlist_items WHERE user_id = $1 AND symbol = $2`, [userId, symbol]);
    return rows.length > 0;
  }

  async count(tx: Tx, userId: string): Promise<number> {
    const [{ count }] = await tx.query<{ count: number }[]>(`SELECT count(*)::int AS count FROM watchlist_items WHERE user_id = $1`, [userId]);
    return count;
  }

  /** Stars an asset; false when it was already starred (the row is kept as it was). */
  async add(tx: Tx, userId: string, symbol: string): Promise<boolean> {
    const rows = await queryRows<{ symbol: string }>(
      tx,
      `INSERT INTO watchlist_items (user_id, symbol) VALUES ($1, $2) ON CONFLICT (user_id, symbol) DO NOTHING RETURNING symbol`,
      [userId, symbol],
    );
    return rows.length > 0;
  }

  /** Unstars an asset; false when it was not starred. */
  async remove(userId: string, symbol: string): Promise<boolean> {
    const rows = await queryRows<{ symbol: string }>(this.dataSource, `DELETE FROM watchlist_items WHERE user_id = $1 AND symbol = $2 RETURNING symbol`, [
      userId,
      symbol,
    ]);
    return rows.length > 0;
  }
}
