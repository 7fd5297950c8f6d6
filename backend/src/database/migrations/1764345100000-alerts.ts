import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Price alerts: armed while `active`; firing sets `active = false` and records when and at what price. */
export class Alerts1764345100000 implements MigrationInterface {
  name = 'Alerts1764345100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        symbol varchar(16) NOT NULL,
        condition varchar(8) NOT NULL CHECK (condition IN ('above', 'below')),
        target_price numeric(30, 8) NOT NULL CHECK (target_price > 0),
        notify_email boolean NOT NULL DEFAULT false,
        notify_push boolean NOT NULL DEFAULT true,
        active boolean NOT NULL DEFAULT true,
        triggered_at timestamptz,
        triggered_price numeric(30, 8),
        -- milliseconds: the (createdAt, id) keyset cursor carries a JS Date
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX alerts_user_created ON alerts (user_id, created_at DESC, id DESC)`);
    // The trigger engine loads every armed alert at start.
    await q.query(`CREATE INDEX alerts_active_symbol ON alerts (symbol) WHERE active`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE alerts`);
  }
}
