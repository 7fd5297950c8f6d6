import { Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/config.service';
import { installConnectionGuard } from './connection-guard';
import { databaseTarget } from './data-source-options';
import { runMigrations } from './migrate';
import { UnitOfWork } from './unit-of-work';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const target = databaseTarget(config.values, {
          statementTimeoutMs: config.values.databaseStatementTimeoutMs,
          idleInTransactionTimeoutMs: config.values.databaseIdleInTransactionTimeoutMs,
        });
        return {
          ...target.options,
          autoLoadEntities: true,
          retryAttempts: 2,
          retryDelay: 1000,
          embedded: target.embedded,
          describe: target.describe,
          seededFrom: target.seededFrom,
          connectionGuard: config.values.databaseConnectionGuard,
          migrationLockTimeoutMs: config.values.migrationLockTimeoutMs,
        };
      },
      dataSourceFactory: async (options) => {
        const { embedded, describe, seededFrom, connectionGuard, migrationLockTimeoutMs, ...dataSourceOptions } = options as typeof options & {
          embedded: boolean;
          describe: string;
          seededFrom?: () => string | undefined;
          connectionGuard: boolean;
          migrationLockTimeoutMs: number;
        };
        const ds = await new DataSource(dataSourceOptions as NonNullable<typeof options>).initialize();
        const applied = await runMigrations(ds, embedded, {
          lockTimeoutMs: migrationLockTimeoutMs,
          onRetry: (attempt, delayMs, error) =>
            new Logger('Database').warn(
              { statement: (error as { query?: string }).query },
              `a migration could not have its table's lock in time (${error.message}); try ${attempt + 1} in ${delayMs} ms`,
            ),
        }).catch(async (e: unknown) => {
          // TypeOrmModule tries the boot again (retryAttempts) with a new data source: this one's pool goes.
          await ds.destroy().catch(() => undefined);
          throw e;
        });
        if (connectionGuard) installConnectionGuard(ds);
        // Embedded, on a new data directory: the template it was made from, copied or unpacked (database/pglite-template.ts).
        const seed = seededFrom?.();
        new Logger('Database').log(
          `connected to ${describe}${seed ? ` (new, from the ${seed} template)` : ''}${applied.length ? `; applied migrations: ${applied.join(', ')}` : ''}`,
        );
        return ds;
      },
    }),
  ],
  providers: [UnitOfWork],
  exports: [UnitOfWork],
})
export class DatabaseModule {}
