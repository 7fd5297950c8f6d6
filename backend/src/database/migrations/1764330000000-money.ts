import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The money core: a double-entry ledger (journals and entries), materialised
 * balances, orders, idempotency keys, cost basis per position and tracked
 * outside holdings.
 */
export class Money1764330000000 implements MigrationInterface {
  name = 'Money1764330000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_journals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        type varchar(32) NOT NULL,
        reference varchar(200) NOT NULL,
        user_id uuid,
        description varchar(300) NOT NULL DEFAULT '',
        -- milliseconds: the (createdAt, id) keyset cursor carries a JS Date
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
      )`);
    // One journal per business event: a second fill or credit of the same reference is refused by the database.
    await q.query(`CREATE UNIQUE INDEX ledger_journals_reference_key ON ledger_journals (reference)`);
    await q.query(`CREATE INDEX ledger_journals_user_created ON ledger_journals (user_id, created_at DESC)`);

    await q.query(`
      CREATE TABLE ledger_entries (
        id bigserial PRIMARY KEY,
        journal_id uuid NOT NULL REFERENCES ledger_journals (id),
        account varchar(80) NOT NULL,
        asset varchar(16) NOT NULL,
        bucket varchar(16) NOT NULL CHECK (bucket IN ('available', 'locked')),
        kind varchar(16) NOT NULL CHECK (kind IN ('deposit', 'withdrawal', 'trade', 'fee', 'refund', 'adjustment', 'hold', 'release')),
        amount numeric(38, 18) NOT NULL CHECK (amount <> 0),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ledger_entries_journal ON ledger_entries (journal_id)`);
    await q.query(`CREATE INDEX ledger_entries_account_created ON ledger_entries (account, created_at DESC, id DESC)`);

    // Contra accounts (the treasury, the outside world) carry the other side of every
    // movement and are negative by meaning; every other account never goes below zero.
    await q.query(`
      CREATE TABLE balances (
        account varchar(80) NOT NULL,
        asset varchar(16) NOT NULL,
        available numeric(38, 18) NOT NULL DEFAULT 0,
        locked numeric(38, 18) NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account, asset),
        CONSTRAINT balances_non_negative CHECK (
          account IN ('platform:treasury', 'external:deposits', 'external:withdrawals') OR (available >= 0 AND locked >= 0)
        )
      )`);

    await q.query(`
      CREATE TABLE orders (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        symbol varchar(16) NOT NULL,
        side varchar(4) NOT NULL CHECK (side IN ('buy', 'sell')),
        type varchar(8) NOT NULL CHECK (type IN ('market', 'limit', 'stop')),
        status varchar(12) NOT NULL CHECK (status IN ('open', 'filled', 'cancelled', 'rejected')),
        quantity numeric(38, 18) NOT NULL CHECK (quantity > 0),
        quote_amount numeric(38, 18),
        limit_price numeric(38, 18),
        stop_price numeric(38, 18),
        filled_price numeric(38, 18),
        fee numeric(38, 18),
        fee_asset varchar(16) NOT NULL DEFAULT 'USD',
        reserved_asset varchar(16),
        reserved_amount numeric(38, 18) NOT NULL DEFAULT 0 CHECK (reserved_amount >= 0),
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        filled_at timestamptz,
        closed_at timestamptz
      )`);
    await q.query(`CREATE INDEX orders_user_created ON orders (user_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX orders_resting ON orders (symbol) WHERE status = 'open'`);
    await q.query(`CREATE INDEX orders_filled_at ON orders (filled_at) WHERE status = 'filled'`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        user_id uuid NOT NULL,
        scope varchar(64) NOT NULL,
        key varchar(200) NOT NULL,
        request_hash char(64) NOT NULL,
        status_code integer,
        response json,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, scope, key)
      )`);

    // Weighted average cost of what a user bought, and what selling realised.
    await q.query(`
      CREATE TABLE position_costs (
        user_id uuid NOT NULL,
        asset varchar(16) NOT NULL,
        quantity numeric(38, 18) NOT NULL DEFAULT 0 CHECK (quantity >= 0),
        cost numeric(38, 18) NOT NULL DEFAULT 0 CHECK (cost >= 0),
        realized_pnl numeric(38, 18) NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, asset)
      )`);

    await q.query(`
      CREATE TABLE tracked_holdings (
        user_id uuid NOT NULL,
        symbol varchar(16) NOT NULL,
        amount numeric(38, 18) NOT NULL CHECK (amount > 0),
        avg_cost numeric(38, 18),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, symbol)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tracked_holdings`);
    await q.query(`DROP TABLE position_costs`);
    await q.query(`DROP TABLE idempotency_keys`);
    await q.query(`DROP TABLE orders`);
    await q.query(`DROP TABLE balances`);
    await q.query(`DROP TABLE ledger_entries`);
    await q.query(`DROP TABLE ledger_journals`);
  }
}
