import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Users, sessions, one-time tokens and the append-only audit log. */
export class Init1764300000000 implements MigrationInterface {
  name = 'Init1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email varchar(254) NOT NULL,
        name varchar(100) NOT NULL,
        password_hash varchar(100) NOT NULL,
        role varchar(16) NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
        email_verified_at timestamptz,
        suspended_at timestamptz,
        two_factor_secret varchar(128),
        two_factor_enabled_at timestamptz,
        two_factor_last_step bigint,
        failed_logins integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        tokens_valid_after timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON users (lower(email))`);

    await q.query(`
      CREATE TABLE audit_logs (
        id bigserial PRIMARY KEY,
        user_id uuid,
        actor_id uuid,
        action varchar(64) NOT NULL,
        ip varchar(64),
        user_agent varchar(300),
        request_id varchar(64),
        details jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX audit_logs_user_created ON audit_logs (user_id, created_at DESC)`);
    await q.query(`CREATE INDEX audit_logs_action_created ON audit_logs (action, created_at DESC)`);
    // Append-only: the table refuses UPDATE and DELETE outright.
    await q.query(`
      CREATE FUNCTION audit_logs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_logs is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_logs_no_change BEFORE UPDATE OR DELETE ON audit_logs
      FOR EACH ROW EXECUTE FUNCTION audit_logs_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_logs`);
    await q.query(`DROP FUNCTION audit_logs_append_only`);
    await q.query(`DROP TABLE users`);
  }
}
