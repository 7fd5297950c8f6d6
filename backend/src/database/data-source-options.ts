import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfigValues } from '../config/app-config';
import { createPgliteDriver } from './pglite-driver';
import { migrations } from './migrations';

export interface DatabaseTarget {
  options: DataSourceOptions;
  embedded: boolean;
  /** A description safe to log (no password). */
  describe: string;
}

/** `DATABASE_URL` set → PostgreSQL; unset → PGlite in `DATA_DIR/pglite`. */
export function databaseTarget(
  config: Pick<AppConfigValues, 'databaseUrl' | 'dataDir'> & Partial<Pick<AppConfigValues, 'databaseBusyTimeoutMs'>>,
): DatabaseTarget {
  const common = {
    type: 'postgres' as const,
    migrations,
    migrationsRun: false,
    synchronize: false,
    installExtensions: false,
    uuidExtension: 'pgcrypto' as const,
    logging: false,
  };
  if (config.databaseUrl) {
    const u = new URL(config.databaseUrl);
    u.password = u.password ? '***' : '';
    return {
      embedded: false,
      describe: u.toString(),
      options: {
        ...common,
        url: config.databaseUrl,
        poolSize: 20,
        extra: { connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000, application_name: 'cryptovault' },
      },
    };
  }
  const dir = join(config.dataDir, 'pglite');
  return {
    embedded: true,
    describe: `pglite:${dir}`,
    options: { ...common, driver: createPgliteDriver(dir, config.databaseBusyTimeoutMs ?? 0) },
  };
}
