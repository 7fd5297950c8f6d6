import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Display-currency reference rates (expand-only: a new table, read and written
 * only by the fx module; code that predates it never touches it). One row per
 * source, publication day and currency: units of the currency per 1 USD,
 * derived from the ECB's per-euro rates. `fetched_at` is the last successful
 * fetch that returned the row, so every instance (and a restarted one) can tell
 * how recent the stored rates are.
 */
export class FxReferenceRates1764370600000 implements MigrationInterface {
  name = 'FxReferenceRates1764370600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE fx_reference_rates (
        source text NOT NULL CHECK (source IN ('ecb', 'sample')),
        rate_date date NOT NULL,
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        per_usd numeric NOT NULL CHECK (per_usd > 0),
        fetched_at timestamptz NOT NULL,
        PRIMARY KEY (source, rate_date, currency)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE fx_reference_rates`);
  }
}
