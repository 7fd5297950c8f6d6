import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deposits in kind (expand-only: two columns with defaults, and a backfill the previous release does not read).
 *
 * `credit_asset`: what the deposit credits, decided when it is created and never from an IPN: `USD` (priced in
 * dollars at the provider, whatever it is paid in: every deposit of the previous release, which never names the
 * column) or the crypto asset paid (priced in that asset, `price_amount` a quantity of it).
 * `credited_amount`: how much of `credit_asset` has been credited so far; a partly paid deposit is credited what
 * arrived and later only the rest. Deposits the previous release credited get their `price_amount` here; one it
 * credits while both releases run keeps 0 with `credited_at` set, which the new code reads as the same.
 */
export class DepositCreditAsset1764371000000 implements MigrationInterface {
  name = 'DepositCreditAsset1764371000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deposits ADD COLUMN credit_asset varchar(16) NOT NULL DEFAULT 'USD'`);
    await q.query(`ALTER TABLE deposits ADD COLUMN credited_amount numeric(38, 18) NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE deposits ADD CONSTRAINT deposits_credited_amount_not_negative CHECK (credited_amount >= 0)`);
    // Backfill in batches, so a large table is never locked whole.
    for (;;) {
      const [{ n }] = (await q.query(
        `WITH batch AS (SELECT id FROM deposits WHERE credited_at IS NOT NULL AND credited_amount = 0 LIMIT 5000),
              updated AS (UPDATE deposits d SET credited_amount = d.price_amount FROM batch WHERE d.id = batch.id RETURNING 1)
         SELECT count(*)::int AS n FROM updated`,
      )) as { n: number }[];
      if (n < 5000) break;
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deposits DROP CONSTRAINT deposits_credited_amount_not_negative`);
    await q.query(`ALTER TABLE deposits DROP COLUMN credited_amount`);
    await q.query(`ALTER TABLE deposits DROP COLUMN credit_asset`);
  }
}
