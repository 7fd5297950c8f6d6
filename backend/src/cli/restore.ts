import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { erasePersonalData } from '../account/erasure/personal-data-erasure.repository';
import { readErasures } from '../account/erasure/erasure-journal';
import { BackupError, identitiesIn, openArchive } from '../backup/archive';
import { BackupRepository } from '../backup/backup.repository';
import { BackupManifest, compareTotals, parseManifest, totalsByAsset } from '../backup/manifest';
import { findPgTool, pgRestore } from '../backup/pg-tools';
import { pgliteVersion, restorePglite } from '../backup/pglite-dump';
import { manifestNameFor } from '../backup/retention';
import { ConfigError } from '../config/app-config';
import { currentConfig } from '../config/config.service';
import { databaseTarget } from '../database/data-source-options';
import { runMigrations } from '../database/migrate';
import { reconciliationReport } from '../ledger/reconciliation';
import { ReconciliationRepository } from '../ledger/reconciliation.repository';
import { LedgerReaderRepository } from '../ledger/reader/ledger-reader.repository';

/**
 * Erasures journalled up to this long before a backup began are replayed too: an erasure is journalled as its
 * transaction commits, so one stamped just before the dump's snapshot may not be in it. Replaying one that is in it
 * changes nothing (erasePersonalData is idempotent).
 */
const ERASURE_REPLAY_MARGIN_MS = 60 * 60_000;

const USAGE = 'usage: npm run restore -- <archive.age> [--identity <age identity file>]   (or BACKUP_AGE_IDENTITY_FILE)';

/**
 * `npm run restore -- <archive>`: decrypts and checks the whole archive first (a wrong key, a damaged, cut or tampered
 * archive is refused before anything is written), restores it into an EMPTY database (DATABASE_URL, or a new
 * DATA_DIR for the embedded default), checks the schema version, `reconcile` and the ledger totals against the
 * manifest, brings the schema up to this release and replays the erasures journalled since the backup
 * (BACKUP_DIR/erasures.jsonl). Exit 0 restored and consistent, 1 refused or inconsistent, 2 could not run.
 */
async function main(args: string[]): Promise<number> {
  const config = currentConfig();
  const { archive, identityFile } = parseArgs(args, config.backup.ageIdentityFile);
  const identities = identitiesIn(
    await readFile(identityFile, 'utf8').catch(() => Promise.reject(new BackupError(`cannot read the identity file ${identityFile}`))),
  );
  const target = databaseTarget(config);
  const kind = target.embedded ? 'pglite' : 'postgresql';
  const say = (line: string): boolean => process.stdout.write(`${line}\n`);

  const work = await mkdtemp(join(tmpdir(), 'cv-restore-'));
  try {
    const plain = join(work, 'archive.plain');
    const manifest = await openArchive(archive, identities, plain);
    await truncate(plain, manifest.dump.bytes); // the dump alone, without the manifest after it
    refuseDifferentSidecar(archive, manifest);
    say(
      `archive: ${archive} (${manifest.database.kind} ${manifest.database.version}, taken ${manifest.createdAt}, schema ${manifest.schema.lastMigration ?? 'none'}): decrypted and verified`,
    );
    if (manifest.database.kind !== kind) {
      throw new BackupError(
        `this archive holds a ${manifest.database.kind} database, but the target is ${kind} (${target.describe}): ${kind === 'pglite' ? 'set DATABASE_URL' : 'unset DATABASE_URL to restore the embedded default'}`,
      );
    }

    if (target.embedded) {
      const version = pgliteVersion();
      if (version !== manifest.database.version) {
        throw new BackupError(
          `the archive's embedded database was made by PGlite ${manifest.database.version}; this install has ${version}: restore with that release`,
        );
      }
      await restorePglite(join(config.dataDir, 'pglite'), await readFile(plain));
    } else {
      const ds = await new DataSource({ ...target.options, poolSize: 1 } as typeof target.options).initialize();
      let serverMajor: number;
      try {
        const repo = new BackupRepository(ds);
        const objects = await repo.userObjects();
        if (objects > 0) {
          throw new BackupError(
            `${target.describe} is not empty (${objects} objects): restore into a new, empty database (CREATE DATABASE … ) and point DATABASE_URL at it`,
          );
        }
        serverMajor = (await repo.serverVersion()).major;
      } finally {
        await ds.destroy();
      }
      await pgRestore(await findPgTool('pg_restore', config.backup.pgRestore, serverMajor), config.databaseUrl!, plain);
    }
    say(`restored into ${target.describe}`);
    return await verifyAndCatchUp(target, manifest, config.backup.dir, say);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** After the restore: the same schema, a clean reconcile, the manifest's totals; then this release's migrations and the erasures since. */
async function verifyAndCatchUp(
  target: ReturnType<typeof databaseTarget>,
  manifest: BackupManifest,
  backupDir: string,
  say: (l: string) => void,
): Promise<number> {
  const ds = await new DataSource(target.options).initialize();
  try {
    const problems: string[] = [];
    const schema = await new BackupRepository(ds).schemaVersion();
    if (schema.lastMigration !== manifest.schema.lastMigration || schema.migrations !== manifest.schema.migrations) {
      problems.push(
        `schema: the manifest says ${manifest.schema.lastMigration} (${manifest.schema.migrations}), the restored database has ${schema.lastMigration} (${schema.migrations})`,
      );
    }
    const report = reconciliationReport(await new ReconciliationRepository(ds).checks());
    say(report.text.trimEnd());
    if (!report.ok) problems.push('reconcile found violations (above)');
    const totals = totalsByAsset(await new LedgerReaderRepository(ds).userLiabilities());
    problems.push(...compareTotals(manifest.ledgerTotals, totals));
    if (problems.length) {
      process.stderr.write(`restore: the restored data does NOT match its manifest; do not let traffic in:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
      return 1;
    }
    say(
      `ledger totals equal the manifest: ${
        Object.entries(totals)
          .map(([a, v]) => `${a} ${v}`)
          .join(', ') || 'none'
      }`,
    );

    const applied = await runMigrations(ds, target.embedded);
    if (applied.length) say(`migrated to this release: ${applied.join(', ')}`);

    const since = Date.parse(manifest.createdAt) - ERASURE_REPLAY_MARGIN_MS;
    const erasures = (await readErasures(backupDir)).filter((e) => Date.parse(e.erasedAt) >= since);
    for (const e of erasures) await ds.transaction((m) => erasePersonalData(m, e.userId, new Date(e.erasedAt)));
    say(`erasures replayed from ${join(backupDir, 'erasures.jsonl')}: ${erasures.length}`);
    say('restore: done; the restored data matches its manifest');
    return 0;
  } finally {
    await ds.destroy();
  }
}

function parseArgs(args: string[], identityFromConfig: string | undefined): { archive: string; identityFile: string } {
  let archive: string | undefined;
  let identityFile = identityFromConfig;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--identity' && args[i + 1]) identityFile = resolve(args[++i]);
    else if (!args[i].startsWith('--') && archive === undefined) archive = resolve(args[i]);
    else throw new BackupError(`unexpected argument "${args[i]}"\n${USAGE}`);
  }
  if (!archive) throw new BackupError(`no archive named\n${USAGE}`);
  if (!identityFile) throw new BackupError(`no identity: set BACKUP_AGE_IDENTITY_FILE or pass --identity <file>\n${USAGE}`);
  return { archive, identityFile };
}

/**
 * The manifest beside the archive is for people choosing which one to restore; the one inside is authenticated. If
 * they differ, someone changed one of them (or put them side by side by mistake): refuse rather than guess.
 */
function refuseDifferentSidecar(archive: string, inside: BackupManifest): void {
  const sidecar = manifestNameFor(archive);
  if (sidecar === archive || !existsSync(sidecar)) return;
  let beside: BackupManifest;
  try {
    const raw = JSON.parse(readFileSync(sidecar, 'utf8')) as BackupManifest & { archive?: unknown };
    delete raw.archive;
    beside = parseManifest(raw);
  } catch (e) {
    throw new BackupError(`the manifest beside the archive (${sidecar}) is not readable (${(e as Error).message}): it was changed; nothing was restored`);
  }
  if (JSON.stringify(beside) !== JSON.stringify(inside)) {
    throw new BackupError(`the manifest beside the archive (${sidecar}) differs from the one inside it: one of them was changed; nothing was restored`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof ConfigError) process.stderr.write(`${e.message}\n`);
    else if (e instanceof BackupError) process.stderr.write(`restore refused: ${e.message}\n`);
    else process.stderr.write(`restore: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(e instanceof BackupError ? 1 : 2);
  },
);
