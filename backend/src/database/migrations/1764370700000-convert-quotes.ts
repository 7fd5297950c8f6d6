import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Convert quotes (expand-only: a new table, read and written only by the
 * convert module; code that predates it never touches it). A quote locks what
 * a user gives of one asset (`give`, fee included; `fee` in that asset) and
 * receives of another at the prices of the moment, until `expires_at`. It is
 * settled at most once: `open` → `settled` in the same transaction as its
 * ledger journal (reference `convert:<id>`), so a settled row is the record
 * of the conversion. Amounts and prices are numeric; never a float.
 */
export class ConvertQuotes1764370700000 implements MigrationInterface {
  name = 'ConvertQuotes1764370700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE convert_quotes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        from_asset varchar(16) NOT NULL,
        to_asset varchar(16) NOT NULL,
        give_amount numeric(38, 18) NOT NULL CHECK (give_amount > 0),
        fee numeric(38, 18) NOT NULL CHECK (fee >= 0 AND fee < give_amount),
        fee_usd numeric(38, 18) NOT NULL CHECK (fee_usd >= 0),
        receive_amount numeric(38, 18) NOT NULL CHECK (receive_amount > 0),
        from_price numeric(38, 18) NOT NULL CHECK (from_price > 0),
        to_price numeric(38, 18) NOT NULL CHECK (to_price > 0),
        status varchar(16) NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'settled')),
        journal_id uuid,
        -- milliseconds: the (settledAt, id) keyset cursor carries a JS Date
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        expires_at timestamptz NOT NULL,
        settled_at timestamptz,
        CHECK (from_asset <> to_asset),
        CHECK (expires_at > created_at),
        CHECK ((status = 'settled') = (settled_at IS NOT NULL AND journal_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX convert_quotes_user_settled ON convert_quotes (user_id, settled_at DESC, id DESC) WHERE status = 'settled'`);
    // The sweep of quotes that expired unused.
    await q.query(`CREATE INDEX convert_quotes_open_expires ON convert_quotes (expires_at) WHERE status = 'open'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE convert_quotes`);
  }
}
