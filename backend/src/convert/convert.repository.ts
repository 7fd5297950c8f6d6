import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Dec } from '../common/money/decimal';
import { queryRows } from '../database/rows';
import type { Tx } from '../database/unit-of-work';
import type { ConvertQuoteEntity, ConvertQuoteStatus } from './entities/convert-quote.entity';

/** A raw `convert_quotes` row (snake_case), as the database answers it. */
interface ConvertQuoteRow {
  id: string;
  user_id: string;
  from_asset: string;
  to_asset: string;
  give_amount: string;
  fee: string;
  fee_usd: string;
  receive_amount: string;
  from_price: string;
  to_price: string;
  status: ConvertQuoteStatus;
  journal_id: string | null;
  created_at: Date;
  expires_at: Date;
  settled_at: Date | null;
}

/** A quote as the service reads it to settle: the row and whether it had expired when the transaction began. */
export interface LockedQuote {
  quote: ConvertQuoteEntity;
  expired: boolean;
}

export interface NewQuote {
  userId: string;
  fromAsset: string;
  toAsset: string;
  give: Dec;
  fee: Dec;
  feeUsd: Dec;
  receive: Dec;
  fromPrice: Dec;
  toPrice: Dec;
  ttlMs: number;
}

function fromRow(r: ConvertQuoteRow): ConvertQuoteEntity {
  return {
    id: r.id,
    userId: r.user_id,
    fromAsset: r.from_asset,
    toAsset: r.to_asset,
    giveAmount: r.give_amount,
    fee: r.fee,
    feeUsd: r.fee_usd,
    receiveAmount: r.receive_amount,
    fromPrice: r.from_price,
    toPrice: r.to_price,
    status: r.status,
    journalId: r.journal_id ?? null,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    settledAt: r.settled_at ?? null,
  };
}

/**
 * The `convert_quotes` table (owned by convert). Times come from the database's clock, so every instance agrees
 * when a quote expires.
 */
@Injectable()
export class ConvertRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Stores a quote valid for `ttlMs` from now. */
  async insert(q: NewQuote): Promise<ConvertQuoteEntity> {
    const [row] = (await this.dataSource.query(
      `INSERT INTO convert_quotes (user_id, from_asset, to_asset, give_amount, fee, fee_usd, receive_amount, from_price, to_price, created_at, expires_at)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, t.at, t.at + $10::int * interval '1 millisecond'
       FROM (SELECT date_trunc('milliseconds', now()) AS at) t
       RETURNING *`,
      [
        q.userId,
        q.fromAsset,
        q.toAsset,
        q.give.toFixed(),
        q.fee.toFixed(),
        q.feeUsd.toFixed(),
        q.receive.toFixed(),
        q.fromPrice.toFixed(),
        q.toPrice.toFixed(),
        q.ttlMs,
      ],
    )) as ConvertQuoteRow[];
    return fromRow(row);
  }

  /**
   * The user's quote, locked for the rest of `tx`'s transaction (concurrent settles of it wait here, then read it
   * settled), with whether it expired before the transaction began; undefined for an unknown or another user's quote.
   */
  async lockOwn(tx: Tx, userId: string, id: string): Promise<LockedQuote | undefined> {
    const rows = (await tx.query(`SELECT *, expires_at <= now() AS expired FROM convert_quotes WHERE id = $1 AND user_id = $2 FOR UPDATE`, [
      id,
      userId,
    ])) as (ConvertQuoteRow & { expired: boolean })[];
    return rows[0] && { quote: fromRow(rows[0]), expired: rows[0].expired };
  }

  /** Marks an open quote settled by `journalId` (the guard `status = 'open'` makes a second attempt find nothing). */
  async markSettled(tx: Tx, id: string, journalId: string): Promise<ConvertQuoteEntity | undefined> {
    const [row] = await queryRows<ConvertQuoteRow>(
      tx,
      `UPDATE convert_quotes SET status = 'settled', journal_id = $2, settled_at = date_trunc('milliseconds', now())
       WHERE id = $1 AND status = 'open' RETURNING *`,
      [id, journalId],
    );
    return row && fromRow(row);
  }

  /** One page of a user's settled conversions, newest first, after `cursor`; `limit + 1` rows tell whether there is more. */
  async settledPage(userId: string, limit: number, cursor?: { createdAt: Date; id: string }): Promise<ConvertQuoteEntity[]> {
    const params: unknown[] = [userId];
    let after = '';
    if (cursor) after = ` AND (settled_at, id) < ($${params.push(cursor.createdAt)}, $${params.push(cursor.id)}::uuid)`;
    const rows = (await this.dataSource.query(
      `SELECT * FROM convert_quotes WHERE user_id = $1 AND status = 'settled'${after} ORDER BY settled_at DESC, id DESC LIMIT ${Number(limit)}`,
      params,
    )) as ConvertQuoteRow[];
    return rows.map(fromRow);
  }

  /** Deletes quotes that expired unused more than `olderThanMs` ago; returns how many. */
  async deleteExpired(olderThanMs: number): Promise<number> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource,
      `DELETE FROM convert_quotes WHERE status = 'open' AND expires_at < now() - $1::int * interval '1 millisecond' RETURNING id`,
      [olderThanMs],
    );
    return rows.length;
  }
}
