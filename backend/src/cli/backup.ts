import 'reflect-metadata';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { BackupError, DumpSource, writeArchive } from '../backup/archive';
import { BackupRepository } from '../backup/backup.repository';
import { BackupManifest, totalsByAsset } from '../backup/manifest';
import { findPgTool, pgDump } from '../backup/pg-tools';
import { dumpPglite, pgliteVersion, refuseWhileOpen } from '../backup/pglite-dump';
import { archiveName, archivesToDelete, archiveTime, manifestNameFor } from '../backup/retention';
import { ConfigError } from '../config/app-config';
import { currentConfig } from '../config/config.service';
import { databaseTarget } from '../database/data-source-options';
import { LedgerReaderRepository } from '../ledger/reader/ledger-reader.repository';

/**
 * `npm run backup`: one encrypted archive of the database (DATABASE_URL, or the embedded PGlite with the app stopped)
 * in BACKUP_DIR, its manifest beside it, then the retention policy. Exit 0 done, 1 refused, 2 could not run.
 * See backend/src/backup/archive.ts for the format and docs/runbooks/disaster-recovery.md for its use.
 */
async function main(): Promise<void> {
  const config = currentConfig();
  const { backup } = config;
  if (!backup.ageRecipients.length) {
    throw new BackupError('BACKUP_AGE_RECIPIENTS is not set: name the age public keys (age1…, `age-keygen -y key.txt`) that may read the backups');
  }
  const target = databaseTarget(config);
  const kind = target.embedded ? 'pglite' : 'postgresql';
  const pgliteDir = join(config.dataDir, 'pglite');
  if (target.embedded) refuseWhileOpen(pgliteDir);
  await mkdir(backup.dir, { recursive: true, mode: 0o700 });

  const createdAt = new Date();
  const file = join(backup.dir, archiveName(kind, createdAt));
  const base = { format: 'cryptovault-backup/1' as const, createdAt: createdAt.toISOString(), appVersion: config.version };
  let written: Awaited<ReturnType<typeof writeArchive>>;

  if (target.embedded) {
    // The app is stopped (checked above): what the manifest reads here is what the dump holds.
    const ds = await new DataSource(target.options).initialize();
    let described: Pick<BackupManifest, 'schema' | 'ledgerTotals'>;
    try {
      described = {
        schema: await new BackupRepository(ds).schemaVersion(),
        ledgerTotals: totalsByAsset(await new LedgerReaderRepository(ds).userLiabilities()),
      };
    } finally {
      await ds.destroy();
    }
    const version = pgliteVersion();
    const dump = await dumpPglite(pgliteDir);
    written = await writeArchive(file, backup.ageRecipients, dump, async (d) => ({
      ...base,
      database: { kind, version, tool: `pglite ${version} dumpDataDir` },
      ...described,
      dump: { format: 'pglite-datadir-tgz', ...d },
    }));
  } else {
    const ds = await new DataSource(target.options).initialize();
    const runner = ds.createQueryRunner();
    try {
      await runner.connect();
      // One snapshot for the manifest and the dump: pg_dump reads exactly what this transaction reads, however much
      // the platform trades meanwhile. The transaction stays open until pg_dump is done.
      await runner.startTransaction('REPEATABLE READ');
      await runner.query('SET TRANSACTION READ ONLY');
      const repo = new BackupRepository(runner.manager);
      const snapshot = await repo.exportSnapshot();
      const server = await repo.serverVersion();
      const schema = await repo.schemaVersion();
      const ledgerTotals = totalsByAsset(await new LedgerReaderRepository(ds).userLiabilities(runner.manager));
      const tool = await findPgTool('pg_dump', backup.pgDump, server.major);
      const dump: DumpSource = pgDump(tool, config.databaseUrl!, snapshot);
      written = await writeArchive(file, backup.ageRecipients, dump, async (d) => ({
        ...base,
        database: { kind, version: server.text, tool: tool.version },
        schema,
        ledgerTotals,
        dump: { format: 'pg_dump-custom', ...d },
      }));
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
      await ds.destroy();
    }
  }

  // The manifest beside the archive, to read without the key (no personal data in it); restore trusts the copy inside.
  const manifestFile = manifestNameFor(file);
  const draft = `${manifestFile}.partial`;
  await writeFile(draft, `${JSON.stringify({ ...written.manifest, archive: { bytes: written.bytes, sha256: written.sha256 } }, null, 2)}\n`, { mode: 0o600 });
  await rename(draft, manifestFile);

  const deleted = await applyRetention(backup.dir, { daily: backup.keepDaily, weekly: backup.keepWeekly });
  const m = written.manifest;
  const out = [
    `backup: ${file} (${written.bytes} bytes, ${m.database.kind} ${m.database.version}, schema ${m.schema.lastMigration ?? 'none'})`,
    `ledger totals: ${
      Object.entries(m.ledgerTotals)
        .map(([a, v]) => `${a} ${v}`)
        .join(', ') || 'none'
    }`,
    `retention (${backup.keepDaily} daily, ${backup.keepWeekly} weekly): ${deleted.length ? `deleted ${deleted.join(', ')}` : 'nothing to delete'}`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

/** Deletes the archives (and their manifests) the policy does not keep; returns their names. */
async function applyRetention(dir: string, policy: { daily: number; weekly: number }): Promise<string[]> {
  const archives = (await readdir(dir)).flatMap((name) => {
    const at = archiveTime(name);
    return at ? [{ name, at }] : [];
  });
  const doomed = archivesToDelete(archives, policy);
  for (const a of doomed) {
    await rm(join(dir, manifestNameFor(a.name)), { force: true });
    await rm(join(dir, a.name), { force: true });
  }
  return doomed.map((a) => a.name);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    if (e instanceof ConfigError) process.stderr.write(`${e.message}\n`);
    else if (e instanceof BackupError) process.stderr.write(`backup refused: ${e.message}\n`);
    else process.stderr.write(`backup: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(e instanceof BackupError ? 1 : 2);
  },
);
