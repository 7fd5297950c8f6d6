import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { MigrationInterface } from 'typeorm';
import { backendRoot } from '../config/backend-root';

/**
 * Clusters made once (at `npm install` and by the build, see cli/pglite-template.ts) and copied or unpacked into a new,
 * empty data directory at first boot instead of running initdb in WebAssembly and then every migration, which were most of
 * a first start. Two kinds, in `backend/.cache/`:
 *
 * - the migrated template, the directory `pglite-migrated-<PGlite version>-<migration set>/`: a closed cluster with
 *   initdb and every migration already applied, copied into the new data directory, so the first boot's TypeORM finds nothing pending. Keyed by PGlite's version and by the exact
 *   migration set (`migrationSetKey`: the migrations' names in order, as TypeORM records them), so a new, removed
 *   or reordered migration makes another name and a template of another set is never unpacked;
 * - the initdb template, `pglite-initdb-<PGlite version>.tar.gz`: a fresh cluster, no schema. Unpacked when the
 *   migrated one is missing or of another set; the boot then runs every migration, as it always did.
 *
 * With neither, the first boot runs initdb itself. Only a new, empty data directory is seeded; any other is opened as is.
 */
export function pgliteVersion(): string {
  try {
    // The package's exports map hides package.json: walk up from its entry point.
    for (let dir = dirname(require.resolve('@electric-sql/pglite')); dir !== dirname(dir); dir = dirname(dir)) {
      const file = join(dir, 'package.json');
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string };
      if (pkg.name === '@electric-sql/pglite') return pkg.version;
    }
  } catch {
    /* fall through */
  }
  return 'unknown';
}

type MigrationClass = new () => MigrationInterface;

/** The names TypeORM records in its `migrations` table: the instance's `name`, else the class's. */
export function migrationNames(migrations: readonly MigrationClass[]): string[] {
  return migrations.map((M) => new M().name ?? M.name);
}

/** The identity of a migration set: a hash of its names in order (16 hex digits). */
export function migrationSetKey(names: readonly string[]): string {
  return createHash('sha256').update(names.join('\n')).digest('hex').slice(0, 16);
}

/** Where the templates are kept: `backend/.cache/` (git-ignored). */
export function pgliteTemplateDir(): string {
  return join(backendRoot(), '.cache');
}

export function pgliteInitdbTemplatePath(dir = pgliteTemplateDir()): string {
  return join(dir, `pglite-initdb-${pgliteVersion()}.tar.gz`);
}

/**
 * The migrated template: a closed cluster's data directory (not a tarball), copied file by file into a new data
 * directory, which PGlite then opens as it opens any existing one: no gzip to inflate and no tar to unpack through
 * WebAssembly's file system at first boot (about a second of CPU, and ≈ 100 MB of buffers to collect afterwards).
 */
export function pgliteMigratedTemplatePath(names: readonly string[], dir = pgliteTemplateDir()): string {
  return join(dir, `pglite-migrated-${pgliteVersion()}-${migrationSetKey(names)}`);
}

/** A migrated template directory is complete once its cluster's `PG_VERSION` is there (it is renamed into place whole). */
export function isClusterDir(path: string): boolean {
  return existsSync(join(path, 'PG_VERSION'));
}

/**
 * What a new data directory is seeded with, and whether its migrations are already applied: a data directory to copy
 * (`copyFrom`, the migrated template) or a dump to unpack (`dump`, the initdb one).
 */
export type PgliteSeed = { kind: 'migrated'; path: string; copyFrom: string } | { kind: 'initdb'; path: string; dump: Blob };

/**
 * The template to seed `dataDir` with if it is new or empty: the migrated one of exactly this migration set, else
 * the initdb one, else none (initdb runs).
 */
export function pgliteTemplateFor(dataDir: string, names: readonly string[], dir = pgliteTemplateDir()): PgliteSeed | undefined {
  const empty = !existsSync(dataDir) || readdirSync(dataDir).length === 0;
  if (!empty) return undefined;
  const migrated = pgliteMigratedTemplatePath(names, dir);
  if (isClusterDir(migrated)) return { kind: 'migrated', path: migrated, copyFrom: migrated };
  const initdb = pgliteInitdbTemplatePath(dir);
  if (existsSync(initdb)) return { kind: 'initdb', path: initdb, dump: new Blob([readFileSync(initdb)]) };
  return undefined;
}

/** Writes `bytes` to `path` atomically (a temporary file renamed over it): a reader never sees half a template. */
export function writeTemplate(path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Makes the initdb template if it is missing (idempotent; written atomically). */
export async function ensurePgliteInitdbTemplate(dir = pgliteTemplateDir()): Promise<{ path: string; created: boolean }> {
  const path = pgliteInitdbTemplatePath(dir);
  if (existsSync(path)) return { path, created: false };
  const { PGlite } = loadPglite();
  const db = await PGlite.create();
  const dump = await db.dumpDataDir('gzip');
  await db.close();
  writeTemplate(path, new Uint8Array(await dump.arrayBuffer()));
  return { path, created: true };
}

/**
 * PGlite, loaded on first use (only the embedded default needs it) through its CommonJS build. Not `import()`: the
 * server runs as a bundle compiled from V8's code cache (launcher.ts), and Node 20 loses the dynamic-import hook of
 * a script restored from that cache, so an `import()` there fails with ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING.
 */
export function loadPglite(): typeof import('@electric-sql/pglite') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy and synchronous on purpose (see above)
  return require('@electric-sql/pglite') as typeof import('@electric-sql/pglite');
}
