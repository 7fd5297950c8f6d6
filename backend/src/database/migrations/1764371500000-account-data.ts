import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Your data" (expand-only: two new tables, read and written only by the account module and the personal-data
 * erasure; code that predates them never touches them).
 * - `account_exports`: a user's data exports, made in the background by a worker that claims a row with a lease
 *   (`claimed_until`), so a restart picks an unfinished one up again; the zip is kept in the row (`file`, a few
 *   hundred kilobytes at most for a person's rows) until `expires_at`, so any instance can serve it.
 * - `account_closures`: one row per closed account (when); the user row itself stays, pseudonymised, because the
 *   ledger and the financial records point at it.
 * - the audit log stays append-only, with one exception: the personal-data erasure may blank the IP, the user agent
 *   and personal keys of `details` of a row (nothing else: not the action, ids or time), and only in a transaction
 *   that said so (`cryptovault.erasure` set to on, locally). Code that predates it never asks.
 */
export class AccountData1764371500000 implements MigrationInterface {
  name = 'AccountData1764371500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE account_exports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        status varchar(8) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'ready', 'failed', 'expired')),
        progress integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
        attempts integer NOT NULL DEFAULT 0,
        claimed_until timestamptz,
        file bytea,
        size_bytes integer,
        error varchar(200),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        completed_at timestamptz,
        expires_at timestamptz,
        downloaded_at timestamptz,
        CONSTRAINT account_exports_file_when_ready CHECK ((status = 'ready') = (file IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX account_exports_user_created ON account_exports (user_id, created_at DESC)`);
    // The worker asks for the unfinished ones.
    await q.query(`CREATE INDEX account_exports_unfinished ON account_exports (created_at) WHERE status IN ('pending', 'running')`);
    await q.query(`
      CREATE TABLE account_closures (
        user_id uuid PRIMARY KEY REFERENCES users (id),
        closed_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_logs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND current_setting('cryptovault.erasure', true) = 'on'
           AND NEW.id = OLD.id AND NEW.action = OLD.action AND NEW.created_at = OLD.created_at
           AND NEW.user_id IS NOT DISTINCT FROM OLD.user_id AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
           AND NEW.request_id IS NOT DISTINCT FROM OLD.request_id
           AND (NEW.ip IS NULL OR NEW.ip IS NOT DISTINCT FROM OLD.ip)
           AND (NEW.user_agent IS NULL OR NEW.user_agent IS NOT DISTINCT FROM OLD.user_agent)
           AND OLD.details @> NEW.details THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit_logs is append-only';
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_logs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_logs is append-only';
      END $$`);
    await q.query(`DROP TABLE account_closures`);
    await q.query(`DROP TABLE account_exports`);
  }
}
