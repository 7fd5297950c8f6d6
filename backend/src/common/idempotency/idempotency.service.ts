import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { withRetries } from '../../database/transaction';
import { Tx, UnitOfWork } from '../../database/unit-of-work';
import { AppError, conflict, validationFailed } from '../errors/app-error';
import { faultPoint } from './fault-point';
import { IdempotencyRepository, IdempotencyRow } from './idempotency.repository';

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,200}$/;
/** Thrown inside committedAnswer's transaction to roll back the claim it made on a free key. */
const NOTHING_UNDER_KEY = Symbol('nothing under the key');

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
  return createHash('sha256')
    .update(`${scope}\n${JSON.stringify(canon(body))}`)
    .digest('hex');
}

/**
 * `Idempotency-Key` for any POST whose work runs in one transaction (orders,
 * withdrawals…): the service calls `run` with the key and its work. The key
 * row is inserted and completed in the SAME transaction as the work (never
 * committed apart from it, as an interceptor around the handler would), so:
 * - a replay after commit finds the stored response and returns it;
 * - a replay while the first is in flight blocks on the unique key until the
 *   first commits (then replays it) or rolls back (then runs itself);
 * - the same key with another body is 409 IDEMPOTENCY_CONFLICT.
 * Business refusals (4xx) are stored too, after the rollback, so a replay
 * answers the same; server errors are not stored, so a retry runs again.
 * A crash after the commit and before the answer leaves the key with its
 * response: the client's retry gets the first answer, and nothing runs twice
 * (e2e/faults/crash-idempotency).
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly keys: IdempotencyRepository,
  ) {}

  async run<T>(
    opts: {
      userId: string;
      scope: string;
      key: string | undefined;
      body: unknown;
      successStatus?: number;
      /** `work` is atomic by itself (one statement): without a key it runs outside a transaction. */
      atomic?: boolean;
    },
    /** `inTransaction` is false only for atomic work without a key: `tx` then commits each statement by itself. */
    work: (tx: Tx, inTransaction: boolean) => Promise<T>,
  ): Promise<T> {
    const { userId, scope, key } = opts;
    if (key === undefined) return opts.atomic ? withRetries(() => work(this.keys.autocommit(), false)) : this.uow.run((tx) => work(tx, true));
    if (!KEY_PATTERN.test(key)) {
      throw validationFailed([{ field: 'Idempotency-Key', message: 'Idempotency-Key must be 1-200 letters, digits or ._:-' }]);
    }
    const hash = requestHash(scope, opts.body);
    const status = opts.successStatus ?? 201;
    try {
      const id = { userId, scope, key };
      const outcome = await this.uow.run<{ body: T } | { replay: IdempotencyRow }>(async (tx) => {
        if (!(await this.keys.claim(tx, id, hash))) return { replay: (await this.keys.find(tx, id))! };
        const body = await work(tx, true);
        await this.keys.complete(tx, id, status, body);
        return { body };
      });
      if ('body' in outcome) {
        // Committed, not yet answered: where a crash test kills the process.
        faultPoint('idempotency:after-commit');
        return outcome.body;
      }
      // A replay's answer can be lost on the way too (the fault suites lose every answer of a key this way).
      faultPoint('idempotency:after-replay');
      return this.replay<T>(outcome.replay, hash);
    } catch (e) {
      if (e instanceof AppError && e.status >= 400 && e.status < 500 && e.code !== 'IDEMPOTENCY_CONFLICT') {
        await this.keys.storeRefusal({ userId, scope, key }, hash, e.status, { code: e.code, message: e.message, details: e.details ?? null });
      }
      throw e;
    }
  }

  /** Whether a request with this key already finished (its retry replays the answer; e.g. no new second factor is asked for). */
  isReplay(userId: string, scope: string, key: string | undefined): Promise<boolean> {
    if (!key) return Promise.resolve(false);
    return this.keys.completed({ userId, scope, key });
  }

  /**
   * The answer a request with this key and body committed (a 2xx), found without running anything: for a caller that
   * lost every answer and must know whether its work was done. A request still in flight under the key is waited for
   * (the key is claimed as `run` claims it, which waits on an uncommitted claim, then let go), so "none" is never said
   * of work that is about to commit. Undefined when nothing committed under the key for this body (no row, a refusal,
   * or another request's use of the key).
   */
  async committedAnswer<T>(userId: string, scope: string, key: string, body: unknown): Promise<T | undefined> {
    const hash = requestHash(scope, body);
    const id = { userId, scope, key };
    try {
      return await this.uow.run(async (tx) => {
        // Claimed: nothing was under the key. The transaction is rolled back (below), leaving the key free.
        if (await this.keys.claim(tx, id, hash)) throw NOTHING_UNDER_KEY;
        const row = await this.keys.find(tx, id);
        return row && row.request_hash === hash && row.status_code !== null && row.status_code < 300 ? (row.response as T) : undefined;
      });
    } catch (e) {
      if (e === NOTHING_UNDER_KEY) return undefined;
      throw e;
    }
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
