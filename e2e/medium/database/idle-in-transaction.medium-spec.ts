import { Client } from 'pg';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { databaseTarget } from '../../../backend/src/database/data-source-options';
import { runMigrations } from '../../../backend/src/database/migrate';
import { migrations } from '../../../backend/src/database/migrations';
import { TransactionConnectionLostError } from '../../../backend/src/database/transaction';
import { UnitOfWork } from '../../../backend/src/database/unit-of-work';
import { isDatabaseUnavailable } from '../../../backend/src/common/filters/all-exceptions.filter';
import { createTestDatabase, TestDatabase } from '../../support/database';

/**
 * DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS on the app's pool (data-source-options.ts): a transaction of the app's that
 * sits idle between two statements (its work awaiting something else: a call that hangs) is ended by the server, so
 * its row locks do not hold every later request on those rows; the work's next statement fails as a lost connection
 * (503, nothing written), and the pool goes on without that connection. Work marked long by nature (UnitOfWork
 * `unbounded`) may compute between its statements as long as it needs.
 */
describe('the idle-in-transaction timeout of the pool (PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let uow: UnitOfWork;
  let other: Client;
  const POOL = 3;
  const IDLE_MS = 300;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeAll(async () => {
    db = await createTestDatabase();
    const target = databaseTarget({ databaseUrl: db.url, dataDir: '' }, { statementTimeoutMs: 10_000, idleInTransactionTimeoutMs: IDLE_MS });
    ds = await new DataSource({ ...target.options, poolSize: POOL } as never).initialize();
    uow = new UnitOfWork(ds);
    other = new Client({ connectionString: db.url });
    await other.connect();
    await other.query('CREATE TABLE idle_probe (id int PRIMARY KEY, n int NOT NULL)');
  });

  beforeEach(async () => {
    await other.query('TRUNCATE idle_probe');
    await other.query('INSERT INTO idle_probe VALUES (1, 0)');
  });

  afterAll(async () => {
    await other?.end();
    await ds?.destroy();
    await db?.drop();
  });

  /** The row's value, as another session sees it. */
  const value = async (): Promise<number> => ((await other.query('SELECT n FROM idle_probe WHERE id = 1')).rows as { n: number }[])[0].n;

  it('ends a transaction left idle: another session updates the row it had locked while its work still waits, and its update is rolled back', async () => {
    let workWaiting = true;
    let rowLocked!: () => void;
    const locked = new Promise<void>((r) => (rowLocked = r));
    // The work updates the row, then waits on something that is not the database (10 × the timeout), then goes on.
    const stuck = uow
      .run(async (tx) => {
        await tx.query('UPDATE idle_probe SET n = n + 1 WHERE id = 1');
        rowLocked();
        await sleep(IDLE_MS * 10);
        workWaiting = false;
        await tx.query('UPDATE idle_probe SET n = n + 100 WHERE id = 1');
      }, 1)
      .then(
        () => 'committed',
        (e: unknown) => e,
      );
    await locked;
    // Without the timeout this waits for the row until the work commits, 3 s later.
    await other.query('UPDATE idle_probe SET n = n + 10 WHERE id = 1');
    expect(workWaiting).toBe(true);
    const outcome = await stuck;
    // The work learns it at its next statement: an error the app answers 503 (a lost connection), nothing it did kept.
    expect(outcome).toBeInstanceOf(TransactionConnectionLostError);
    expect(outcome).toMatchObject({ code: '25P03', message: expect.stringMatching(/idle-in-transaction timeout/) });
    expect(isDatabaseUnavailable(outcome)).toBe(true);
    expect(await value()).toBe(10);
  });

  it('ends it too when the work had no statement left: its commit is refused as a lost connection, nothing written', async () => {
    const outcome = await uow
      .run(async (tx) => {
        await tx.query('UPDATE idle_probe SET n = n + 1 WHERE id = 1');
        await sleep(IDLE_MS * 4);
        return 'done';
      }, 1)
      .catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(TransactionConnectionLostError);
    expect(isDatabaseUnavailable(outcome)).toBe(true);
    expect(await value()).toBe(0);
  });

  it("throws the work's own refusal as it is, when it decides one after its session was ended", async () => {
    const refusal = new Error('INSUFFICIENT_FUNDS');
    const outcome = await uow
      .run(async (tx) => {
        await tx.query('UPDATE idle_probe SET n = n + 1 WHERE id = 1');
        await sleep(IDLE_MS * 4);
        throw refusal;
      }, 1)
      .catch((e: unknown) => e);
    expect(outcome).toBe(refusal);
    expect(await value()).toBe(0);
  });

  it('goes on with the rest of the pool: every connection it hands out afterwards answers', async () => {
    const stuck = uow.run(async (tx) => {
      await tx.query('SELECT 1');
      await sleep(IDLE_MS * 4);
      await tx.query('SELECT 1');
    }, 1);
    await expect(stuck).rejects.toBeInstanceOf(TransactionConnectionLostError);
    // As many transactions at once as the pool holds: none is given the ended connection.
    const results = await Promise.all(
      Array.from({ length: POOL }, () => uow.run(async (tx) => ((await tx.query('SELECT 1 AS one')) as { one: number }[])[0].one, 1)),
    );
    expect(results).toEqual(Array(POOL).fill(1));
  });

  it('lets unbounded work compute between its statements longer than that, in a write transaction and in a snapshot, and only there', async () => {
    await uow.run(
      async (tx) => {
        await tx.query('UPDATE idle_probe SET n = n + 1 WHERE id = 1');
        await sleep(IDLE_MS * 3);
        await tx.query('UPDATE idle_probe SET n = n + 1 WHERE id = 1');
      },
      1,
      { unbounded: true },
    );
    expect(await value()).toBe(2);
    await expect(
      uow.snapshot(
        async (tx) => {
          const [a] = (await tx.query('SELECT n FROM idle_probe WHERE id = 1')) as { n: number }[];
          await sleep(IDLE_MS * 3);
          const [b] = (await tx.query('SELECT n FROM idle_probe WHERE id = 1')) as { n: number }[];
          return [a.n, b.n];
        },
        { unbounded: true },
      ),
    ).resolves.toEqual([2, 2]);
    // The lift ended with its transaction: the same pause in ordinary work still ends it.
    await expect(
      uow.snapshot(async (tx) => {
        await tx.query('SELECT 1');
        await sleep(IDLE_MS * 3);
        await tx.query('SELECT 1');
      }),
    ).rejects.toBeInstanceOf(TransactionConnectionLostError);
  });

  it('migrates on a connection without it (nor the statement timeout), and hands none without it to the pool', async () => {
    const seen: Record<string, string>[] = [];
    /** A migration that reads the timeouts of the connection it runs on. */
    class ReadsItsTimeouts1999999999998 implements MigrationInterface {
      name = 'ReadsItsTimeouts1999999999998';
      async up(q: QueryRunner): Promise<void> {
        seen.push(
          ...((await q.query('SELECT current_setting($1) AS idle, current_setting($2) AS statement', [
            'idle_in_transaction_session_timeout',
            'statement_timeout',
          ])) as Record<string, string>[]),
        );
      }
      async down(): Promise<void> {}
    }
    const target = databaseTarget({ databaseUrl: db.url, dataDir: '' }, { statementTimeoutMs: 10_000, idleInTransactionTimeoutMs: IDLE_MS });
    const next = await new DataSource({ ...target.options, migrations: [...migrations, ReadsItsTimeouts1999999999998], poolSize: 1 } as never).initialize();
    try {
      expect(await runMigrations(next, false)).toEqual(['ReadsItsTimeouts1999999999998']);
    } finally {
      await next.destroy();
    }
    expect(seen).toEqual([{ idle: '0', statement: '0' }]);
    expect(await runMigrations(ds, false)).toEqual([]);
    const runners = Array.from({ length: POOL }, () => ds.createQueryRunner());
    try {
      const settings = await Promise.all(
        runners.map(async (r) => ((await r.query('SHOW idle_in_transaction_session_timeout')) as { idle_in_transaction_session_timeout: string }[])[0]),
      );
      expect(settings.map((s) => s.idle_in_transaction_session_timeout)).toEqual(Array(POOL).fill(`${IDLE_MS}ms`));
    } finally {
      await Promise.all(runners.map((r) => r.release()));
    }
  });
});
