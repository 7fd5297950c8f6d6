import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The `user_auth_changed` notification also fires when two-factor is turned on
 * or off: admins must have it on to use the back office, and every instance's
 * auth cache must see the change at once. Expand-only: code that predates it
 * ignores the extra notifications (it drops the user from its cache, as for
 * any change).
 */
export class UserAuthNotifyTwoFactor1764370500000 implements MigrationInterface {
  name = 'UserAuthNotifyTwoFactor1764370500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER users_auth_changed ON users`);
    await q.query(`
      CREATE TRIGGER users_auth_changed AFTER UPDATE OF email, role, suspended_at, tokens_valid_after, two_factor_enabled_at OR DELETE ON users
      FOR EACH ROW EXECUTE FUNCTION notify_user_auth_changed()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER users_auth_changed ON users`);
    await q.query(`
      CREATE TRIGGER users_auth_changed AFTER UPDATE OF email, role, suspended_at, tokens_valid_after OR DELETE ON users
      FOR EACH ROW EXECUTE FUNCTION notify_user_auth_changed()`);
  }
}
