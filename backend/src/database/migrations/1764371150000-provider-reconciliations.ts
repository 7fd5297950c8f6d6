import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * External reconciliation (expand-only: a new table, written and read only by the wallet's reconciliation).
 *
 * `provider_reconciliations`: one row per comparison of the ledger's liabilities per asset (users' balances, holds
 * included) with the payment provider's balances: when, why (the daily schedule or an admin), the outcome (`ok`:
 * every asset covered; `short`: at least one not; `error`: the provider could not be read) and the lines per asset.
 */
export class ProviderReconciliations1764371150000 implements MigrationInterface {
  name = 'ProviderReconciliations1764371150000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE provider_reconciliations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        provider varchar(16) NOT NULL,
        trigger varchar(8) NOT NULL CHECK (trigger IN ('schedule', 'admin')),
        requested_by uuid,
        status varchar(8) NOT NULL CHECK (status IN ('ok', 'short', 'error')),
        lines jsonb NOT NULL DEFAULT '[]',
        error varchar(500),
        duration_ms integer NOT NULL DEFAULT 0,
        -- milliseconds: the (createdAt, id) keyset cursor carries a JS Date
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    await q.query(`CREATE INDEX provider_reconciliations_created ON provider_reconciliations (created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE provider_reconciliations`);
  }
}
