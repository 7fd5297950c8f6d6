import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dual control of admin ledger adjustments (expand-only): every adjustment is
 * a row, posted at once or held `pending` until a second admin approves it
 * (then `posted`) or rejects it. `usd_value` is its absolute USD value at a
 * fresh quote when requested, summed per requesting admin over 24 hours.
 * The database itself refuses an adjustment of the requester's own account
 * and an approval or rejection by the requester.
 */
export class LedgerAdjustments1764360800000 implements MigrationInterface {
  name = 'LedgerAdjustments1764360800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_adjustments (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id),
        asset varchar(16) NOT NULL,
        amount numeric(38, 18) NOT NULL CHECK (amount <> 0),
        usd_value numeric(38, 8) NOT NULL CHECK (usd_value >= 0),
        reason varchar(300) NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('pending', 'posted', 'rejected')),
        requested_by uuid NOT NULL REFERENCES users (id),
        approved_by uuid REFERENCES users (id),
        rejected_by uuid REFERENCES users (id),
        reject_reason varchar(300),
        journal_id uuid REFERENCES ledger_journals (id),
        -- milliseconds: the (createdAt, id) keyset cursor carries a JS Date
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        decided_at timestamptz,
        CHECK (user_id <> requested_by),
        CHECK (approved_by IS NULL OR (approved_by <> requested_by AND approved_by <> user_id)),
        CHECK (rejected_by IS NULL OR rejected_by <> requested_by),
        CHECK ((status = 'posted') = (journal_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX ledger_adjustments_requester_created ON ledger_adjustments (requested_by, created_at DESC)`);
    await q.query(`CREATE INDEX ledger_adjustments_status_created ON ledger_adjustments (status, created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ledger_adjustments`);
  }
}
