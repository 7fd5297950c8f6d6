import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadPglite, pgliteVersion } from '../database/pglite-template';
import { BackupError, DumpSource } from './archive';

export { pgliteVersion };

/**
 * The embedded database is one PGlite session inside the app's process: nothing else may open its directory while
 * the app runs (two sessions on one directory would corrupt it). PGlite keeps `postmaster.pid` there while open and
 * removes it at a clean close, so its presence means a running app, or one that did not stop cleanly.
 */
export function refuseWhileOpen(dir: string): void {
  if (existsSync(join(dir, 'postmaster.pid'))) {
    throw new BackupError(
      `the embedded database in ${dir} is open: stop CryptoVault first (a backup of the embedded default is taken while it is stopped). If none is running, the last one did not stop cleanly: start it and stop it once.`,
    );
  }
}

/** PGlite's own dump: its data directory as a .tar.gz (`dumpDataDir`), taken with the app stopped. */
export async function dumpPglite(dir: string): Promise<DumpSource> {
  if (!existsSync(join(dir, 'PG_VERSION'))) throw new BackupError(`no embedded database in ${dir} (DATA_DIR/pglite): nothing to back up`);
  refuseWhileOpen(dir);
  const { PGlite } = loadPglite();
  const db = await PGlite.create({ dataDir: dir });
  try {
    const file = await db.dumpDataDir('gzip');
    const bytes = new Uint8Array(await file.arrayBuffer());
    return { chunks: [bytes], done: Promise.resolve() };
  } finally {
    await db.close();
  }
}

/** Unpacks a dump into `dir`, which must be empty or absent (PGlite's `loadDataDir`), and closes it again. */
export async function restorePglite(dir: string, dump: Uint8Array): Promise<void> {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new BackupError(`${dir} is not empty: restore the embedded database into a new DATA_DIR (or move this one aside first)`);
  }
  const { PGlite } = loadPglite();
  const db = await PGlite.create({ dataDir: dir, loadDataDir: new Blob([dump]) });
  await db.close();
}
