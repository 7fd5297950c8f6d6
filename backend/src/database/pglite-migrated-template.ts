import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DataSource } from 'typeorm';
import { commonOptions } from './data-source-options';
import { runMigrations } from './migrate';
import { migrations } from './migrations';
import { createPgliteDriver } from './pglite-driver';
import {
  ensurePgliteInitdbTemplate,
  isClusterDir,
  loadPglite,
  migrationNames,
  pgliteMigratedTemplatePath,
  pgliteTemplateDir,
  writeTemplate,
} from './pglite-template';

/** Beside the templates: which migrated template was made from which migration sources (see `sourcesHash`). */
const MANIFEST = 'pglite-migrated.json';

interface Manifest {
  file: string;
  sources: string | null;
}

export interface TemplatesMade {
  initdb: { path: string; created: boolean };
  migrated: { path: string; created: boolean; applied: string[] };
}

/**
 * Makes the templates (pglite-template.ts) that are missing: the initdb one, then the migrated one of the current
 * migration set, by unpacking the initdb one into a scratch directory, running every migration there exactly as a
 * first boot does (migrate.ts) and keeping the closed directory. Migrations hold schema and one fixed catalogue (the assets
 * seeded by MarketData1764320000000); nothing per installation (secrets, ids, tokens) is made by any migration, so
 * the template is what every fresh migrate produces (docs/ARCHITECTURE.md, "The embedded database's first boot").
 *
 * The runtime key is the migrations' names. `sourcesHash` (the build passes a hash of the migration files) also
 * catches a migration edited in place under the same name: a template recorded with other sources is made again.
 * Templates of other migration sets are removed (the initdb one stays: the fallback).
 */
export async function ensurePgliteTemplates(opts: { dir?: string; sourcesHash?: string; force?: boolean } = {}): Promise<TemplatesMade> {
  const dir = opts.dir ?? pgliteTemplateDir();
  const initdb = await ensurePgliteInitdbTemplate(dir);
  const names = migrationNames(migrations);
  const path = pgliteMigratedTemplatePath(names, dir);
  const manifest = readManifest(dir);
  const recorded = manifest?.file === basename(path) ? manifest.sources : undefined;
  const current = isClusterDir(path) && (opts.sourcesHash === undefined || recorded === opts.sourcesHash);
  if (current && !opts.force) return { initdb, migrated: { path, created: false, applied: [] } };

  const scratch = mkdtempSync(join(tmpdir(), 'cv-pglite-template-'));
  try {
    const data = join(scratch, 'pglite');
    const seed = { kind: 'initdb' as const, path: initdb.path, dump: new Blob([readFileSync(initdb.path)]) };
    const ds = await new DataSource({ ...commonOptions, driver: createPgliteDriver(data, 0, () => seed) }).initialize();
    let applied: string[];
    try {
      applied = await runMigrations(ds, true);
    } finally {
      await ds.destroy();
    }
    if (applied.join('\n') !== names.join('\n')) {
      throw new Error(`the migrations applied (${applied.join(', ')}) are not the migration set (${names.join(', ')})`);
    }
    // Kept as the closed directory, after PGlite's shutdown checkpoint (opened and closed once more, as a backup's
    // dump is taken: backup/pglite-dump.ts). Copied next to its final name, then renamed into place whole.
    const { PGlite } = loadPglite();
    await (await PGlite.create({ dataDir: data })).close();
    const staging = `${path}.${process.pid}.tmp`;
    const old = `${path}.${process.pid}.old`;
    try {
      rmSync(staging, { recursive: true, force: true });
      cpSync(data, staging, { recursive: true });
      if (existsSync(path)) renameSync(path, old);
      renameSync(staging, path);
    } finally {
      rmSync(staging, { recursive: true, force: true });
      rmSync(old, { recursive: true, force: true });
    }
    writeTemplate(join(dir, MANIFEST), Buffer.from(`${JSON.stringify({ file: basename(path), sources: opts.sourcesHash ?? recorded ?? null })}\n`));
    // Other migration sets' templates (and the tarballs earlier builds made) go.
    for (const name of readdirSync(dir)) {
      if (name.startsWith('pglite-migrated-') && name !== basename(path) && name !== MANIFEST) rmSync(join(dir, name), { recursive: true, force: true });
    }
    return { initdb, migrated: { path, created: true, applied } };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function readManifest(dir: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}
