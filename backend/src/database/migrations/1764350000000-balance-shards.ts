import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Shards of the platform accounts' balance rows. Every trade credits or debits
 * `platform:treasury` and credits `platform:fees`; with one row per account and
 * asset, concurrent trades of different users queued on that row's lock. A
 * platform account now has up to N rows per asset (`shard` 0..N-1, N from
 * LEDGER_PLATFORM_SHARDS); its balance is their sum. Existing rows become
 * shard 0, so no history is rewritten. User and external accounts keep one
 * row (shard 0), which the new CHECK enforces.
 */
export class BalanceShards1764350000000 implements MigrationInterface {
  name = 'BalanceShards1764350000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE balances ADD COLUMN shard smallint NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE balances ADD CONSTRAINT balances_shard_platform_only CHECK (shard = 0 OR (shard > 0 AND account LIKE 'platform:%'))`);
    await q.query(`ALTER TABLE balances DROP CONSTRAINT balances_pkey`);
    await q.query(`ALTER TABLE balances ADD CONSTRAINT balances_pkey PRIMARY KEY (account, asset, shard)`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Fold every account's shards back into its one row (sums of rows the CHECK kept non-negative stay non-negative).
    await q.query(`
      CREATE TEMP TABLE balances_folded AS
      SELECT account, asset, sum(available) AS available, sum(locked) AS locked, max(updated_at) AS updated_at
      FROM balances GROUP BY account, asset`);
    await q.query(`DELETE FROM balances`);
    await q.query(`ALTER TABLE balances DROP CONSTRAINT balances_pkey`);
    await q.query(`ALTER TABLE balances DROP CONSTRAINT balances_shard_platform_only`);
    await q.query(`ALTER TABLE balances DROP COLUMN shard`);
    await q.query(`ALTER TABLE balances ADD CONSTRAINT balances_pkey PRIMARY KEY (account, asset)`);
    await q.query(
      `INSERT INTO balances (account, asset, available, locked, updated_at) SELECT account, asset, available, locked, updated_at FROM balances_folded`,
    );
    await q.query(`DROP TABLE balances_folded`);
  }
}
