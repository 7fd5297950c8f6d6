import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The one counter of failed confirmations (second-factor codes and current
 * passwords asked by signed-in actions: withdrawals, 2FA changes, password
 * change), kept in PostgreSQL so it holds across instances and survives a
 * Redis restart. `confirmation_attempts` has a row per guess being checked
 * (outcome NULL) or failed; `confirmation_locks` a row per lock, of one
 * session or (session_id NULL) of the whole account. Additive only: code
 * that predates it never reads these tables.
 */
export class ConfirmationAttempts1764360000000 implements MigrationInterface {
  name = 'ConfirmationAttempts1764360000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE confirmation_attempts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        action varchar(64) NOT NULL,
        -- NULL while the guess is being checked (it counts as a failure meanwhile), then 'failure'; successes are deleted
        outcome varchar(16) CHECK (outcome = 'failure'),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX confirmation_attempts_user_created ON confirmation_attempts (user_id, created_at)`);
    await q.query(`
      CREATE TABLE confirmation_locks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        -- NULL: every session of the account is locked
        session_id uuid REFERENCES sessions (id) ON DELETE CASCADE,
        failures int NOT NULL,
        locked_until timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX confirmation_locks_user_until ON confirmation_locks (user_id, locked_until)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE confirmation_locks`);
    await q.query(`DROP TABLE confirmation_attempts`);
  }
}
