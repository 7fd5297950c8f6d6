import { Client } from 'pg';
import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { createUser, TestUser } from '../../support/factories';
import { balanceOf, fund, waitForPrices } from '../../support/money';
import { SmtpSink } from '../../support/smtp';
import { waitFor } from '../../support/wait';

/** migrate.ts: the advisory lock instances take turns on while they migrate at boot. */
const MIGRATION_LOCK = 748_201_113;

/**
 * A statement that cannot finish (here: a table another session holds locked) must not keep the request's
 * PostgreSQL connection after the request has been answered. Before DATABASE_STATEMENT_TIMEOUT_MS, the edge answered
 * 503 at REQUEST_TIMEOUT_MS but the statement went on waiting on the server, holding a pooled connection: a few dozen
 * such requests took the whole pool, and a trigger book's resync read that hung kept every later resync from running.
 * Migrations are the exception (an instance booting while another migrates waits its turn, however long).
 */
describe('a statement over DATABASE_STATEMENT_TIMEOUT_MS (PostgreSQL)', () => {
  const STATEMENT_TIMEOUT_MS = 1_000;
  let db: TestDatabase;
  let mail: SmtpSink;
  let app: RunningApp;
  let admin: TestUser;
  let user: TestUser;
  let buyers: TestUser[];
  let locker: Client;

  beforeAll(async () => {
    [db, mail] = await Promise.all([createTestDatabase(), SmtpSink.start()]);
    locker = new Client({ connectionString: db.url });
    await locker.connect();
  });

  afterAll(async () => {
    await locker?.end().catch(() => undefined);
    await app?.stop();
    await mail?.stop();
    await db?.drop();
  });

  /** The app's statements still running or waiting on the server (what holds its pooled connections). */
  async function appStatementsRunning(): Promise<string[]> {
    const rows = await db.query<{ query: string }>(
      `SELECT query FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'cryptovault' AND state = 'active'`,
    );
    return rows.map((r) => r.query);
  }

  it('lets an instance boot while another holds the migration lock longer than the statement timeout', async () => {
    await locker.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    // One market-order statement at a time: orders that arrive while it waits are posted together in the next.
    const booting = startApp(
      suiteEnv(db.url, {
        SMTP_URL: mail.url,
        DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
        MIGRATION_LOCK_TIMEOUT_MS: '200',
        REQUEST_TIMEOUT_MS: '6000',
        ORDER_BATCH_CONCURRENCY: '1',
      }),
    );
    // The booting instance waits on the lock for three statement timeouts, then gets it.
    await waitFor(async () => (await appStatementsRunning()).some((q) => q.includes('pg_advisory_lock')), 30_000, 'the boot waiting on the migration lock');
    await new Promise((r) => setTimeout(r, 3 * STATEMENT_TIMEOUT_MS));
    await locker.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    app = await booting;
    // It waited on the one statement: no statement was cancelled and no boot attempt was retried.
    expect(app.output()).not.toMatch(/statement timeout|Retrying/i);
    admin = await createUser(app, mail, { admin: true });
    [user, ...buyers] = await Promise.all(Array.from({ length: 5 }, () => createUser(app, mail)));
    await Promise.all([user, ...buyers].map((u) => fund(app, admin, u, 'USD', '100')));
    await waitForPrices(app);
  });

  it('answers 503 DATABASE_BUSY when a statement waits too long, frees the connection, and loses nothing', async () => {
    const keyedBuy = () =>
      request(app.url)
        .post('/api/orders')
        .set(user.auth)
        .set('Idempotency-Key', 'statement-timeout-1')
        .send({ symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '10' });
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE balances IN ACCESS EXCLUSIVE MODE');
    try {
      const read = await request(app.url).get('/api/wallet/balance').set(user.auth);
      expect(read.status).toBe(503);
      expect(read.body.error).toMatchObject({ code: 'DATABASE_BUSY', message: 'The database is busy; please retry shortly' });
      expect(read.headers['retry-after']).toBe('2');

      const buy = await keyedBuy();
      expect(buy.status).toBe(503);
      expect(buy.body.error.code).toBe('DATABASE_BUSY');

      // Answered, and nothing of the app's is still waiting on the server: the pooled connections are free.
      expect(await appStatementsRunning()).toEqual([]);
    } finally {
      await locker.query('ROLLBACK');
    }

    // Nothing was lost or half done: the balance is whole, and the refused order was not placed; the same key places it once.
    expect(await balanceOf(app, user, 'USD')).toMatchObject({ available: '100.00', locked: '0.00' });
    expect((await request(app.url).get('/api/orders').set(user.auth).expect(200)).body.items).toEqual([]);
    const retry = await keyedBuy();
    expect(retry.status).toBe(201);
    expect(await balanceOf(app, user, 'USD')).toMatchObject({ available: '90.00' });
  });

  it('answers every order of a market-order batch the server cancelled 503 DATABASE_BUSY and never posts them afterwards one by one', async () => {
    const batchFallbacks = async (): Promise<number> =>
      Number(/^cryptovault_market_order_batch_fallbacks_total (\S+)$/m.exec((await request(app.url).get('/metrics').expect(200)).text)?.[1] ?? NaN);
    const fallbacksBefore = await batchFallbacks();
    // Writes to the orders table are held (reads go on): the first order's statement waits to insert its order while
    // the others arrive and queue, then they go together, and wait too.
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE orders IN EXCLUSIVE MODE');
    let replies: request.Response[];
    try {
      replies = await Promise.all(
        buyers.map((u) => request(app.url).post('/api/orders').set(u.auth).send({ symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '10' })),
      );
    } finally {
      await locker.query('ROLLBACK');
    }
    for (const r of replies) {
      expect(r.status).toBe(503);
      expect(r.body.error.code).toBe('DATABASE_BUSY');
    }
    // Before, a cancelled batch counted as "refused as a whole" and each order was posted again on its own with a fresh
    // timeout: after the client had been told to retry, the order could still be placed.
    expect(await batchFallbacks()).toBe(fallbacksBefore);
    await new Promise((r) => setTimeout(r, 2 * STATEMENT_TIMEOUT_MS));
    for (const u of buyers) {
      expect(await balanceOf(app, u, 'USD')).toMatchObject({ available: '100.00', locked: '0.00' });
      expect((await request(app.url).get('/api/orders').set(u.auth).expect(200)).body.items).toEqual([]);
    }
  });
});
