import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Dec } from '../../common/money/decimal';
import { queryRows } from '../../database/rows';
import type { Tx } from '../../database/unit-of-work';
import type { CashOutQuoteEntity, CashOutQuoteStatus } from './entities/cash-out-quote.entity';

/** A raw `cash_out_quotes` row (snake_case), as the database answers it. */
interface CashOutQuoteRow {
  id: string;
  user_id: string;
  asset: string;
  network: string;
  usd_amount: string;
  fee: string;
  price: string;
  converted: string;
  network_fee: string;
  status: CashOutQuoteStatus;
  withdrawal_id: string | null;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

/** A quote with whether it had expired by the database's clock when it was read (in a transaction: when it began). */
export interface ReadQuote {
  quote: CashOutQuoteEntity;
  expired: boolean;
}

export interface NewCashOutQuote {
  userId: string;
  asset: string;
  network: string;
  usdAmount: Dec;
  fee: Dec;
  price: Dec;
  converted: Dec;
  networkFee: Dec;
  ttlMs: number;
}

function fromRow(r: CashOutQuoteRow): CashOutQuoteEntity {
  return {
    id: r.id,
    userId: r.user_id,
    asset: r.asset,
    network: r.network,
    usdAmount: r.usd_amount,
    fee: r.fee,
    price: r.price,
    converted: r.converted,
    networkFee: r.network_fee,
    status: r.status,
    withdrawalId: r.withdrawal_id ?? null,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    usedAt: r.used_at ?? null,
  };
}

/**
 * The `cash_out_quotes` table (owned by wallet). Times come from the database's clock, so every instance agrees when
 * a quote expires.
 */
@Injectable()
export class CashOutQuotesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Stores a quote valid for `ttlMs` from now. */
  async insert(q: NewCashOutQuote): Promise<CashOutQuoteEntity> {
    const [row] = (await this.dataSource.query(
      `INSERT INTO cash_out_quotes (user_id, asset, network, usd_amount, fee, price, converted, network_fee, created_at, expires_at)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, t.at, t.at + $9::int * interval '1 millisecond'
       FROM (SELECT date_trunc('milliseconds', now()) AS at) t
       RETURNING *`,
      [q.userId, q.asset, q.network, q.usdAmount.toFixed(), q.fee.toFixed(), q.price.toFixed(), q.converted.toFixed(), q.networkFee.toFixed(), q.ttlMs],
    )) as CashOutQuoteRow[];
    return fromRow(row);
  }

  /** The user's quote, unlocked (the checks made before a second factor is used up); undefined for another user's. */
  async findOwn(userId: string, id: string): Promise<ReadQuote | undefined> {
    const rows = (await this.dataSource.query(`SELECT *, expires_at <= now() AS expired FROM cash_out_quotes WHERE id = $1 AND user_id = $2`, [
      id,
      userId,
    ])) as (CashOutQuoteRow & { expired: boolean })[];
    return rows[0] && { quote: fromRow(rows[0]), expired: rows[0].expired };
  }

  /**
   * The user's quote, locked for the rest of `tx`'s transaction (concurrent cash-outs of it wait here, then read it
   * used), with whether it expired before the transaction began; undefined for an unknown or another user's quote.
   */
  async lockOwn(tx: Tx, userId: string, id: string): Promise<ReadQuote | undefined> {
    const rows = (await tx.query(`SELECT *, expires_at <= now() AS expired FROM cash_out_quotes WHERE id = $1 AND user_id = $2 FOR UPDATE`, [
      id,
      userId,
    ])) as (CashOutQuoteRow & { expired: boolean })[];
    return rows[0] && { quote: fromRow(rows[0]), expired: rows[0].expired };
  }

  /** Marks an open quote used by `withdrawalId` (the guard `status = 'open'` makes a second attempt find nothing). */
  async markUsed(tx: Tx, id: string, withdrawalId: string): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      tx,
      `UPDATE cash_out_quotes SET status = 'used', withdrawal_id = $2, used_at = now() WHERE id = $1 AND status = 'open' RETURNING id`,
      [id, withdrawalId],
    );
    return rows.length === 1;
  }

  /** Deletes quotes that expired unused more than `olderThanMs` ago; returns how many. */
  async deleteExpired(olderThanMs: number): Promise<number> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource,
      `DELETE FROM cash_out_quotes WHERE status = 'open' AND expires_at < now() - $1::int * interval '1 millisecond' RETURNING id`,
      [olderThanMs],
    );
    return rows.length;
  }
}
