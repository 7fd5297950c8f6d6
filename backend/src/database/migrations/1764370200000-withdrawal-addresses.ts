import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The withdrawal address book (expand-only). Every withdrawal goes to a saved
 * address: one is added (with a single-use confirmation link emailed to the
 * owner, stored as a hash), confirmed by that link, and usable from
 * `usable_from` (confirmation plus ADDRESS_HOLD_HOURS); removal is soft.
 * `withdrawal_address_locks` holds the per-user allowlist lock (no new
 * addresses while on; turning it off takes effect at `unlocks_at`).
 * Withdrawals gain the saved address they went to (nullable: the previous
 * release's withdrawals have none) and its label as it was then.
 */
export class WithdrawalAddresses1764370200000 implements MigrationInterface {
  name = 'WithdrawalAddresses1764370200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE withdrawal_addresses (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id),
        label varchar(64) NOT NULL,
        asset varchar(16) NOT NULL,
        network varchar(32) NOT NULL,
        address varchar(128) NOT NULL,
        confirm_token_hash varchar(64),
        confirm_expires_at timestamptz,
        -- milliseconds: what the API shows is what is compared
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        confirmed_at timestamptz,
        usable_from timestamptz,
        removed_at timestamptz,
        CHECK ((confirmed_at IS NULL) = (usable_from IS NULL)),
        CHECK (confirmed_at IS NULL OR confirm_token_hash IS NULL)
      )`);
    await q.query(`CREATE INDEX withdrawal_addresses_user_created ON withdrawal_addresses (user_id, created_at DESC, id DESC)`);
    await q.query(`CREATE UNIQUE INDEX withdrawal_addresses_live_key ON withdrawal_addresses (user_id, asset, network, address) WHERE removed_at IS NULL`);
    await q.query(`CREATE UNIQUE INDEX withdrawal_addresses_confirm_token ON withdrawal_addresses (confirm_token_hash) WHERE confirm_token_hash IS NOT NULL`);
    await q.query(`
      CREATE TABLE withdrawal_address_locks (
        user_id uuid PRIMARY KEY REFERENCES users (id),
        locked_at timestamptz NOT NULL,
        unlocks_at timestamptz
      )`);
    await q.query(`ALTER TABLE withdrawals ADD COLUMN address_id uuid REFERENCES withdrawal_addresses (id)`);
    await q.query(`ALTER TABLE withdrawals ADD COLUMN address_label varchar(64)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE withdrawals DROP COLUMN address_label`);
    await q.query(`ALTER TABLE withdrawals DROP COLUMN address_id`);
    await q.query(`DROP TABLE withdrawal_address_locks`);
    await q.query(`DROP TABLE withdrawal_addresses`);
  }
}
