import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cost-basis lots (issue 19). Expand-only: three new tables, nothing else changes, so the release before this one
 * runs against the migrated schema unaware of them. Lots themselves are not stored: they are rebuilt from the ledger
 * (portfolio/lots, ARCHITECTURE.md "Cost-basis lots"), so every trade made before this release is in them from the
 * first read (the backfill is the rebuild) and no trade path writes anything new. What is stored is only what the
 * ledger cannot say:
 * - `cost_basis_methods`: each user's history of lot-matching methods, each in force from `effective_from` on (FIFO
 *   before the first row);
 * - `lot_cost_entries`: the cost basis the owner entered for a lot of unknown cost (a deposit in kind, an operator's
 *   credit), keyed by the journal that opened it;
 * - `withdrawal_transfer_marks`: withdrawals the owner says went to their own wallet (a transfer, not a disposal).
 * `position_costs` (average cost, written by orders and convert) stays as it is: the portfolio page still reads it,
 * and retiring it is a later contract step.
 */
export class CostBasisLots1764371600000 implements MigrationInterface {
  name = 'CostBasisLots1764371600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE cost_basis_methods (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        method varchar(8) NOT NULL CHECK (method IN ('fifo', 'hifo', 'lifo')),
        effective_from timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX cost_basis_methods_user ON cost_basis_methods (user_id, effective_from)`);
    await q.query(`
      CREATE TABLE lot_cost_entries (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        journal_id uuid NOT NULL,
        cost_basis numeric(38, 18) NOT NULL CHECK (cost_basis >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, journal_id)
      )`);
    await q.query(`
      CREATE TABLE withdrawal_transfer_marks (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        withdrawal_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, withdrawal_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE withdrawal_transfer_marks`);
    await q.query(`DROP TABLE lot_cost_entries`);
    await q.query(`DROP TABLE cost_basis_methods`);
  }
}
