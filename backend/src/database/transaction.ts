import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError, type DataSource, type EntityManager } from 'typeorm';
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
  return withRetries(() => dataSource.transaction('READ COMMITTED', (em) => onItsConnection(em, () => asConnectionHolder(() => work(em)))), attempts);
}

/**
 * The transaction's connection was lost while its work ran, between two of its statements: the server ended the
 * session (a transaction idle longer than DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS, SQLSTATE 25P03; a restart) or the
 * network dropped it. The transaction was rolled back with it. `code` is the connection error's SQLSTATE (or 08006,
 * connection_failure); the exception filter answers it 503. `cause` is what the work's next statement threw (its
 * stack shows where the work had waited), if it ran one.
 */
export class TransactionConnectionLostError extends Error {
  override readonly name = 'TransactionConnectionLostError';
  readonly code: string;
  constructor(connectionError: Error & { code?: unknown }, next: unknown) {
    super(`The transaction's connection was lost: ${connectionError.message}`, { cause: next });
    this.code = typeof connectionError.code === 'string' ? connectionError.code : '08006';
  }
}

interface ErrorEmitter {
  on(event: 'error', listener: (e: Error) => void): unknown;
  removeListener(event: 'error', listener: (e: Error) => void): unknown;
}

/** What a statement of work whose connection is gone throws: TypeORM's "already released" (or node-postgres' own). */
function connectionGone(e: unknown): boolean {
  return (
    e instanceof QueryRunnerProviderAlreadyReleasedError ||
    e instanceof QueryRunnerAlreadyReleasedError ||
    (e instanceof Error && /not queryable|Connection terminated/i.test(e.message))
  );
}

/**
 * Runs `work` in the transaction of `em`, watching its connection: when the connection fails while `work` awaits
 * something else (no statement of it running, so node-postgres reports it as the connection's `error` event and
 * TypeORM releases it), the work's next statement throws TypeORM's "already released", or, when the work had no
 * statement left, its COMMIT would; this throws TransactionConnectionLostError, which says why, instead. An error of
 * the work's own (a refusal it decided on) is thrown as it is: nothing was written either way. (A connection that
 * fails during a statement rejects that statement with its own error, as before.) The embedded database's connection
 * (PGlite, one per process) never emits the event.
 */
export async function onItsConnection<T>(em: EntityManager, work: () => Promise<T>): Promise<T> {
  const connection = (em.queryRunner as { databaseConnection?: Partial<ErrorEmitter> } | undefined)?.databaseConnection;
  if (typeof connection?.on !== 'function' || typeof connection.removeListener !== 'function') return work();
  const emitter = connection as ErrorEmitter;
  let lost: Error | undefined;
  const onError = (e: Error): void => {
    lost ??= e;
  };
  emitter.on('error', onError);
  try {
    const result = await work();
    // Gone after the work's last statement: the commit cannot be made (the server rolled the transaction back).
    if (lost) throw new TransactionConnectionLostError(lost, undefined);
    return result;
  } catch (e) {
    throw lost && connectionGone(e) ? new TransactionConnectionLostError(lost, e) : e;
  } finally {
    emitter.removeListener('error', onError);
  }
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
