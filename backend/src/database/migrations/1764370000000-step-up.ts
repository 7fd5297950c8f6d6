import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Step-up authentication (issue 16): `sessions.stepped_up_until` is when the
 * session's last step-up confirmation (password plus the current second
 * factor) stops counting; NULL: none. In PostgreSQL so every instance reads
 * the same. `email_changes` holds the pending changes of a sign-in address:
 * the new address and the hash of the single-use link mailed to it.
 * Additive only: the previous release never reads either.
 */
export class StepUp1764370000000 implements MigrationInterface {
  name = 'StepUp1764370000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sessions ADD COLUMN stepped_up_until timestamptz`);
    await q.query(`
      CREATE TABLE email_changes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        -- the session that asked for it (stepped up): kept signed in when the change completes
        session_id uuid REFERENCES sessions (id) ON DELETE SET NULL,
        new_email varchar(254) NOT NULL,
        token_hash char(64) NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await q.query(`CREATE INDEX email_changes_user ON email_changes (user_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE email_changes`);
    await q.query(`ALTER TABLE sessions DROP COLUMN stepped_up_until`);
  }
}
