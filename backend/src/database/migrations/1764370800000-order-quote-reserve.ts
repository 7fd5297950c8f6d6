import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Limit and stop orders sized by a USD amount (expand-only: one column with a default).
 *
 * `orders.sized_by` says what sets a resting order's quantity: `quantity` (every order before this release, and
 * every order since but one kind: the default describes the old rows) or `quoteAmount`, a stop buy placed by USD
 * amount, which holds that amount (`reserved_amount`) and sets its quantity when it fills, as a market buy of that
 * amount at the crossing tick. Its `quantity` meanwhile holds the estimate at the stop price, so a replica of the
 * previous release that fills it during a rolling deploy buys that quantity, as it fills any stop buy (paying a
 * dearer tick from available funds or rejecting it, releasing the hold); a cancel there releases the hold as always.
 */
export class OrderQuoteReserve1764370800000 implements MigrationInterface {
  name = 'OrderQuoteReserve1764370800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE orders ADD COLUMN sized_by varchar(12) NOT NULL DEFAULT 'quantity' CONSTRAINT orders_sized_by_check CHECK (sized_by IN ('quantity', 'quoteAmount'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders DROP COLUMN sized_by`);
  }
}
