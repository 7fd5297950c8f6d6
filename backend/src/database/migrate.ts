import { type DataSource, MigrationExecutor } from 'typeorm';

const MIGRATION_LOCK = 748_201_113;

/**
 * Runs pending migrations. On PostgreSQL an advisory lock makes concurrent
 * boots of several instances take turns; PGlite is one process, one session.
 *
 * On PostgreSQL the migrations run on the connection that holds the lock (it asks for no second one), and that
 * connection is exempt from the app's statement timeout (DATABASE_STATEMENT_TIMEOUT_MS): an instance waits its turn
 * behind another's migrations however long they take, and a migration that rewrites a large table is not cancelled
 * halfway. The connection is then closed, not put back in the pool: whatever it was left with (no statement timeout,
 * a transaction a failed migration left aborted, the lock if the unlock failed) goes with it.
 */
export async function runMigrations(dataSource: DataSource, embedded: boolean): Promise<string[]> {
  if (embedded) {
    return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
  }
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SET statement_timeout = 0');
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    return (await executor.executePendingMigrations()).map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    // Released with an error, pg-pool closes the connection instead of reusing it (TypeORM's PostgresQueryRunner
    // releases so a connection that failed; the method is not in its typings).
    const discard = (runner as unknown as { releasePostgresConnection?: (err: Error) => Promise<void> }).releasePostgresConnection;
    if (discard) await discard.call(runner, new Error('the migration connection is not reused'));
    else await runner.release();
  }
}
