import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tells every app instance when what authentication reads of a user changes
 * (email, role, suspension, tokens_valid_after, the row itself, or the end of
 * one of their sessions): a `user_auth_changed` notification with the user
 * id, sent at commit, however the row was changed (the app, an operator's
 * SQL). Instances cache that state for a short time and drop a user's
 * entries on the notification.
 */
export class UserAuthNotify1764350100000 implements MigrationInterface {
  name = 'UserAuthNotify1764350100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION notify_user_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('user_auth_changed', (CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END)::text);
        RETURN NULL;
      END
      $$`);
    await q.query(`
      CREATE TRIGGER users_auth_changed AFTER UPDATE OF email, role, suspended_at, tokens_valid_after OR DELETE ON users
      FOR EACH ROW EXECUTE FUNCTION notify_user_auth_changed()`);
    await q.query(`
      CREATE FUNCTION notify_session_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('user_auth_changed', (CASE WHEN TG_OP = 'DELETE' THEN OLD.user_id ELSE NEW.user_id END)::text);
        RETURN NULL;
      END
      $$`);
    await q.query(`
      CREATE TRIGGER sessions_auth_changed AFTER UPDATE OF revoked_at, user_id OR DELETE ON sessions
      FOR EACH ROW EXECUTE FUNCTION notify_session_auth_changed()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER sessions_auth_changed ON sessions`);
    await q.query(`DROP FUNCTION notify_session_auth_changed()`);
    await q.query(`DROP TRIGGER users_auth_changed ON users`);
    await q.query(`DROP FUNCTION notify_user_auth_changed()`);
  }
}
