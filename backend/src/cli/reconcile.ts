import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ConfigError } from '../config/app-config';
import { currentConfig } from '../config/config.service';
import { databaseTarget } from '../database/data-source-options';
import { reconciliationReport } from '../ledger/reconciliation';
import { ReconciliationRepository } from '../ledger/reconciliation.repository';
import { LedgerReader } from '../ledger/reader/ledger.reader';
import { LedgerReaderRepository } from '../ledger/reader/ledger-reader.repository';
import { LotBookBuilder } from '../portfolio/lots/lot-book.builder';
import { lotsReconciliation } from '../portfolio/lots/lots-reconciliation';
import { LotsRepository } from '../portfolio/lots/lots.repository';
import { CandlesReader } from '../prices/candles/candles.reader';
import { CandlesRepository } from '../prices/candles/candles.repository';

/**
 * `npm run reconcile`: proves the ledger invariants on DATABASE_URL (or the
 * embedded PGlite), and that every user's cost-basis lots, rebuilt from the ledger, hold their balances. Prints one line per check and every violation; exits 1
 * when anything is wrong, 2 when it could not run.
 */
async function main(): Promise<number> {
  const target = databaseTarget(currentConfig());
  const ds = await new DataSource(target.options).initialize();
  try {
    const ledger = new LedgerReader(new LedgerReaderRepository(ds));
    const lots = new LotBookBuilder(new LotsRepository(ds), ledger, new CandlesReader(new CandlesRepository(ds)));
    const users = ((await ds.query(`SELECT id FROM users ORDER BY id`)) as { id: string }[]).map((u) => u.id);
    const { ok, text } = reconciliationReport([...(await new ReconciliationRepository(ds).checks()), await lotsReconciliation(lots, ledger, users)]);
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
