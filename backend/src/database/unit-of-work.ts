import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from './transaction';

/**
 * One database transaction as services see it: an opaque handle they pass to
 * repository methods, never a place to write SQL (ESLint allows queries only
 * in `*.repository.ts` and `database/**`).
 */
export type Tx = EntityManager;

/**
 * Runs a service's work in one transaction (READ COMMITTED, retried on a
 * serialization failure or deadlock; see inTransaction). Every repository call
 * inside gets `tx`, so the work holds one connection and asks for no other.
 */
@Injectable()
export class UnitOfWork {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  run<T>(work: (tx: Tx) => Promise<T>, attempts?: number): Promise<T> {
    return inTransaction(this.dataSource, work, attempts);
  }

  /** Reads in one REPEATABLE READ, READ ONLY transaction: every read of `work` sees the same snapshot. */
  snapshot<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction('REPEATABLE READ', async (tx) => {
      await tx.query('SET TRANSACTION READ ONLY');
      return work(tx);
    });
  }
}
