import type { DataSource, EntityManager } from 'typeorm';
import { asConnectionHolder } from './connection-guard';

const RETRYABLE = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected

/**
 * Runs `work` in one database transaction, retrying a few times when
 * PostgreSQL aborts it for a serialization failure or a deadlock. `work` must
 * be safe to run again from the start (it is: the aborted attempt left nothing).
 * `work` holds the transaction's connection: every query it makes goes through
 * `em`, never through another connection (see connection-guard.ts).
 */
export function inTransaction<T>(dataSource: DataSource, work: (em: EntityManager) => Promise<T>, attempts = 3): Promise<T> {
  return withRetries(() => dataSource.transaction('READ COMMITTED', (em) => asConnectionHolder(() => work(em))), attempts);
}

/**
 * Runs `work` (a single statement, atomic by itself, or a whole transaction)
 * again when PostgreSQL aborted it for a serialization failure or a deadlock.
 */
export async function withRetries<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      const code = (e as { code?: string; driverError?: { code?: string } }).driverError?.code ?? (e as { code?: string }).code;
      if (attempt >= attempts || !code || !RETRYABLE.has(code)) throw e;
      await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 10));
    }
  }
}

/** The SQLSTATE of a database error, if it is one. */
export function pgErrorCode(e: unknown): string | undefined {
  const err = e as { code?: string; driverError?: { code?: string } };
  return err?.driverError?.code ?? err?.code;
}
