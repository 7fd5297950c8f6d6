import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recurring buys (expand-only: two new tables, read and written only by the
 * recurring-buys module; code that predates them never touches them).
 *
 * `recurring_buys`: a user's schedule, a USD amount of one asset bought every
 * day, week or month from `start_at`; `next_run_at` is set while it is active.
 * `recurring_buy_runs`: one row per period that ran. UNIQUE (recurring_buy_id,
 * period_start) is what makes a period run once however many instances look
 * for due schedules at the same moment: the row is claimed before the buy.
 */
export class RecurringBuys1764370900000 implements MigrationInterface {
  name = 'RecurringBuys1764370900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE recurring_buys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        symbol varchar(16) NOT NULL,
        quote_amount numeric(30, 8) NOT NULL CHECK (quote_amount > 0),
        frequency varchar(8) NOT NULL CHECK (frequency IN ('daily', 'weekly', 'monthly')),
        status varchar(8) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'deleted')),
        start_at timestamptz NOT NULL,
        next_run_at timestamptz,
        -- milliseconds: the (createdAt, id) keyset cursor carries a JS Date
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT now(),
        paused_at timestamptz,
        deleted_at timestamptz,
        CONSTRAINT recurring_buys_next_run_when_active CHECK ((status = 'active') = (next_run_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX recurring_buys_user_created ON recurring_buys (user_id, created_at DESC, id DESC)`);
    // Every tick of every instance asks for the active schedules that are due.
    await q.query(`CREATE INDEX recurring_buys_due ON recurring_buys (next_run_at) WHERE status = 'active'`);
    await q.query(`
      CREATE TABLE recurring_buy_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        recurring_buy_id uuid NOT NULL REFERENCES recurring_buys (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        period_start timestamptz NOT NULL,
        status varchar(8) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'filled', 'skipped', 'failed')),
        attempts integer NOT NULL DEFAULT 1 CHECK (attempts >= 1),
        -- pending only: when a tick may take the run up (again): after a crash, or to retry a stale price
        retry_at timestamptz,
        order_id uuid,
        quantity numeric(38, 18),
        price numeric(38, 18),
        fee numeric(38, 18),
        quote_amount numeric(38, 18),
        reason_code varchar(32),
        reason text,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        completed_at timestamptz,
        CONSTRAINT recurring_buy_runs_once_per_period UNIQUE (recurring_buy_id, period_start),
        CONSTRAINT recurring_buy_runs_retry_when_pending CHECK ((status = 'pending') = (retry_at IS NOT NULL)),
        CONSTRAINT recurring_buy_runs_filled_has_order CHECK (status <> 'filled' OR order_id IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX recurring_buy_runs_pending ON recurring_buy_runs (retry_at) WHERE status = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE recurring_buy_runs`);
    await q.query(`DROP TABLE recurring_buys`);
  }
}
