import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Account protection (expand-only): `security_events` records what happened
 * to an account's security (sign-ins with their device and approximate
 * network, password and 2FA changes, lockouts, freezes); an event that was
 * notified by email carries a single-use "This wasn't me" freeze link, stored
 * only as its SHA-256 hash. `users` gains three nullable columns: when the
 * account was frozen, and until when (and why) withdrawals are held.
 */
export class SecurityEvents1764370100000 implements MigrationInterface {
  name = 'SecurityEvents1764370100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE security_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        kind varchar(40) NOT NULL,
        -- milliseconds: the (createdAt, id) keyset cursor carries a JS Date
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        ip varchar(64),
        network varchar(64),
        device varchar(100),
        details jsonb NOT NULL DEFAULT '{}',
        freeze_token_hash char(64),
        freeze_expires_at timestamptz,
        freeze_used_at timestamptz,
        CHECK ((freeze_token_hash IS NULL) = (freeze_expires_at IS NULL))
      )`);
    await q.query(`CREATE INDEX security_events_user_created ON security_events (user_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX security_events_user_kind ON security_events (user_id, kind)`);
    await q.query(`CREATE UNIQUE INDEX security_events_freeze_token ON security_events (freeze_token_hash) WHERE freeze_token_hash IS NOT NULL`);
    await q.query(
      `ALTER TABLE users ADD COLUMN frozen_at timestamptz, ADD COLUMN security_hold_until timestamptz, ADD COLUMN security_hold_reason varchar(32)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN frozen_at, DROP COLUMN security_hold_until, DROP COLUMN security_hold_reason`);
    await q.query(`DROP TABLE security_events`);
  }
}
