import { Client } from 'pg';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { databaseTarget } from '../../../backend/src/database/data-source-options';
import { runMigrations } from '../../../backend/src/database/migrate';
import { migrations } from '../../../backend/src/database/migrations';
import { UnitOfWork } from '../../../backend/src/database/unit-of-work';
import { createTestDatabase, TestDatabase } from '../../support/database';

/**
 * DATABASE_STATEMENT_TIMEOUT_MS on the app's pool (data-source-options.ts): a statement running longer is cancelled,
 * except in work marked long by nature (UnitOfWork `unbounded`: the ledger check, proof-of-reserves snapshots, data
 * exports), and the lift never outlives that work's transaction; the migration connection, which runs without it, is
 * closed rather than handed to a request.
 */
describe('the statement timeout of the pool (PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let uow: UnitOfWork;
  const POOL = 4;

  beforeAll(async () => {
    db = await createTestDatabase();
    const target = databaseTarget({ databaseUrl: db.url, dataDir: '' }, { statementTimeoutMs: 200 });
    ds = await new DataSource({ ...target.options, poolSize: POOL } as never).initialize();
    uow = new UnitOfWork(ds);
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  /** The statement timeout of every pooled connection (held at once, so each answers on its own connection). */
  async function poolTimeouts(): Promise<string[]> {
    const runners = Array.from({ length: POOL }, () => ds.createQueryRunner());
    try {
      return await Promise.all(runners.map(async (r) => ((await r.query('SHOW statement_timeout')) as { statement_timeout: string }[])[0].statement_timeout));
    } finally {
      await Promise.all(runners.map((r) => r.release()));
    }
  }

  it('cancels a statement that runs longer (SQLSTATE 57014)', async () => {
    await expect(ds.query('SELECT pg_sleep(0.6)')).rejects.toMatchObject({ driverError: { code: '57014' } });
    await expect(uow.run((tx) => tx.query('SELECT pg_sleep(0.6)'), 1)).rejects.toMatchObject({ driverError: { code: '57014' } });
  });

  it('lets unbounded work run past it, in a write transaction and in a read-only snapshot, and only there', async () => {
    await expect(uow.run((tx) => tx.query('SELECT true AS slept FROM pg_sleep(0.6)'), undefined, { unbounded: true })).resolves.toEqual([{ slept: true }]);
    await expect(uow.snapshot((tx) => tx.query('SELECT true AS slept FROM pg_sleep(0.6)'), { unbounded: true })).resolves.toEqual([{ slept: true }]);
    // SET LOCAL: the connections went back to the pool with the timeout they came with.
    expect(await poolTimeouts()).toEqual(Array(POOL).fill('200ms'));
    await expect(uow.snapshot((tx) => tx.query('SELECT pg_sleep(0.6)'))).rejects.toMatchObject({ driverError: { code: '57014' } });
  });

  it('migrates on a connection without it, and never hands that connection to the pool', async () => {
    expect(await runMigrations(ds, false)).toEqual([]);
    expect(await poolTimeouts()).toEqual(Array(POOL).fill('200ms'));
  });

  it('rolls back a migration that waits for a table lock longer than MIGRATION_LOCK_TIMEOUT_MS and tries it again, while the app goes on reading that table', async () => {
    /** A release's expand step: a column added to a table the running release reads. */
    class WatchlistNote1999999999999 implements MigrationInterface {
      name = 'WatchlistNote1999999999999';
      async up(q: QueryRunner): Promise<void> {
        await q.query(`ALTER TABLE watchlist_items ADD COLUMN note text`);
      }
      async down(q: QueryRunner): Promise<void> {
        await q.query(`ALTER TABLE watchlist_items DROP COLUMN note`);
      }
    }
    const target = databaseTarget({ databaseUrl: db.url, dataDir: '' }, { statementTimeoutMs: 200 });
    const next = await new DataSource({ ...target.options, migrations: [...migrations, WatchlistNote1999999999999], poolSize: 2 } as never).initialize();
    // A long transaction of the running release holds its read lock on the table; another of its connections reads on.
    const [reader, app] = [new Client({ connectionString: db.url }), new Client({ connectionString: db.url, statement_timeout: 3_000 })];
    await Promise.all([reader.connect(), app.connect()]);
    try {
      await reader.query('BEGIN');
      await reader.query('SELECT count(*) FROM watchlist_items');
      let retries = 0;
      const migrating = runMigrations(next, false, { lockTimeoutMs: 200, onRetry: () => void retries++ });
      // While the migration waits and backs off, the app's reads of the table are answered (none queues behind the
      // ALTER TABLE until the statement timeout cancels it).
      for (let i = 0; i < 8; i++) {
        expect((await app.query('SELECT count(*)::int AS n FROM watchlist_items')).rows).toEqual([{ n: 0 }]);
        await new Promise((r) => setTimeout(r, 150));
      }
      await reader.query('COMMIT');
      expect(await migrating).toEqual(['WatchlistNote1999999999999']);
      expect(retries).toBeGreaterThanOrEqual(1);
      expect(
        (await app.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'watchlist_items' AND column_name = 'note'`)).rows,
      ).toEqual([{ n: 1 }]);
    } finally {
      await reader.query('ROLLBACK').catch(() => undefined);
      await Promise.all([reader.end(), app.end(), next.destroy()]);
    }
  });
});
