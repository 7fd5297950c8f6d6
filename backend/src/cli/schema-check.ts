import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { databaseTarget } from '../database/data-source-options';
import { runMigrations } from '../database/migrate';
import { migrationOnlyKind, SCHEMA_CHECK_ALLOWED, TABLES_WITHOUT_ENTITY, unexplainedStatements } from '../database/schema-check-allow-list';

/**
 * `npm run schema:check`: one schema source. Migrates a fresh PostgreSQL database with every
 * migration, then asks TypeORM's schema builder what it would change to match the entities
 * (`driver.createSchemaBuilder().log()`), and checks every table the migrations create has an
 * entity. Prints the disagreements and exits 1 when there are any beyond what
 * database/schema-check-allow-list.ts explains (each entry with its reason); 0 when migrations and
 * entities agree; 2 when it could not run. The database is dropped afterwards.
 * `SCHEMA_CHECK_VERBOSE=1` also prints the accepted statements.
 *
 *   SCHEMA_CHECK_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres): a role that may CREATE DATABASE.
 */
const ADMIN_URL = process.env.SCHEMA_CHECK_ADMIN_URL ?? process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** Every entity of the build, wherever its module keeps it (the app loads them per module with autoLoadEntities). */
const ENTITIES = [join(__dirname, '..', '**', '*.entity.js'), join(__dirname, '..', '**', '*.entities.js'), join(__dirname, '..', '**', 'entities', '*.js')];

async function main(): Promise<number> {
  const name = `cv_schema_check_${Math.floor(Date.now() / 1000)}_${randomBytes(3).toString('hex')}`;
  const admin = await new DataSource({ type: 'postgres', url: ADMIN_URL }).initialize();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  let ds: DataSource | undefined;
  try {
    const target = databaseTarget({ databaseUrl: url.toString(), dataDir: '' });
    ds = await new DataSource({ ...target.options, entities: ENTITIES, poolSize: 2 } as never).initialize();
    const applied = await runMigrations(ds, false);
    const entities = ds.entityMetadatas.map((m) => m.tableName).sort();
    const twice = entities.filter((t, i) => entities.indexOf(t) !== i);
    if (twice.length) {
      // Usually a stale build: tsc keeps the output of a moved source file.
      process.stdout.write(
        `schema:check: more than one entity for ${[...new Set(twice)].join(', ')} (a moved entity left in backend/dist? rm -rf backend/dist && npm run build)\n`,
      );
      return 1;
    }
    const log = await ds.driver.createSchemaBuilder().log();
    const statements = log.upQueries.map((q) => q.query.replace(/\s+/g, ' ').trim());
    const unexplained = unexplainedStatements(statements);
    const tables = (
      await ds.query<{ name: string }[]>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)
    ).map((r) => r.name);
    const withoutEntity = tables.filter((t) => !entities.includes(t));
    const unexplainedTables = withoutEntity.filter((t) => !(t in TABLES_WITHOUT_ENTITY));
    const staleTableEntries = Object.keys(TABLES_WITHOUT_ENTITY).filter((t) => !withoutEntity.includes(t));
    const out = (line: string) => process.stdout.write(`${line}\n`);
    out(`schema:check: ${applied.length} migrations on a fresh database, ${tables.length} tables, ${entities.length} entities`);
    const counts = new Map<string, number>();
    for (const s of statements) {
      const kind = migrationOnlyKind(s);
      if (kind) counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    for (const [kind, n] of counts) out(`  accepted: ${n} × ${kind}`);
    for (const t of withoutEntity.filter((t) => t in TABLES_WITHOUT_ENTITY)) out(`  accepted: table ${t} has no entity: ${TABLES_WITHOUT_ENTITY[t]}`);
    for (const a of SCHEMA_CHECK_ALLOWED) if (statements.some((s) => a.statement.test(s))) out(`  accepted: ${a.statement.source}: ${a.reason}`);
    if (process.env.SCHEMA_CHECK_VERBOSE) for (const s of statements.filter((s) => !unexplained.includes(s))) out(`    ${s};`);
    let ok = true;
    if (unexplained.length) {
      ok = false;
      out(`schema:check: the entities disagree with the migrations; to match the entities TypeORM would run:\n${unexplained.map((s) => `  ${s};`).join('\n')}`);
      out('Fix the entity (or add a migration); an intended difference goes in database/schema-check-allow-list.ts with its reason.');
    }
    if (unexplainedTables.length) {
      ok = false;
      out(`schema:check: tables with no entity: ${unexplainedTables.join(', ')} (add an entity, or an entry with its reason to TABLES_WITHOUT_ENTITY)`);
    }
    if (staleTableEntries.length) {
      ok = false;
      out(`schema:check: TABLES_WITHOUT_ENTITY lists tables that now have an entity or no longer exist: ${staleTableEntries.join(', ')} (remove the entries)`);
    }
    if (ok) out('schema:check: migrations and entities agree');
    return ok ? 0 : 1;
  } finally {
    await ds?.destroy();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`schema:check: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(2);
  },
);
