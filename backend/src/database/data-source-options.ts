import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { type AppConfigValues, DEFAULT_DATABASE_POOL_SIZE } from '../config/app-config';
import { createPgliteDriver } from './pglite-driver';
import { migrationNames, pgliteTemplateFor } from './pglite-template';
import { migrations } from './migrations';

export interface DatabaseTarget {
  options: DataSourceOptions;
  embedded: boolean;
  /** A description safe to log (no password). */
  describe: string;
  /** Embedded: what a new data directory was seeded with once opened (pglite-template.ts); undefined: opened as it was. */
  seededFrom?: () => 'migrated' | 'initdb' | undefined;
}

/** What every target shares: PostgreSQL's dialect, the migrations (run by migrate.ts, never by TypeORM itself). */
export const commonOptions = {
  type: 'postgres' as const,
  migrations,
  migrationsRun: false,
  synchronize: false,
  installExtensions: false,
  uuidExtension: 'pgcrypto' as const,
  logging: false,
};

/**
 * `DATABASE_URL` set → PostgreSQL; unset → PGlite in `DATA_DIR/pglite`. `statementTimeoutMs` (the server's
 * DATABASE_STATEMENT_TIMEOUT_MS; PostgreSQL only): the server cancels a statement of these connections that runs or
 * waits longer (SQLSTATE 57014, answered 503 DATABASE_BUSY). `idleInTransactionTimeoutMs`
 * (DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS; PostgreSQL only): the server ends the session of a transaction left idle
 * longer (SQLSTATE 25P03), which releases its locks. The command-line tools leave both out: a reconcile or a restore
 * of a large book takes as long as it takes.
 */
export function databaseTarget(
  config: Pick<AppConfigValues, 'databaseUrl' | 'dataDir'> & Partial<Pick<AppConfigValues, 'databaseBusyTimeoutMs' | 'databasePoolSize'>>,
  { statementTimeoutMs, idleInTransactionTimeoutMs }: { statementTimeoutMs?: number; idleInTransactionTimeoutMs?: number } = {},
): DatabaseTarget {
  if (config.databaseUrl) {
    const u = new URL(config.databaseUrl);
    u.password = u.password ? '***' : '';
    return {
      embedded: false,
      describe: u.toString(),
      options: {
        ...commonOptions,
        url: config.databaseUrl,
        poolSize: config.databasePoolSize ?? DEFAULT_DATABASE_POOL_SIZE,
        extra: {
          connectionTimeoutMillis: 5_000,
          idleTimeoutMillis: 30_000,
          application_name: 'cryptovault',
          // Sent in the connection's start-up message: the session's default, which migrate.ts lifts for migrations.
          ...(statementTimeoutMs ? { statement_timeout: statementTimeoutMs } : {}),
          ...(idleInTransactionTimeoutMs ? { idle_in_transaction_session_timeout: idleInTransactionTimeoutMs } : {}),
        },
      },
    };
  }
  const dir = join(config.dataDir, 'pglite');
  // A new data directory is seeded with the template of exactly this migration set, if the build made it.
  const names = migrationNames(migrations);
  const driver = createPgliteDriver(dir, config.databaseBusyTimeoutMs ?? 0, (d) => pgliteTemplateFor(d, names));
  return {
    embedded: true,
    describe: `pglite:${dir}`,
    seededFrom: driver.seededFrom,
    options: { ...commonOptions, driver },
  };
}
