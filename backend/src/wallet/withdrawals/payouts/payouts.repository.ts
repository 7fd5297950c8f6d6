import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Dec } from '../../../common/money/decimal';
import { queryRows } from '../../../database/rows';
import type { Tx } from '../../../database/unit-of-work';
import type { ManualReason, PayoutState } from './payout-state';

/** A `withdrawal_payouts` row (snake_case), as the database answers it. */
export interface PayoutRow {
  withdrawal_id: string;
  provider: string;
  status: PayoutState;
  manual_reason: ManualReason | null;
  currency: string | null;
  amount: string;
  address: string;
  usd_value: string;
  provider_batch_id: string | null;
  provider_payout_id: string | null;
  provider_status: string | null;
  tx_hash: string | null;
  error: string | null;
  attempts: number;
  claim_token: string | null;
  claimed_until: Date | string | null;
  checked_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
  finished_at: Date | string | null;
}

export interface NewPayout {
  withdrawalId: string;
  provider: string;
  currency: string | null;
  amount: Dec;
  address: string;
  usdValue: Dec;
}

/** One payout status the provider told us, as recorded in `withdrawal_payout_events`. */
export interface PayoutEvent {
  withdrawalId: string | null;
  provider: string;
  providerPayoutId: string | null;
  status: string;
  source: 'ipn' | 'api';
  outcome: string;
  payload: Record<string, unknown>;
}

/** The `withdrawal_payouts` and `withdrawal_payout_events` tables (owned by wallet). */
@Injectable()
export class PayoutsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Serialises the decisions against the daily cap of automatic payouts until `tx` ends (two approvals cannot both squeeze under it). */
  async serializeDailyCap(tx: Tx): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('payouts:daily-cap', 0))`);
  }

  /** USD value of the automatic payouts planned in the last 24 hours that may have sent money (not failed, not left to operators). */
  async automaticUsdToday(tx: Tx): Promise<string> {
    const [{ sum }] = (await tx.query(
      `SELECT coalesce(sum(usd_value), 0)::text AS sum FROM withdrawal_payouts
       WHERE created_at > now() - interval '24 hours' AND status NOT IN ('manual', 'failed')`,
    )) as { sum: string }[];
    return sum;
  }

  /** A payout to send (`sending`, claimed by `claimToken` for `claimMs`), on the approval's transaction. */
  async insertSending(tx: Tx, p: NewPayout, claimToken: string, claimMs: number): Promise<void> {
    await tx.query(
      `INSERT INTO withdrawal_payouts (withdrawal_id, provider, status, currency, amount, address, usd_value, claim_token, claimed_until)
       VALUES ($1, $2, 'sending', $3, $4, $5, $6, $7, now() + make_interval(secs => $8::double precision / 1000))`,
      [p.withdrawalId, p.provider, p.currency, p.amount.toFixed(), p.address, p.usdValue.toFixed(8), claimToken, claimMs],
    );
  }

  /** A withdrawal an operator sends, with the reason it is not sent automatically. */
  async insertManual(tx: Tx, p: NewPayout, reason: ManualReason): Promise<void> {
    await tx.query(
      `INSERT INTO withdrawal_payouts (withdrawal_id, provider, status, manual_reason, currency, amount, address, usd_value)
       VALUES ($1, $2, 'manual', $3, $4, $5, $6, $7)`,
      [p.withdrawalId, p.provider, reason, p.currency, p.amount.toFixed(), p.address, p.usdValue.toFixed(8)],
    );
  }

  async find(withdrawalId: string, tx?: Tx): Promise<PayoutRow | undefined> {
    const [row] = (await (tx ?? this.dataSource).query(`SELECT * FROM withdrawal_payouts WHERE withdrawal_id = $1`, [withdrawalId])) as PayoutRow[];
    return row;
  }

  /** The payouts of these withdrawals (the back office's list). */
  async findMany(withdrawalIds: string[]): Promise<PayoutRow[]> {
    if (!withdrawalIds.length) return [];
    return this.dataSource.query(`SELECT * FROM withdrawal_payouts WHERE withdrawal_id = ANY($1::uuid[])`, [withdrawalIds]);
  }

  /** Locks the payout row for the rest of `tx` (taken after the withdrawal's row: always that order). */
  async lock(tx: Tx, withdrawalId: string): Promise<PayoutRow | undefined> {
    const [row] = (await tx.query(`SELECT * FROM withdrawal_payouts WHERE withdrawal_id = $1 FOR UPDATE`, [withdrawalId])) as PayoutRow[];
    return row;
  }

  /** The payout the provider knows as `providerPayoutId`, else the one of our withdrawal `externalId` (an IPN names both). */
  async findByProviderId(provider: string, providerPayoutId: string, externalId: string | null): Promise<PayoutRow | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT * FROM withdrawal_payouts WHERE provider = $1 AND (provider_payout_id = $2 OR ($3::uuid IS NOT NULL AND withdrawal_id = $3::uuid))
       ORDER BY (provider_payout_id = $2) DESC NULLS LAST LIMIT 1`,
      [provider, providerPayoutId, externalId],
    )) as PayoutRow[];
    return row;
  }

  /**
   * Takes the claim of a payout to send or resume: the holder of `token` renews its own live claim; anyone takes one
   * that expired (its sender stopped). One statement, so two instances never both hold it. Returns the row, or
   * undefined when someone else holds it or there is nothing left to send.
   */
  async claim(withdrawalId: string, token: string, claimMs: number, takeOver: boolean): Promise<PayoutRow | undefined> {
    const [row] = await queryRows<PayoutRow>(
      this.dataSource,
      `UPDATE withdrawal_payouts SET claim_token = $2, claimed_until = now() + make_interval(secs => $3::double precision / 1000),
              attempts = attempts + 1, updated_at = now()
       WHERE withdrawal_id = $1 AND status IN ('sending', 'created')
         AND ${takeOver ? '(claimed_until IS NULL OR claimed_until < now())' : 'claim_token = $2 AND claimed_until > now()'}
       RETURNING *`,
      [withdrawalId, token, claimMs],
    );
    return row;
  }

  /** Payouts whose sender stopped (claim expired) while sending or verifying: to resume. */
  async abandoned(limit: number): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT withdrawal_id FROM withdrawal_payouts WHERE status IN ('sending', 'created') AND (claimed_until IS NULL OR claimed_until < now())
       ORDER BY created_at LIMIT $1`,
      [limit],
    )) as { withdrawal_id: string }[];
    return rows.map((r) => r.withdrawal_id);
  }

  /** Payouts under way with no news for `staleMs` (no status, no check): to look up at the provider. Marks them checked. */
  async takeStale(staleMs: number, limit: number): Promise<PayoutRow[]> {
    return queryRows<PayoutRow>(
      this.dataSource,
      `UPDATE withdrawal_payouts SET checked_at = now()
       WHERE withdrawal_id IN (
         SELECT withdrawal_id FROM withdrawal_payouts
         WHERE status = 'processing' AND greatest(updated_at, coalesce(checked_at, updated_at)) < now() - make_interval(secs => $1::double precision / 1000)
         ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [staleMs, limit],
    );
  }

  /**
   * The provider holds it: its ids and status (`sending` → `created` or `processing`, `created` → `processing`).
   * With `claimToken`, only while that claim is still held (`false`: another instance took the payout over).
   */
  async recordProvider(
    withdrawalId: string,
    p: { batchId: string; payoutId: string; status: string; state: 'created' | 'processing' },
    claimToken?: string,
  ): Promise<boolean> {
    const rows = await queryRows<{ withdrawal_id: string }>(
      this.dataSource,
      `UPDATE withdrawal_payouts SET provider_batch_id = $2, provider_payout_id = $3, provider_status = $4, status = $5, updated_at = now()
       WHERE withdrawal_id = $1 AND status IN ('sending', 'created', 'processing') AND (provider_payout_id IS NULL OR provider_payout_id = $3)
         AND ($6::uuid IS NULL OR (claim_token = $6::uuid AND claimed_until > now()))
       RETURNING withdrawal_id`,
      [withdrawalId, p.batchId, p.payoutId, p.status, p.state, claimToken ?? null],
    );
    return rows.length > 0;
  }

  /** Renews a claim its holder still has (right before asking the provider to create the payout); false: it was lost. */
  async renew(withdrawalId: string, claimToken: string, claimMs: number): Promise<boolean> {
    const rows = await queryRows<{ withdrawal_id: string }>(
      this.dataSource,
      `UPDATE withdrawal_payouts SET claimed_until = now() + make_interval(secs => $3::double precision / 1000)
       WHERE withdrawal_id = $1 AND status IN ('sending', 'created') AND claim_token = $2::uuid AND claimed_until > now()
       RETURNING withdrawal_id`,
      [withdrawalId, claimToken, claimMs],
    );
    return rows.length > 0;
  }

  /**
   * Verified at the provider (`created` → `processing`), only while `claimToken`'s claim is held, with the
   * `wallet.payout_sent` audit row in the same statement. False: the claim was lost (nothing written).
   */
  async markVerified(withdrawalId: string, claimToken: string, audit: { batchId: string; payoutId: string | null }): Promise<boolean> {
    const rows = await queryRows<{ withdrawal_id: string }>(
      this.dataSource,
      `WITH verified AS (
         UPDATE withdrawal_payouts SET status = 'processing', error = NULL, updated_at = now()
         WHERE withdrawal_id = $1 AND status = 'created' AND claim_token = $2::uuid AND claimed_until > now()
         RETURNING withdrawal_id, provider_payout_id
       ), logged AS (
         INSERT INTO audit_logs (action, details)
         SELECT 'wallet.payout_sent', jsonb_build_object('withdrawalId', withdrawal_id, 'batchId', $3::text, 'payoutId', coalesce($4::text, provider_payout_id))
         FROM verified
       )
       SELECT withdrawal_id FROM verified`,
      [withdrawalId, claimToken, audit.batchId, audit.payoutId],
    );
    return rows.length > 0;
  }

  /**
   * Not sent, and never verified: an operator sends it (`provider_refused`: the provider refused to create it;
   * `provider_mismatch`: what it holds under our id is not what we asked, so it is left unverified, never sent).
   */
  async markManual(withdrawalId: string, reason: 'provider_refused' | 'provider_mismatch', error: string): Promise<boolean> {
    const rows = await queryRows<{ withdrawal_id: string }>(
      this.dataSource,
      `UPDATE withdrawal_payouts SET status = 'manual', manual_reason = $2, error = $3, claim_token = NULL, claimed_until = NULL, updated_at = now()
       WHERE withdrawal_id = $1 AND status = 'sending' RETURNING withdrawal_id`,
      [withdrawalId, reason, error.slice(0, 500)],
    );
    return rows.length > 0;
  }

  /** Keeps the last error of an attempt (the claim expires by itself: the worker tries again after it). */
  async noteError(withdrawalId: string, error: string): Promise<void> {
    await this.dataSource.query(`UPDATE withdrawal_payouts SET error = $2, updated_at = now() WHERE withdrawal_id = $1`, [withdrawalId, error.slice(0, 500)]);
  }

  /** Lets the claim go, so the worker may take the payout up again at once (or after `retryMs`). */
  async release(withdrawalId: string, token: string, retryMs = 0): Promise<void> {
    await this.dataSource.query(
      `UPDATE withdrawal_payouts SET claimed_until = now() + make_interval(secs => $3::double precision / 1000) WHERE withdrawal_id = $1 AND claim_token = $2`,
      [withdrawalId, token, retryMs],
    );
  }

  /** A status update under the row lock: its provider status (and ids when first known), `processing` at least. */
  async recordStatus(tx: Tx, withdrawalId: string, p: { batchId: string; payoutId: string; status: string; state: 'created' | 'processing' }): Promise<void> {
    await tx.query(
      `UPDATE withdrawal_payouts SET provider_batch_id = coalesce(provider_batch_id, $2), provider_payout_id = coalesce(provider_payout_id, $3),
              provider_status = $4, status = $5, updated_at = now()
       WHERE withdrawal_id = $1`,
      [withdrawalId, p.batchId, p.payoutId, p.status, p.state],
    );
  }

  async markFinished(tx: Tx, withdrawalId: string, p: { batchId: string; payoutId: string; status: string; hash: string }): Promise<void> {
    await tx.query(
      `UPDATE withdrawal_payouts SET status = 'finished', provider_batch_id = coalesce(provider_batch_id, $2), provider_payout_id = coalesce(provider_payout_id, $3),
              provider_status = $4, tx_hash = $5, claim_token = NULL, claimed_until = NULL, finished_at = now(), updated_at = now()
       WHERE withdrawal_id = $1`,
      [withdrawalId, p.batchId, p.payoutId, p.status, p.hash],
    );
  }

  async markFailed(tx: Tx, withdrawalId: string, p: { batchId: string; payoutId: string; status: string; error: string | null }): Promise<void> {
    await tx.query(
      `UPDATE withdrawal_payouts SET status = 'failed', provider_batch_id = coalesce(provider_batch_id, $2), provider_payout_id = coalesce(provider_payout_id, $3),
              provider_status = $4, error = coalesce($5, error), claim_token = NULL, claimed_until = NULL, finished_at = now(), updated_at = now()
       WHERE withdrawal_id = $1`,
      [withdrawalId, p.batchId, p.payoutId, p.status, p.error],
    );
  }

  /**
   * Amounts of the verified payouts the provider is sending, per provider currency: out of its balance already,
   * still in the users' held balances until it confirms them. `created` rows whose verification went through
   * (the provider reports them past CREATING) count too. On `tx` when given (one snapshot with the liabilities).
   */
  async inFlight(tx?: Tx): Promise<{ currency: string; amount: string }[]> {
    return (tx ?? this.dataSource).query(
      `SELECT currency, sum(amount)::text AS amount FROM withdrawal_payouts
       WHERE currency IS NOT NULL AND (status = 'processing' OR (status = 'created' AND provider_status IS NOT NULL AND provider_status <> 'CREATING'))
       GROUP BY currency`,
    );
  }

  /**
   * An operator resolved a live payout the provider failed, rejected or does not hold: it becomes `manual` (the
   * operator completes or rejects the withdrawal as before). A `sending` one only once its sender's claim expired.
   */
  async markManualFromLive(withdrawalId: string, reason: 'provider_failed' | 'not_at_provider', error: string): Promise<boolean> {
    const rows = await queryRows<{ withdrawal_id: string }>(
      this.dataSource,
      `UPDATE withdrawal_payouts SET status = 'manual', manual_reason = $2, error = $3, claim_token = NULL, claimed_until = NULL, updated_at = now()
       WHERE withdrawal_id = $1 AND status IN ('sending', 'created', 'processing') AND (status <> 'sending' OR claimed_until IS NULL OR claimed_until < now())
       RETURNING withdrawal_id`,
      [withdrawalId, reason, error.slice(0, 500)],
    );
    return rows.length > 0;
  }

  /** Whether the last event of this withdrawal's payout already says this (status, outcome, payload): a repeat is not written again. */
  async repeatsLastEvent(tx: Tx, withdrawalId: string, e: Pick<PayoutEvent, 'status' | 'outcome' | 'payload'>): Promise<boolean> {
    const [last] = (await tx.query(
      `SELECT status, outcome, payload = $2::jsonb AS same FROM withdrawal_payout_events WHERE withdrawal_id = $1 ORDER BY id DESC LIMIT 1`,
      [withdrawalId, JSON.stringify(e.payload)],
    )) as { status: string; outcome: string; same: boolean }[];
    return !!last && last.status === e.status.slice(0, 16) && last.outcome === e.outcome && last.same;
  }

  async recordEvent(tx: Tx | undefined, e: PayoutEvent): Promise<void> {
    await (tx ?? this.dataSource).query(
      `INSERT INTO withdrawal_payout_events (withdrawal_id, provider, provider_payout_id, status, source, outcome, payload) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [e.withdrawalId, e.provider, e.providerPayoutId, e.status.slice(0, 16), e.source, e.outcome, JSON.stringify(e.payload)],
    );
  }
}
