import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Money in and out: deposits through a payment provider with every IPN kept
 * in an append-only history, and withdrawals with their review trail.
 */
export class DepositsWithdrawals1764340000000 implements MigrationInterface {
  name = 'DepositsWithdrawals1764340000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE deposits (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        provider varchar(16) NOT NULL,
        provider_payment_id varchar(64) NOT NULL,
        price_amount numeric(20, 8) NOT NULL CHECK (price_amount > 0),
        pay_currency varchar(10) NOT NULL,
        pay_amount numeric(38, 18) NOT NULL,
        pay_address varchar(128) NOT NULL,
        status varchar(20) NOT NULL,
        expires_at timestamptz NOT NULL,
        credited_at timestamptz,
        journal_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The provider's payment id is the key that makes crediting idempotent.
    await q.query(`CREATE UNIQUE INDEX deposits_provider_payment_key ON deposits (provider, provider_payment_id)`);
    await q.query(`CREATE INDEX deposits_user_created ON deposits (user_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX deposits_waiting_expiry ON deposits (expires_at) WHERE status = 'waiting'`);

    await q.query(`
      CREATE TABLE deposit_events (
        id bigserial PRIMARY KEY,
        deposit_id uuid,
        provider varchar(16) NOT NULL,
        provider_payment_id varchar(64),
        order_id varchar(100),
        status varchar(20) NOT NULL,
        outcome varchar(20) NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX deposit_events_deposit ON deposit_events (deposit_id, id)`);

    await q.query(`
      CREATE TABLE withdrawals (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        asset varchar(16) NOT NULL,
        network varchar(32) NOT NULL,
        address varchar(128) NOT NULL,
        amount numeric(38, 18) NOT NULL CHECK (amount > 0),
        fee numeric(38, 18) NOT NULL CHECK (fee >= 0),
        usd_value numeric(38, 8) NOT NULL,
        status varchar(12) NOT NULL CHECK (status IN ('pending', 'approved', 'completed', 'rejected', 'cancelled')),
        required_approvals smallint NOT NULL DEFAULT 1 CHECK (required_approvals IN (1, 2)),
        tx_hash varchar(128),
        reject_reason varchar(500),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        approved_at timestamptz,
        completed_at timestamptz,
        rejected_at timestamptz,
        cancelled_at timestamptz
      )`);
    await q.query(`CREATE INDEX withdrawals_user_created ON withdrawals (user_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX withdrawals_status_created ON withdrawals (status, created_at DESC, id DESC)`);

    // One approval per admin per withdrawal: the same admin twice is refused by the key.
    await q.query(`
      CREATE TABLE withdrawal_approvals (
        withdrawal_id uuid NOT NULL REFERENCES withdrawals (id),
        admin_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (withdrawal_id, admin_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE withdrawal_approvals`);
    await q.query(`DROP TABLE withdrawals`);
    await q.query(`DROP TABLE deposit_events`);
    await q.query(`DROP TABLE deposits`);
  }
}
