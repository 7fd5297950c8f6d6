import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Automated payouts (expand-only: two new tables, read and written only by the wallet's payout code; a release
 * without it never touches them and completes withdrawals by hand as before).
 *
 * `withdrawal_payouts`: at most one per withdrawal (its primary key), written when the withdrawal is approved and
 * BEFORE anything is asked of the provider (`sending`, claimed by the instance sending it until `claimed_until`),
 * then `created` once the provider holds the batch (its ids), `processing` once verified, and `finished` (the
 * withdrawal completed with the provider's hash) or `failed` (its hold released). `manual`: not sent automatically,
 * an operator sends it (`manual_reason`: over a cap, the provider refused it, no payout currency). A sender that
 * stopped leaves `sending`: whichever instance resumes it after the claim looks the payout up at the provider by
 * its `unique_external_id` (the withdrawal id) before creating one, so a crash between the provider's create and
 * our commit never makes a second payout.
 * `withdrawal_payout_events`: every payout status the provider told us (IPN or status check) and what it did,
 * refused ones included.
 */
export class WithdrawalPayouts1764371100000 implements MigrationInterface {
  name = 'WithdrawalPayouts1764371100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE withdrawal_payouts (
        withdrawal_id uuid PRIMARY KEY REFERENCES withdrawals (id),
        provider varchar(16) NOT NULL,
        status varchar(12) NOT NULL CHECK (status IN ('sending', 'created', 'processing', 'finished', 'failed', 'manual')),
        manual_reason varchar(32),
        -- what is sent, in the provider's currency code: the withdrawal's amount to its address
        currency varchar(20),
        amount numeric(38, 18) NOT NULL CHECK (amount > 0),
        address varchar(128) NOT NULL,
        -- the withdrawal's USD value when requested: what the daily cap of automatic payouts adds up
        usd_value numeric(38, 8) NOT NULL,
        provider_batch_id varchar(64),
        provider_payout_id varchar(64),
        provider_status varchar(16),
        tx_hash varchar(128),
        error varchar(500),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        claim_token uuid,
        claimed_until timestamptz,
        checked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        CONSTRAINT withdrawal_payouts_manual_reason CHECK ((status = 'manual') = (manual_reason IS NOT NULL)),
        CONSTRAINT withdrawal_payouts_currency CHECK (status = 'manual' OR currency IS NOT NULL),
        CONSTRAINT withdrawal_payouts_finished_hash CHECK (status <> 'finished' OR tx_hash IS NOT NULL)
      )`);
    // An IPN names the provider's payout: one withdrawal per provider payout.
    await q.query(
      `CREATE UNIQUE INDEX withdrawal_payouts_provider_payout ON withdrawal_payouts (provider, provider_payout_id) WHERE provider_payout_id IS NOT NULL`,
    );
    // The worker of every instance looks for payouts to resume or check.
    await q.query(`CREATE INDEX withdrawal_payouts_live ON withdrawal_payouts (claimed_until) WHERE status IN ('sending', 'created', 'processing')`);
    // The daily cap sums the last 24 hours.
    await q.query(`CREATE INDEX withdrawal_payouts_created ON withdrawal_payouts (created_at)`);
    await q.query(`
      CREATE TABLE withdrawal_payout_events (
        id bigserial PRIMARY KEY,
        withdrawal_id uuid,
        provider varchar(16) NOT NULL,
        provider_payout_id varchar(64),
        status varchar(16) NOT NULL,
        source varchar(8) NOT NULL CHECK (source IN ('ipn', 'api')),
        outcome varchar(20) NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX withdrawal_payout_events_withdrawal ON withdrawal_payout_events (withdrawal_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE withdrawal_payout_events`);
    await q.query(`DROP TABLE withdrawal_payouts`);
  }
}
