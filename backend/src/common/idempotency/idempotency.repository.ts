import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Tx } from '../../database/unit-of-work';

/** The stored state of one Idempotency-Key. */
export interface IdempotencyRow {
  request_hash: string;
  status_code: number | null;
  response: unknown;
}

export interface IdempotencyKeyId {
  userId: string;
  scope: string;
  key: string;
}

/** The `idempotency_keys` table. */
@Injectable()
export class IdempotencyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The handle of work that is one statement by itself, run outside any
   * transaction (a market order without a key commits on its own).
   */
  autocommit(): Tx {
    return this.dataSource.manager;
  }

  /** Claims the key in `tx`'s transaction; false when it exists (or another transaction holds it, until that one ends). */
  async claim(tx: Tx, id: IdempotencyKeyId, requestHash: string): Promise<boolean> {
    const inserted = (await tx.query(
      `INSERT INTO idempotency_keys (user_id, scope, key, request_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING key`,
      [id.userId, id.scope, id.key, requestHash],
    )) as unknown[];
    return inserted.length > 0;
  }

  /** Stores the response of the work, in the same transaction as the work. */
  async complete(tx: Tx, id: IdempotencyKeyId, status: number, response: unknown): Promise<void> {
    await tx.query(`UPDATE idempotency_keys SET status_code = $4, response = $5 WHERE user_id = $1 AND scope = $2 AND key = $3`, [
      id.userId,
      id.scope,
      id.key,
      status,
      JSON.stringify(response),
    ]);
  }

  /** Stores a business refusal (after the work's transaction rolled back), unless the key exists by now. */
  async storeRefusal(id: IdempotencyKeyId, requestHash: string, status: number, response: unknown): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO idempotency_keys (user_id, scope, key, request_hash, status_code, response) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT DO NOTHING`,
      [id.userId, id.scope, id.key, requestHash, status, JSON.stringify(response)],
    );
  }

  async find(tx: Tx, id: IdempotencyKeyId): Promise<IdempotencyRow | undefined> {
    const [row] = (await tx.query(`SELECT request_hash, status_code, response FROM idempotency_keys WHERE user_id = $1 AND scope = $2 AND key = $3`, [
      id.userId,
      id.scope,
      id.key,
    ])) as IdempotencyRow[];
    return row;
  }

  /** Whether the key holds a finished request's answer (not one still in flight). */
  async completed(id: IdempotencyKeyId): Promise<boolean> {
    const rows = (await this.dataSource.query(`SELECT 1 FROM idempotency_keys WHERE user_id = $1 AND scope = $2 AND key = $3 AND status_code IS NOT NULL`, [
      id.userId,
      id.scope,
      id.key,
    ])) as unknown[];
    return rows.length > 0;
  }
}
