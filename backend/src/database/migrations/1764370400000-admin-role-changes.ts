import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dual control of admin roles (expand-only): granting or revoking the admin
 * role is a row, `pending` until a second admin approves it (then `approved`,
 * and the role changes in the same transaction) or an admin rejects it. At
 * most one pending change per account. The database itself refuses a change
 * of the requester's own role and an approval by the requester or by the
 * account concerned; `approved` with no `decided_by` is a change made with
 * the server's setup token where no second admin existed (audited as such).
 * Code that predates it never reads this table.
 */
export class AdminRoleChanges1764370400000 implements MigrationInterface {
  name = 'AdminRoleChanges1764370400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE admin_role_changes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id),
        role varchar(16) NOT NULL CHECK (role IN ('user', 'admin')),
        status varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
        requested_by uuid NOT NULL REFERENCES users (id),
        decided_by uuid REFERENCES users (id),
        -- milliseconds: the (createdAt, id) keyset cursor carries a JS Date
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        decided_at timestamptz,
        CHECK (user_id <> requested_by),
        CHECK (status <> 'approved' OR (decided_by <> requested_by AND decided_by <> user_id)),
        CHECK ((status = 'pending') = (decided_at IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX admin_role_changes_one_pending ON admin_role_changes (user_id) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX admin_role_changes_status_created ON admin_role_changes (status, created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE admin_role_changes`);
  }
}
