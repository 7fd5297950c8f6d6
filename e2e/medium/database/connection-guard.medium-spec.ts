import { DataSource } from 'typeorm';
import { installConnectionGuard } from '../../../backend/src/database/connection-guard';
import { databaseTarget } from '../../../backend/src/database/data-source-options';
import { UnitOfWork } from '../../../backend/src/database/unit-of-work';
import { createTestDatabase, TestDatabase } from '../../support/database';

/**
 * The rule "no code path asks for a database connection while it holds one" (database/connection-guard.ts), as the
 * test profile enforces it on PostgreSQL, for both kinds of work a service runs: a transaction (`UnitOfWork.run`) and a
 * read-only snapshot (`UnitOfWork.snapshot`, the statements, exports and proofs read in one). On PostgreSQL such a
 * mistake works until the pool runs dry under load; on the embedded database (one connection) it hangs at once.
 */
describe('the connection guard on PostgreSQL', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let uow: UnitOfWork;

  beforeAll(async () => {
    db = await createTestDatabase();
    const target = databaseTarget({ databaseUrl: db.url, dataDir: '' });
    ds = await new DataSource({ ...target.options, poolSize: 4 } as never).initialize();
    installConnectionGuard(ds);
    uow = new UnitOfWork(ds);
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it.each([
    ['a transaction', (work: () => Promise<unknown>) => uow.run(work, 1)],
    ['a read-only snapshot', (work: () => Promise<unknown>) => uow.snapshot(work)],
    ['an unbounded snapshot', (work: () => Promise<unknown>) => uow.snapshot(work, { unbounded: true })],
  ])('refuses a second connection asked for inside %s, and leaves the pool whole', async (_kind, within) => {
    await expect(within(() => ds.query('SELECT 1'))).rejects.toMatchObject({ name: 'SecondConnectionError' });
    // The refusal cost no connection: every one of the pool answers at once afterwards.
    await expect(
      Promise.all(Array.from({ length: 4 }, () => uow.snapshot(async (tx) => (await tx.query('SELECT 1 AS one')) as unknown))),
    ).resolves.toHaveLength(4);
  });

  it('frees what the work started but did not await, once its snapshot has ended', async () => {
    let later: Promise<unknown> | undefined;
    await uow.snapshot(async (tx) => {
      await tx.query('SELECT 1');
      later = new Promise((r) => setTimeout(r, 20)).then(() => ds.query('SELECT 2 AS two'));
    });
    await expect(later).resolves.toEqual([{ two: 2 }]);
  });
});
