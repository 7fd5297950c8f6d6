import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AppError, conflict, validationFailed } from '../common/errors/app-error';
import { inTransaction } from '../database/transaction';

export interface StoredResponse<T> {
  status: number;
  body: T;
}

interface IdempotencyRow {
  request_hash: string;
  status_code: number | null;
  response: unknown;
}

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,200}$/;

/** Canonical JSON (sorted keys) so the same request always hashes the same. */
export function requestHash(scope: string, body: unknown): string {
  const canon = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canon)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v as object)
              .sort()
              .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
              .map((k) => [k, canon((v as Record<string, unknown>)[k])]),
          )
        : v;
  return createHash('sha256').update(`${scope}\n${JSON.stringify(canon(body))}`).digest('hex');
}

/**
 * `Idempotency-Key` for POSTs that move money. The key row is inserted in the
 * same transaction as the work, so:
 * - a replay after commit finds the stored response and returns it;
 * - a replay while the first is in flight blocks on the unique key until the
 *   first commits (then replays it) or rolls back (then runs itself);
 * - the same key with another body is 409 IDEMPOTENCY_CONFLICT.
 * Business refusals (4xx) are stored too, after the rollback, so a replay
 * answers the same; server errors are not stored, so a retry runs again.
 */
@Injectable()
export class IdempotencyService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async run<T>(
    opts: { userId: string; scope: string; key: string | undefined; body: unknown; successStatus?: number },
    work: (em: EntityManager) => Promise<T>,
  ): Promise<T> {
    const { userId, scope, key } = opts;
    if (key === undefined) return inTransaction(this.dataSource, work);
    if (!KEY_PATTERN.test(key)) {
      throw validationFailed([{ field: 'Idempotency-Key', message: 'Idempotency-Key must be 1-200 letters, digits or ._:-' }]);
    }
    const hash = requestHash(scope, opts.body);
    const status = opts.successStatus ?? 201;
    try {
      const outcome = await inTransaction<{ body: T } | { replay: IdempotencyRow }>(this.dataSource, async (em) => {
        const inserted = (await em.query(
          `INSERT INTO idempotency_keys (user_id, scope, key, request_hash) VALUES ($1, $2, $3, $4)
           ON CONFLICT DO NOTHING RETURNING key`,
          [userId, scope, key, hash],
        )) as unknown[];
        if (!inserted.length) return { replay: await this.stored(em, userId, scope, key) };
        const body = await work(em);
        await em.query(`UPDATE idempotency_keys SET status_code = $4, response = $5 WHERE user_id = $1 AND scope = $2 AND key = $3`, [
          userId,
          scope,
          key,
          status,
          JSON.stringify(body),
        ]);
        return { body };
      });
      if ('body' in outcome) return outcome.body;
      return this.replay<T>(outcome.replay, hash);
    } catch (e) {
      if (e instanceof AppError && e.status >= 400 && e.status < 500 && e.code !== 'IDEMPOTENCY_CONFLICT') {
        await this.dataSource.query(
          `INSERT INTO idempotency_keys (user_id, scope, key, request_hash, status_code, response) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT DO NOTHING`,
          [userId, scope, key, hash, e.status, JSON.stringify({ code: e.code, message: e.message, details: e.details ?? null })],
        );
      }
      throw e;
    }
  }

  private async stored(em: EntityManager, userId: string, scope: string, key: string): Promise<IdempotencyRow> {
    const [row] = (await em.query(`SELECT request_hash, status_code, response FROM idempotency_keys WHERE user_id = $1 AND scope = $2 AND key = $3`, [
      userId,
      scope,
      key,
    ])) as IdempotencyRow[];
    return row;
  }

  private replay<T>(row: IdempotencyRow, hash: string): T {
    if (row.request_hash !== hash) {
      throw conflict('IDEMPOTENCY_CONFLICT', 'This Idempotency-Key was already used with a different request');
    }
    if (row.status_code === null) throw conflict('IDEMPOTENCY_CONFLICT', 'A request with this Idempotency-Key is still in progress');
    if (row.status_code >= 400) {
      const err = row.response as { code: string; message: string; details: AppError['details'] | null };
      throw new AppError(row.status_code, err.code, err.message, err.details ?? undefined);
    }
    return row.response as T;
  }
}
