import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ConfigError } from '../config/app-config';
import { currentConfig } from '../config/config.service';
import { databaseTarget } from '../database/data-source-options';
import { runMigrations } from '../database/migrate';

/** `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded PGlite) and exits. */
async function main(): Promise<void> {
  const config = currentConfig();
  const target = databaseTarget(config);
  const ds = await new DataSource(target.options).initialize();
  try {
    const applied = await runMigrations(ds, target.embedded, {
      lockTimeoutMs: config.migrationLockTimeoutMs,
      onRetry: (attempt, delayMs, error) =>
        process.stderr.write(`migrate: a table's lock was not had in time (${error.message}); try ${attempt + 1} in ${delayMs} ms\n`),
    });
    process.stdout.write(`${target.describe}: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}\n`);
  } finally {
    await ds.destroy();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(e instanceof ConfigError ? `${e.message}\n` : `migrate: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
