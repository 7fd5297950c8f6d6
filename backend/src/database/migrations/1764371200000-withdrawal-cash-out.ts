import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * USD cash-out (expand-only): a withdrawal of dollars sent as a stablecoin.
 *
 * - `cash_out_quotes` (new, owned by wallet): what a cash-out of `usd_amount` dollars converts to at `price` (USD per
 *   one `asset`), until `expires_at`. It is used at most once: `open` → `used` in the same transaction as the
 *   withdrawal it creates (`withdrawal_id`, unique) and that withdrawal's funding journal.
 * - `withdrawals` gets the dollars behind a cash-out, all null for every other withdrawal (and for every row written
 *   by code that predates this): `source_asset` (USD), `source_amount` (the dollars debited, fee included),
 *   `source_fee` (the conversion fee in USD, part of `source_amount`), `source_price` (USD per one unit of `asset`: the
 *   quote's rate), `cash_out_quote_id` (unique: one withdrawal per quote, a second guard behind the quote's row lock).
 *   Code that predates this never reads them.
 */
export class WithdrawalCashOut1764371200000 implements MigrationInterface {
  name = 'WithdrawalCashOut1764371200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE cash_out_quotes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        asset varchar(16) NOT NULL,
        network varchar(32) NOT NULL,
        usd_amount numeric(38, 18) NOT NULL CHECK (usd_amount > 0),
        fee numeric(38, 18) NOT NULL CHECK (fee >= 0 AND fee < usd_amount),
        price numeric(38, 18) NOT NULL CHECK (price > 0),
        converted numeric(38, 18) NOT NULL CHECK (converted > 0),
        network_fee numeric(38, 18) NOT NULL CHECK (network_fee >= 0 AND network_fee < converted),
        status varchar(16) NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'used')),
        withdrawal_id uuid UNIQUE,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        CHECK (expires_at > created_at),
        CHECK ((status = 'used') = (used_at IS NOT NULL AND withdrawal_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX cash_out_quotes_user ON cash_out_quotes (user_id, created_at DESC)`);
    // The sweep of quotes that expired unused.
    await q.query(`CREATE INDEX cash_out_quotes_open_expires ON cash_out_quotes (expires_at) WHERE status = 'open'`);

    await q.query(`
      ALTER TABLE withdrawals
        ADD COLUMN source_asset varchar(16),
        ADD COLUMN source_amount numeric(38, 18),
        ADD COLUMN source_fee numeric(38, 18),
        ADD COLUMN source_price numeric(38, 18),
        ADD COLUMN cash_out_quote_id uuid`);
    await q.query(`
      ALTER TABLE withdrawals ADD CONSTRAINT withdrawals_cash_out_terms CHECK (
        source_asset IS NULL
        OR (source_amount > 0 AND source_fee >= 0 AND source_fee < source_amount AND source_price > 0 AND cash_out_quote_id IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX withdrawals_cash_out_quote ON withdrawals (cash_out_quote_id) WHERE cash_out_quote_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX withdrawals_cash_out_quote`);
    await q.query(`ALTER TABLE withdrawals DROP CONSTRAINT withdrawals_cash_out_terms`);
    await q.query(
      `ALTER TABLE withdrawals DROP COLUMN cash_out_quote_id, DROP COLUMN source_price, DROP COLUMN source_fee, DROP COLUMN source_amount, DROP COLUMN source_asset`,
    );
    await q.query(`DROP TABLE cash_out_quotes`);
  }
}
