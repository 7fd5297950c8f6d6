import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { asConnectionHolder } from './connection-guard';
import { inTransaction, onItsConnection } from './transaction';

/**
 * One database transaction as services see it: an opaque handle they pass to
 * repository methods, never a place to write SQL (ESLint allows queries only
 * in `*.repository.ts` and `database/**`).
 */
export type Tx = EntityManager;

export interface WorkOptions {
  /**
   * Work that is long by nature and not a request's (a scan of the whole book, a prune of rows that grow with the
   * users): its statements are not cancelled at DATABASE_STATEMENT_TIMEOUT_MS, nor its session ended when it computes
   * between two statements longer than DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS (both lifted for this transaction
   * only, `LIFT_TIMEOUTS`). A job that uses it is watched some other way (its own schedule and alert).
   */
  unbounded?: boolean;
}

/** Both timeouts of the session lifted until the transaction ends (set_config's `is_local`: SET LOCAL), in one statement. */
const LIFT_TIMEOUTS = `SELECT set_config('statement_timeout', '0', true), set_config('idle_in_transaction_session_timeout', '0', true)`;

/**
 * Runs a service's work in one transaction (READ COMMITTED, retried on a
 * serialization failure or deadlock; see inTransaction). Every repository call
 * inside gets `tx`, so the work holds one connection and asks for no other.
 */
@Injectable()
export class UnitOfWork {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  run<T>(work: (tx: Tx) => Promise<T>, attempts?: number, options: WorkOptions = {}): Promise<T> {
    if (!options.unbounded) return inTransaction(this.dataSource, work, attempts);
    return inTransaction(
      this.dataSource,
      async (tx) => {
        await tx.query(LIFT_TIMEOUTS);
        return work(tx);
      },
      attempts,
    );
  }

  /**
   * Reads in one REPEATABLE READ, READ ONLY transaction: every read of `work` sees the same snapshot. Like `run`, the
   * work holds that one connection and asks for no other (connection-guard.ts). Not retried: a read-only snapshot
   * meets no serialization failure.
   */
  snapshot<T>(work: (tx: Tx) => Promise<T>, options: WorkOptions = {}): Promise<T> {
    return this.dataSource.transaction('REPEATABLE READ', async (tx) => {
      await tx.query('SET TRANSACTION READ ONLY');
      if (options.unbounded) await tx.query(LIFT_TIMEOUTS);
      return onItsConnection(tx, () => asConnectionHolder(() => work(tx)));
    });
  }
}
