import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Tx } from '../database/unit-of-work';

/** A `confirmation_locks` row still in force. */
export interface ConfirmationLockRow {
  /** null: the lock covers the whole account. */
  session_id: string | null;
  locked_until: Date;
  failures: number;
}

/** Failed confirmations of one session and of the whole account (see `counts`). */
export interface ConfirmationCounts {
  session: number;
  account: number;
}

/** The `confirmation_attempts` and `confirmation_locks` tables: the one counter of failed confirmations. */
@Injectable()
export class ConfirmationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One caller's confirmations of an account at a time, on every instance, until `tx` ends. */
  async serialize(tx: Tx, userId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`confirm:${userId}`]);
  }

  /** Forgets every attempt and lock of the account. */
  async clearAccount(tx: Tx, userId: string): Promise<void> {
    await tx.query('DELETE FROM confirmation_locks WHERE user_id = $1', [userId]);
    await tx.query('DELETE FROM confirmation_attempts WHERE user_id = $1', [userId]);
  }

  /** A guess about to be checked (no outcome yet); its id. */
  async insertAttempt(tx: Tx, userId: string, sessionId: string, action: string): Promise<string> {
    const [row] = await tx.query<{ id: string }[]>('INSERT INTO confirmation_attempts (user_id, session_id, action) VALUES ($1, $2, $3) RETURNING id', [
      userId,
      sessionId,
      action,
    ]);
    return row.id;
  }

  async deleteAttempt(attemptId: string): Promise<void> {
    await this.dataSource.query('DELETE FROM confirmation_attempts WHERE id = $1', [attemptId]);
  }

  async markFailure(tx: Tx, attemptId: string): Promise<void> {
    await tx.query(`UPDATE confirmation_attempts SET outcome = 'failure' WHERE id = $1`, [attemptId]);
  }

  /** The locks in force on this session or on the whole account, the latest-ending first. */
  activeLocks(tx: Tx, userId: string, sessionId: string): Promise<ConfirmationLockRow[]> {
    return tx.query<ConfirmationLockRow[]>(
      `SELECT session_id, locked_until, failures FROM confirmation_locks
        WHERE user_id = $1 AND (session_id = $2 OR session_id IS NULL) AND locked_until > now()
        ORDER BY locked_until DESC`,
      [userId, sessionId],
    );
  }

  /**
   * Failures in the last `windowSeconds`, of the session and of the whole account, each counted from the end
   * of its last lock. Unresolved attempts count when `pending`, and always once older than `pendingSeconds`.
   */
  async counts(tx: Tx, userId: string, sessionId: string, windowSeconds: number, pending: boolean, pendingSeconds: number): Promise<ConfirmationCounts> {
    const [row] = await tx.query<ConfirmationCounts[]>(
      `WITH since AS (
         SELECT
           greatest(now() - make_interval(secs => $3), coalesce(max(locked_until) FILTER (WHERE session_id = $2), '-infinity')) AS session,
           greatest(now() - make_interval(secs => $3), coalesce(max(locked_until) FILTER (WHERE session_id IS NULL), '-infinity')) AS account
         FROM confirmation_locks WHERE user_id = $1
       )
       SELECT count(*) FILTER (WHERE a.session_id = $2 AND a.created_at > since.session)::int AS session,
              count(*) FILTER (WHERE a.created_at > since.account)::int AS account
         FROM confirmation_attempts a, since
        WHERE a.user_id = $1
          AND (a.outcome = 'failure' OR (a.outcome IS NULL AND ($4 OR a.created_at <= now() - make_interval(secs => $5))))`,
      [userId, sessionId, windowSeconds, pending, pendingSeconds],
    );
    return row;
  }

  /** Drops the rows that no longer count: attempts out of the window, locks that ended before it. */
  async prune(tx: Tx, userId: string, windowSeconds: number): Promise<void> {
    await tx.query(`DELETE FROM confirmation_attempts WHERE user_id = $1 AND created_at < now() - make_interval(secs => $2)`, [userId, windowSeconds]);
    await tx.query(`DELETE FROM confirmation_locks WHERE user_id = $1 AND locked_until < now() - make_interval(secs => $2)`, [userId, windowSeconds]);
  }

  /** Locks the session (or, with `sessionId` null, the account) for `lockSeconds`; when the lock ends. */
  async insertLock(tx: Tx, userId: string, sessionId: string | null, failures: number, lockSeconds: number): Promise<Date> {
    const [row] = await tx.query<{ locked_until: Date }[]>(
      `INSERT INTO confirmation_locks (user_id, session_id, failures, locked_until) VALUES ($1, $2, $3, now() + make_interval(secs => $4)) RETURNING locked_until`,
      [userId, sessionId, failures, lockSeconds],
    );
    return new Date(row.locked_until);
  }
}
