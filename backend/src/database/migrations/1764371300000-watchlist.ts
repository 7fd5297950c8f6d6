import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The watchlist (expand-only: one new table, read and written only by the watchlist module; code that predates it
 * never touches it). One row per starred asset of a user; the primary key makes starring idempotent, and
 * `created_at` (the clock at the insert, to the microsecond) keeps the order the assets were starred in.
 */
export class Watchlist1764371300000 implements MigrationInterface {
  name = 'Watchlist1764371300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE watchlist_items (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        symbol varchar(16) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (user_id, symbol)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE watchlist_items`);
  }
}
