import { type DataSource, MigrationExecutor } from 'typeorm';
import { pgErrorCode } from './transaction';

const MIGRATION_LOCK = 748_201_113;
/** SQLSTATE lock_not_available: a statement waited lock_timeout for a table's lock. */
const LOCK_NOT_AVAILABLE = '55P03';
/** Tries of the pending migrations whose table locks could not be had (back-offs of 78 s in all, plus the waits). */
const LOCK_ATTEMPTS = 20;

export interface MigrationOptions {
  /**
   * PostgreSQL: how long one migration statement waits for a table's lock (MIGRATION_LOCK_TIMEOUT_MS; 0: as long as
   * it takes). While an `ALTER TABLE` waits for its ACCESS EXCLUSIVE lock behind a transaction of the running
   * release, every later statement on that table queues behind it: the live app stalls for as long as the wait. Past
   * this wait the migration's transaction is rolled back and it is tried again after a back-off, the app's queries
   * going on in between; after LOCK_ATTEMPTS tries the boot fails.
   */
  lockTimeoutMs?: number;
  /** Told of each retry (the boot's logger). */
  onRetry?: (attempt: number, delayMs: number, error: Error) => void;
}

/**
 * Runs pending migrations. On PostgreSQL an advisory lock makes concurrent
 * boots of several instances take turns; PGlite is one process, one session.
 *
 * On PostgreSQL the migrations run on the connection that holds the lock (it asks for no second one), and that
 * connection is exempt from the app's statement and idle-in-transaction timeouts (DATABASE_STATEMENT_TIMEOUT_MS,
 * DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS): an instance waits its turn
 * behind another's migrations however long they take, and a migration that rewrites a large table is not cancelled
 * halfway. The connection is then closed, not put back in the pool: whatever it was left with (no statement timeout,
 * a transaction a failed migration left aborted, the lock if the unlock failed) goes with it.
 * Returns the names of the migrations applied, in order (over every try, when a lock wait made it try again).
 */
export async function runMigrations(dataSource: DataSource, embedded: boolean, options: MigrationOptions = {}): Promise<string[]> {
  if (embedded) {
    return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
  }
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SET statement_timeout = 0');
    await runner.query('SET idle_in_transaction_session_timeout = 0');
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    // After the advisory lock, which waits for another instance's migrations however long they take.
    await runner.query(`SET lock_timeout = ${Math.max(0, Math.floor(options.lockTimeoutMs ?? 0))}`);
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    const before = new Set((await executor.getExecutedMigrations()).map((m) => m.name));
    for (let attempt = 1; ; attempt++) {
      try {
        await executor.executePendingMigrations();
        break;
      } catch (e) {
        if (!lockNotAvailable(e) || attempt >= LOCK_ATTEMPTS) throw e;
        const delayMs = Math.min(5_000, 250 * 2 ** (attempt - 1)) + Math.floor(Math.random() * 100);
        options.onRetry?.(attempt, delayMs, e as Error);
        // The query runner caches the tables it has read; the rolled-back migration may have read them as it changed them.
        Object.assign(runner, { loadedTables: [], loadedViews: [] });
        await new Promise((r) => setTimeout(r, delayMs));
      }
    }
    const after = new Set((await executor.getExecutedMigrations()).map((m) => m.name));
    return dataSource.migrations.map((m) => m.name ?? m.constructor.name).filter((name) => after.has(name) && !before.has(name));
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    // Released with an error, pg-pool closes the connection instead of reusing it (TypeORM's PostgresQueryRunner
    // releases so a connection that failed; the method is not in its typings).
    const discard = (runner as unknown as { releasePostgresConnection?: (err: Error) => Promise<void> }).releasePostgresConnection;
    if (discard) await discard.call(runner, new Error('the migration connection is not reused'));
    else await runner.release();
  }
}

function lockNotAvailable(e: unknown): boolean {
  return pgErrorCode(e) === LOCK_NOT_AVAILABLE;
}
