import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts on a 24 h move and repeating alerts (expand-only: columns with defaults or nullable, one CHECK relaxed and
 * constraints every earlier row already satisfies).
 *
 * `kind`: `price` (every earlier row: fires when the price reaches `target_price`, condition `above` or `below`) or
 * `move` (fires when the 24 h change in percent reaches `move_pct`, condition `up` or `down`).
 * `target_price` stays NOT NULL because the previous release reads it for every armed alert (its trigger book would
 * fail on a null): a move alert stores the smallest price, 0.00000001, with condition `up` or `down`, which that
 * release never fires (its book holds it below any listed price and its firing guard names `above` and `below` only).
 * A later release may drop NOT NULL once no running release reads it (a contract step).
 * `cooldown_seconds`: null fires once (every earlier row); set, the alert stays armed when it fires and `rearm_at`
 * (the database clock plus the cooldown) says from when it may fire again. The previous release, firing such an
 * alert, disarms it (fires once): it never fires one twice.
 * `triggered_change`: the 24 h change in percent at the last firing.
 */
export class AlertKinds1764371350000 implements MigrationInterface {
  name = 'AlertKinds1764371350000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alerts ADD COLUMN kind varchar(8) NOT NULL DEFAULT 'price'`);
    await q.query(`ALTER TABLE alerts ADD COLUMN move_pct numeric(10, 2)`);
    await q.query(`ALTER TABLE alerts ADD COLUMN cooldown_seconds integer`);
    await q.query(`ALTER TABLE alerts ADD COLUMN rearm_at timestamptz`);
    await q.query(`ALTER TABLE alerts ADD COLUMN triggered_change numeric(14, 4)`);
    // The condition of the first migration (above or below) is widened to the conditions of each kind.
    await q.query(`ALTER TABLE alerts DROP CONSTRAINT IF EXISTS alerts_condition_check`);
    await q.query(`
      ALTER TABLE alerts ADD CONSTRAINT alerts_condition_of_kind CHECK (
        (kind = 'price' AND condition IN ('above', 'below')) OR (kind = 'move' AND condition IN ('up', 'down'))
      )`);
    await q.query(
      `ALTER TABLE alerts ADD CONSTRAINT alerts_move_pct_of_move CHECK ((kind = 'move') = (move_pct IS NOT NULL) AND (move_pct IS NULL OR move_pct > 0))`,
    );
    await q.query(`ALTER TABLE alerts ADD CONSTRAINT alerts_cooldown_positive CHECK (cooldown_seconds IS NULL OR cooldown_seconds > 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alerts DROP CONSTRAINT alerts_cooldown_positive`);
    await q.query(`ALTER TABLE alerts DROP CONSTRAINT alerts_move_pct_of_move`);
    await q.query(`ALTER TABLE alerts DROP CONSTRAINT alerts_condition_of_kind`);
    await q.query(`DELETE FROM alerts WHERE kind <> 'price'`);
    await q.query(`ALTER TABLE alerts ADD CONSTRAINT alerts_condition_check CHECK (condition IN ('above', 'below'))`);
    await q.query(`ALTER TABLE alerts DROP COLUMN triggered_change`);
    await q.query(`ALTER TABLE alerts DROP COLUMN rearm_at`);
    await q.query(`ALTER TABLE alerts DROP COLUMN cooldown_seconds`);
    await q.query(`ALTER TABLE alerts DROP COLUMN move_pct`);
    await q.query(`ALTER TABLE alerts DROP COLUMN kind`);
  }
}
