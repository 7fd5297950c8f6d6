import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { queryRows } from '../../database/rows';
import type { Tx } from '../../database/unit-of-work';
import type { IpnOutcome } from './dto/deposit.dto';
import type { DepositEntity } from './entities/deposit.entity';

/** A raw `deposits` row (snake_case), as the database answers it. */
export interface DepositRow {
  id: string;
  user_id: string;
  provider: string;
  provider_payment_id: string;
  price_amount: string;
  credit_asset: string;
  credited_amount: string;
  pay_currency: string;
  pay_amount: string;
  pay_address: string;
  status: string;
  expires_at: Date | string;
  credited_at: Date | string | null;
  journal_id: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

export interface NewDeposit {
  id: string;
  userId: string;
  provider: string;
  providerPaymentId: string;
  priceAmount: string;
  creditAsset: string;
  payCurrency: string;
  payAmount: string;
  payAddress: string;
  status: string;
  expiresAt: Date;
}

/** One IPN (or our own event) as recorded in `deposit_events`. */
export interface DepositEvent {
  depositId: string | null;
  provider: string;
  paymentId: string;
  orderId: string;
  status: string;
  outcome: IpnOutcome;
  payload: Record<string, unknown>;
}

function toEntity(r: DepositRow): DepositEntity {
  return {
    id: r.id,
    userId: r.user_id,
    provider: r.provider,
    providerPaymentId: r.provider_payment_id,
    priceAmount: r.price_amount,
    creditAsset: r.credit_asset ?? 'USD',
    creditedAmount: r.credited_amount ?? '0',
    payCurrency: r.pay_currency,
    payAmount: r.pay_amount,
    payAddress: r.pay_address,
    status: r.status,
    expiresAt: new Date(r.expires_at),
    creditedAt: r.credited_at ? new Date(r.credited_at) : null,
    journalId: r.journal_id ?? null,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

/** The `deposits` and `deposit_events` tables (owned by wallet). */
@Injectable()
export class DepositsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(tx: Tx, d: NewDeposit): Promise<DepositEntity> {
    const [row] = (await tx.query(
      `INSERT INTO deposits (id, user_id, provider, provider_payment_id, price_amount, credit_asset, pay_currency, pay_amount, pay_address, status, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
      [d.id, d.userId, d.provider, d.providerPaymentId, d.priceAmount, d.creditAsset, d.payCurrency, d.payAmount, d.payAddress, d.status, d.expiresAt],
    )) as DepositRow[];
    return toEntity(row);
  }

  async findOwned(userId: string, id: string): Promise<DepositEntity | undefined> {
    const [row] = (await this.dataSource.query(`SELECT * FROM deposits WHERE id = $1 AND user_id = $2`, [id, userId])) as DepositRow[];
    return row && toEntity(row);
  }

  /** One page of a user's deposits, newest first (keyset at millisecond precision); `limit` rows at most. */
  async page(userId: string, limit: number, cursor?: { createdAt: Date | string; id: string }): Promise<DepositEntity[]> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM deposits WHERE user_id = $1 ${cursor ? `AND (date_trunc('milliseconds', created_at), id) < ($3, $4::uuid)` : ''}
       ORDER BY date_trunc('milliseconds', created_at) DESC, id DESC LIMIT $2`,
      cursor ? [userId, limit, cursor.createdAt, cursor.id] : [userId, limit],
    )) as DepositRow[];
    return rows.map(toEntity);
  }

  /** Locks the provider's deposit for the rest of `tx`'s transaction. */
  async lockForProvider(tx: Tx, id: string, provider: string): Promise<DepositEntity | undefined> {
    const [row] = (await tx.query(`SELECT * FROM deposits WHERE id = $1 AND provider = $2 FOR UPDATE`, [id, provider])) as DepositRow[];
    return row && toEntity(row);
  }

  async setStatus(tx: Tx, id: string, status: string): Promise<void> {
    await tx.query(`UPDATE deposits SET status = $2, updated_at = now() WHERE id = $1`, [id, status]);
  }

  /**
   * Records a credit of the deposit (under the row lock its IPN took): `creditedTotal` credited in all, by this
   * journal, and the status that credited it. `credited_at` and `journal_id` keep the first credit's; the update is
   * guarded by the total credited before, so a credit can never be recorded twice. Returns the deposit.
   */
  async markCredited(tx: Tx, id: string, c: { status: string; creditedBefore: string; creditedTotal: string; journalId: string }): Promise<DepositEntity> {
    const rows = await queryRows<DepositRow>(
      tx,
      `UPDATE deposits SET status = $2, credited_amount = $4, credited_at = COALESCE(credited_at, now()), journal_id = COALESCE(journal_id, $5), updated_at = now()
       WHERE id = $1 AND credited_amount = $3 RETURNING *`,
      [id, c.status, c.creditedBefore, c.creditedTotal, c.journalId],
    );
    if (rows.length !== 1) throw new Error(`deposit ${id} was credited meanwhile: refusing to record a second credit`);
    return toEntity(rows[0]);
  }

  async recordEvent(tx: Tx, e: DepositEvent): Promise<void> {
    await tx.query(
      `INSERT INTO deposit_events (deposit_id, provider, provider_payment_id, order_id, status, outcome, payload) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [e.depositId, e.provider, e.paymentId.slice(0, 64), e.orderId.slice(0, 100), e.status.slice(0, 20), e.outcome, JSON.stringify(e.payload)],
    );
  }

  /**
   * Whether an IPN of this status, saying the same amount arrived (`actually_paid` as the provider sent it, compared
   * as JSON: 0.5 equals 0.50), was held for an operator already (DepositsService.holdForOperator).
   */
  async heldBefore(tx: Tx, depositId: string, status: string, actuallyPaid: unknown): Promise<boolean> {
    const rows = await tx.query<unknown[]>(
      `SELECT 1 FROM deposit_events
        WHERE deposit_id = $1 AND outcome = 'held' AND status = $2 AND coalesce(payload->'actually_paid', 'null'::jsonb) = $3::jsonb
        LIMIT 1`,
      [depositId, status, JSON.stringify(actuallyPaid ?? null)],
    );
    return rows.length > 0;
  }

  /** Expires deposits still waiting `graceSeconds` after their expiry, recording an event each; returns how many. */
  async expireStale(graceSeconds: number): Promise<number> {
    const rows = await queryRows<{ deposit_id: string }>(
      this.dataSource,
      `WITH expired AS (
         UPDATE deposits SET status = 'expired', updated_at = now()
         WHERE status = 'waiting' AND expires_at < now() - make_interval(secs => $1) RETURNING id, provider, provider_payment_id
       )
       INSERT INTO deposit_events (deposit_id, provider, provider_payment_id, order_id, status, outcome)
       SELECT id, provider, provider_payment_id, id::text, 'expired', 'expired' FROM expired RETURNING deposit_id`,
      [graceSeconds],
    );
    return rows.length;
  }
}
