import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { createUser, TestUser } from '../support/factories';
import { balanceOf, fund, runReconcile, waitForPrices } from '../support/money';
import { SmtpSink } from '../support/smtp';
import { waitFor } from '../support/wait';

jest.setTimeout(180_000);

/**
 * `kill -9` after an Idempotency-Key's work has committed and before the
 * answer is written (the fault point `idempotency:after-commit`, enabled only
 * by FAULT_KILL_AT under NODE_ENV=test): the client never hears back, retries
 * with the same key on the restarted process, and gets the first result. The
 * key row and the work committed together, so nothing runs twice: one order,
 * one journal, the balance moved once.
 */
describe('faults: the backend is SIGKILLed between an Idempotency-Key commit and its response', () => {
  let db: TestDatabase;
  let mail: SmtpSink;
  let app: RunningApp;
  let admin: TestUser;
  let trader: TestUser;

  beforeAll(async () => {
    [db, mail] = await Promise.all([createTestDatabase(), SmtpSink.start()]);
    app = await startApp(suiteEnv(db.url, { SMTP_URL: mail.url, PRICE_LEADER_LEASE_MS: '1500', FAULT_KILL_AT: 'idempotency:after-commit' }));
    admin = await createUser(app, mail, { admin: true });
    trader = await createUser(app, mail);
    await fund(app, admin, trader, 'USD', '100');
    await waitForPrices(app);
  });
  afterAll(async () => {
    await app?.stop();
    await Promise.all([db?.drop(), mail?.stop()]);
  });

  it('answers the retry with the first order, and the money moved once', async () => {
    const body = { symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '25' };
    const send = () =>
      fetch(`${app.url}/api/orders`, {
        method: 'POST',
        headers: { ...trader.auth, 'Content-Type': 'application/json', 'Idempotency-Key': 'crash-after-commit-1' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });

    // The process dies before it answers: the client sees the connection drop, no status.
    await expect(send()).rejects.toThrow();
    await waitFor(async () => app.process.signalCode === 'SIGKILL', 10_000, 'the process to die of SIGKILL');

    // The work committed with its key before the crash.
    const [stored] = await db.query<{ status_code: number; order_id: string }>(
      `SELECT status_code, response->'order'->>'id' AS order_id FROM idempotency_keys WHERE user_id = $1 AND key = 'crash-after-commit-1'`,
      [trader.id],
    );
    expect(stored).toEqual({ status_code: 201, order_id: expect.any(String) });

    // Restarted on the same database, without the fault.
    const { FAULT_KILL_AT: _fault, ...env } = app.env;
    app = await startApp(env);
    await waitForPrices(app);

    const retry = await send();
    expect(retry.status).toBe(201);
    const replay = (await retry.json()) as { order: { id: string; status: string; quoteAmount: string; fee: string } };
    expect(replay.order).toMatchObject({ id: stored.order_id, status: 'filled' });

    // Nothing ran twice: one order, one trade journal, the USD balance moved by that one order.
    const orders = await db.query<{ id: string }>(`SELECT id FROM orders WHERE user_id = $1`, [trader.id]);
    expect(orders.map((o) => o.id)).toEqual([stored.order_id]);
    const journals = await db.query<{ reference: string }>(`SELECT reference FROM ledger_journals WHERE user_id = $1 AND type = 'trade'`, [trader.id]);
    expect(journals).toEqual([{ reference: `order:${stored.order_id}:fill` }]);
    const [spent] = await db.query<{ usd: string }>(`SELECT (100 - quote_amount - fee)::numeric(38,2)::text AS usd FROM orders WHERE id = $1`, [
      stored.order_id,
    ]);
    expect(await balanceOf(app, trader, 'USD')).toMatchObject({ available: spent.usd, locked: '0.00' });

    // The same key once more: still the first answer.
    const again = await request(app.url).post('/api/orders').set(trader.auth).set('Idempotency-Key', 'crash-after-commit-1').send(body).expect(201);
    expect(again.body.order.id).toBe(stored.order_id);

    const reconcile = await runReconcile(db.url);
    expect({ code: reconcile.code, output: reconcile.output }).toEqual({ code: 0, output: expect.any(String) });
  });
});
