import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `recurring_buy_runs.order_key_attempt`: the attempt whose Idempotency-Key (`recurring-buy:<run>:<attempt>`) the
 * run's next attempt places its order with, when that is not the attempt's own number. An attempt whose outcome is
 * unknown (a lost connection: the order may have committed) or that failed without storing anything under its key (a
 * server error) is tried again with the SAME key, so an order that did commit is found, never placed twice; only a
 * refusal stored under the key (a 4xx such as PRICE_STALE, which the key would replay) moves on to a new one
 * (RecurringBuysRunner). NULL: the attempt's own number, as every run before this used.
 *
 * Expand-only: a nullable column the previous release neither reads nor writes (during a rolling upgrade it keys
 * attempts by their number, as before).
 */
export class RecurringRunOrderKey1764372100000 implements MigrationInterface {
  name = 'RecurringRunOrderKey1764372100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE recurring_buy_runs ADD COLUMN order_key_attempt integer CHECK (order_key_attempt >= 1)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE recurring_buy_runs DROP COLUMN order_key_attempt`);
  }
}
