import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dated lots of tracked holdings (expand-only: one new table; `tracked_holdings` keeps its columns and stays the
 * running total an older instance reads and writes). Each lot says when the user acquired how much at what USD cost
 * per unit (null: unknown), so the performance history counts a tracked holding from the day it was acquired.
 * Existing holdings become one lot each, acquired when the holding was first recorded (`created_at`) at its average
 * cost. A lot belongs to its holding: removing the holding (by any instance) removes its lots. What an older instance
 * adds to a holding without a lot is read as a lot at the holding's `updated_at` (PortfolioRepository.lots).
 */
export class TrackedHoldingLots1764371400000 implements MigrationInterface {
  name = 'TrackedHoldingLots1764371400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tracked_holding_lots (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        symbol varchar(16) NOT NULL,
        acquired_at timestamptz NOT NULL,
        quantity numeric(38, 18) NOT NULL CHECK (quantity > 0),
        unit_cost numeric(38, 18) CHECK (unit_cost >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (user_id, symbol) REFERENCES tracked_holdings (user_id, symbol) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX tracked_holding_lots_user ON tracked_holding_lots (user_id, symbol, acquired_at)`);
    await q.query(`
      INSERT INTO tracked_holding_lots (user_id, symbol, acquired_at, quantity, unit_cost)
      SELECT user_id, symbol, created_at, amount, avg_cost FROM tracked_holdings`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tracked_holding_lots`);
  }
}
