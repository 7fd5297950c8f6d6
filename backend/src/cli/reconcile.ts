import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ConfigError } from '../config/app-config';
import { currentConfig } from '../config/config.service';
import { databaseTarget } from '../database/data-source-options';
import { reconciliationReport } from '../ledger/reconciliation';
import { ReconciliationRepository } from '../ledger/reconciliation.repository';

/**
 * `npm run reconcile`: proves the ledger invariants on DATABASE_URL (or the
 * embedded PGlite). Prints one line per check and every violation; exits 1
 * when anything is wrong, 2 when it could not run.
 */
async function main(): Promise<number> {
  const target = databaseTarget(currentConfig());
  const ds = await new DataSource(target.options).initialize();
  try {
    const { ok, text } = reconciliationReport(await new ReconciliationRepository(ds).checks());
    process.stdout.write(`${target.describe}\n${text}`);
    return ok ? 0 : 1;
  } finally {
    await ds.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(e instanceof ConfigError ? `${e.message}\n` : `reconcile: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(2);
  },
);
