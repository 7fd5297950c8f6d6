import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Proof of reserves (expand-only: two new tables, written and read only by the reserves module).
 *
 * `reserve_snapshots`: one row per snapshot of the users' liabilities (ARCHITECTURE.md "Proof of reserves"): when the
 * ledger was read (`taken_at`, the snapshot transaction's time), the Merkle sum tree's root hash, the asset list and
 * the root's totals per asset (whole units of 10^-18, as decimal strings, in the order of `assets`), the leaf count;
 * `failed` with `error` when the tree did not reconcile to the ledger (nothing of it is published).
 *
 * `reserve_proofs`: each user's leaf of a published snapshot (nonce, balances) and the path from it to the root
 * (sibling hashes and sums), what GET /api/proof-of-reserves/my-proof answers. Kept for the last few snapshots.
 */
export class ProofOfReserves1764371800000 implements MigrationInterface {
  name = 'ProofOfReserves1764371800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reserve_snapshots (
        id uuid PRIMARY KEY,
        status varchar(12) NOT NULL CHECK (status IN ('published', 'failed')),
        trigger varchar(8) NOT NULL CHECK (trigger IN ('schedule', 'admin')),
        requested_by uuid,
        taken_at timestamptz,
        root_hash varchar(64),
        assets jsonb NOT NULL DEFAULT '[]',
        totals jsonb NOT NULL DEFAULT '[]',
        leaf_count integer NOT NULL DEFAULT 0,
        error varchar(500),
        duration_ms integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        CHECK (status = 'failed' OR (root_hash IS NOT NULL AND taken_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX reserve_snapshots_status_created ON reserve_snapshots (status, created_at DESC)`);
    await q.query(`
      CREATE TABLE reserve_proofs (
        snapshot_id uuid NOT NULL REFERENCES reserve_snapshots (id) ON DELETE CASCADE,
        user_id uuid NOT NULL,
        leaf_index integer NOT NULL,
        nonce varchar(64) NOT NULL,
        balances jsonb NOT NULL,
        path jsonb NOT NULL,
        PRIMARY KEY (snapshot_id, user_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reserve_proofs`);
    await q.query(`DROP TABLE reserve_snapshots`);
  }
}
