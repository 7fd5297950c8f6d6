import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { migrations } from './migrations';
import { migrationNames, migrationSetKey, pgliteInitdbTemplatePath, pgliteMigratedTemplatePath, pgliteTemplateFor, pgliteVersion } from './pglite-template';

/** A stand-in for a closed cluster's directory: what pgliteTemplateFor looks at. */
function cluster(path: string): void {
  mkdirSync(path, { recursive: true });
  writeFileSync(join(path, 'PG_VERSION'), '17');
}

describe('the embedded database templates', () => {
  const names = migrationNames(migrations);
  let cache: string;
  let data: string;

  beforeEach(() => {
    cache = mkdtempSync(join(tmpdir(), 'cv-template-cache-'));
    data = join(mkdtempSync(join(tmpdir(), 'cv-template-data-')), 'pglite');
  });
  afterEach(() => {
    rmSync(cache, { recursive: true, force: true });
    rmSync(join(data, '..'), { recursive: true, force: true });
  });

  it('names the migration set as TypeORM records it, every migration once', () => {
    expect(names).toHaveLength(migrations.length);
    expect(new Set(names).size).toBe(names.length);
    expect(names[0]).toBe('Init1764300000000');
  });

  it('keys a migrated template by PGlite version and migration set: a migration added, removed or reordered makes another name', () => {
    const key = migrationSetKey(names);
    expect(migrationSetKey([...names])).toBe(key);
    expect(migrationSetKey([...names, 'Later1799999999999'])).not.toBe(key);
    expect(migrationSetKey(names.slice(0, -1))).not.toBe(key);
    expect(migrationSetKey([...names.slice(0, -2), names[names.length - 1], names[names.length - 2]])).not.toBe(key);
    expect(basename(pgliteMigratedTemplatePath(names, cache))).toBe(`pglite-migrated-${pgliteVersion()}-${key}`);
  });

  it('seeds a new data directory with the migrated template of exactly this migration set', () => {
    writeFileSync(pgliteInitdbTemplatePath(cache), 'initdb');
    cluster(pgliteMigratedTemplatePath(names, cache));
    const seed = pgliteTemplateFor(data, names, cache);
    expect(seed).toMatchObject({ kind: 'migrated', path: pgliteMigratedTemplatePath(names, cache), copyFrom: pgliteMigratedTemplatePath(names, cache) });
  });

  it('never unpacks the migrated template of another migration set: the initdb one is used and every migration runs', () => {
    writeFileSync(pgliteInitdbTemplatePath(cache), 'initdb');
    // Made before the last migration was added, and one made for a migration this build does not have.
    cluster(pgliteMigratedTemplatePath(names.slice(0, -1), cache));
    cluster(pgliteMigratedTemplatePath([...names, 'Later1799999999999'], cache));
    // One of this set still being copied into place (no PG_VERSION yet) is not a template.
    mkdirSync(pgliteMigratedTemplatePath(names, cache));
    expect(pgliteTemplateFor(data, names, cache)).toMatchObject({ kind: 'initdb', path: pgliteInitdbTemplatePath(cache) });
  });

  it('without any template a new data directory gets none (initdb runs); a data directory in use is never seeded', () => {
    expect(pgliteTemplateFor(data, names, cache)).toBeUndefined();
    cluster(pgliteMigratedTemplatePath(names, cache));
    mkdirSync(data, { recursive: true });
    expect(pgliteTemplateFor(data, names, cache)?.kind).toBe('migrated');
    writeFileSync(join(data, 'PG_VERSION'), '17');
    expect(pgliteTemplateFor(data, names, cache)).toBeUndefined();
  });
});
