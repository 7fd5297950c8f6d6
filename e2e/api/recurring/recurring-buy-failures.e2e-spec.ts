import { Client } from 'pg';
import request from 'supertest';
import type { RunningApp } from '../../support/app';
import type { TestDatabase } from '../../support/database';
import { createUser, TestUser } from '../../support/factories';
import { balanceOf, fund, runReconcile, waitForPrices } from '../../support/money';
import { useAppSuite } from '../../support/suite';
import { waitFor } from '../../support/wait';

jest.setTimeout(120_000);

interface Run {
  id: string;
  status: 'pending' | 'filled' | 'skipped' | 'failed';
  orderId: string | null;
  quantity: string | null;
  reasonCode: string | null;
  reason: string | null;
  price?: string | null;
  fee?: string | null;
  quoteAmount?: string | null;
}

interface OrderView {
  id: string;
  status: string;
  quantity: string;
  filledPrice: string | null;
  fee: string | null;
  quoteAmount: string | null;
}

interface Notice {
  type: string;
  title: string;
  body: string;
  data: { kind?: string; run?: { id: string; reasonCode: string | null } };
}

/** A tick of 100 ms, retries from 100 ms, and one period for the whole suite: each schedule has exactly one run here. */
const FAST_RUNS = {
  SIMULATED_VOLATILITY: '0',
  RECURRING_BUYS_TICK_MS: '100',
  RECURRING_BUYS_RETRY_MS: '100',
  RECURRING_BUYS_TEST_PERIOD_MS: '3600000',
};

/**
 * A recurring buy whose every attempt meets a busy database: the owner's USD balance row is held by another
 * transaction (FOR UPDATE), so the buy's journal statement waits until PostgreSQL cancels it
 * (DATABASE_STATEMENT_TIMEOUT_MS). The run is tried again MAX_ATTEMPTS (5) times, then recorded as failed and the
 * owner told why in words that say what happened (not "an error on our side"); nothing is bought or held.
 */
describe('recurring buys on a busy database', () => {
  // A statement waiting on the held row is cancelled after 2 s (not a speed expectation: only the blocked one waits).
  const suite = useAppSuite({ ...FAST_RUNS, DATABASE_STATEMENT_TIMEOUT_MS: '2000' });
  let db: TestDatabase;
  let app: RunningApp;
  let ann: TestUser;

  const runsOf = async (u: TestUser, id: string): Promise<Run[]> =>
    (await request(app.url).get(`/api/recurring-buys/${id}/runs?limit=100`).set(u.auth).expect(200)).body.items as Run[];

  beforeAll(async () => {
    ({ db, app } = suite);
    const admin = await createUser(app, suite.mail, { admin: true });
    ann = await createUser(app, suite.mail);
    await waitForPrices(app);
    await fund(app, admin, ann, 'USD', '100');
  });

  it('tries a buy that meets a busy database again, then records it as failed with that cause and tells the owner', async () => {
    const holder = new Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM balances WHERE account = $1 AND asset = 'USD' FOR UPDATE`, [`user:${ann.id}`]);
      const annSchedule = (
        await request(app.url).post('/api/recurring-buys').set(ann.auth).send({ symbol: 'BTC', quoteAmount: '10', frequency: 'daily' }).expect(201)
      ).body.recurringBuy as { id: string };

      const [annRun] = await waitFor(
        async () => {
          const runs = await runsOf(ann, annSchedule.id);
          return runs.length === 1 && runs[0].status !== 'pending' && runs;
        },
        60_000,
        "Ann's run to end",
      );
      expect(annRun).toMatchObject({
        status: 'failed',
        orderId: null,
        quantity: null,
        reasonCode: 'DATABASE_BUSY',
        reason: 'The service was too busy to place it (5 attempts)',
      });
      const [{ attempts }] = await db.query<{ attempts: number }>('SELECT attempts FROM recurring_buy_runs WHERE id = $1', [annRun.id]);
      expect(attempts).toBe(5);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }

    // Nothing bought, nothing held: Ann's money is as it was.
    // No order of any status either: each attempt's journal statement, the order's row with it, was cancelled whole.
    expect(await db.query(`SELECT id, status FROM orders WHERE user_id = $1`, [ann.id])).toEqual([]);
    expect((await request(app.url).get('/api/orders').set(ann.auth).expect(200)).body.items).toEqual([]);
    expect(await balanceOf(app, ann, 'USD')).toMatchObject({ available: '100.00', locked: '0.00' });
    expect(Number((await balanceOf(app, ann, 'BTC')).total)).toBe(0);

    // Told once, with the cause (the notice and the audit row are written just after the run's outcome).
    const failed = await waitFor(async () => {
      const notices = (await request(app.url).get('/api/notifications?limit=100').set(ann.auth).expect(200)).body.items as Notice[];
      const found = notices.filter((n) => n.data.kind === 'recurring_buy_failed');
      return found.length > 0 && found;
    });
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ type: 'notification', title: 'Your recurring buy of BTC did not run', data: { run: { reasonCode: 'DATABASE_BUSY' } } });
    expect(failed[0].body).toMatch(
      /^Your daily buy of \$10\.00 of BTC could not run: the service was too busy to place it \(5 attempts\)\. Nothing was bought\./,
    );
    const audit = await waitFor(async () => {
      const rows = await db.query<{ action: string }>(`SELECT action FROM audit_logs WHERE user_id = $1 AND action LIKE 'recurring_buy.run_%'`, [ann.id]);
      return rows.length > 0 && rows;
    });
    expect(audit.map((r) => r.action)).toEqual(['recurring_buy.run_failed']);

    expect((await runReconcile(db.url)).code).toBe(0);
  });

  it('places the order of an attempt after a server error under the first attempt’s key, so an order that did commit is never placed twice', async () => {
    const holder = new Client({ connectionString: db.url });
    await holder.connect();
    let runId: string;
    let scheduleId: string;
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM balances WHERE account = $1 AND asset = 'USD' FOR UPDATE`, [`user:${ann.id}`]);
      scheduleId = (
        (await request(app.url).post('/api/recurring-buys').set(ann.auth).send({ symbol: 'ETH', quoteAmount: '10', frequency: 'daily' }).expect(201)).body
          .recurringBuy as { id: string }
      ).id;
      // Two attempts meet the held row (each answered 503 DATABASE_BUSY, which stores nothing under its key).
      const [run] = await waitFor(
        async () => {
          const rows = await db.query<{ id: string; order_key_attempt: number | null }>(
            'SELECT id, order_key_attempt FROM recurring_buy_runs WHERE recurring_buy_id = $1 AND attempts >= 3',
            [scheduleId],
          );
          return rows.length > 0 && rows;
        },
        60_000,
        'two failed attempts',
      );
      expect(run.order_key_attempt).toBe(1);
      runId = run.id;
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
    const filled = await waitFor(
      async () => {
        const runs = (await request(app.url).get(`/api/recurring-buys/${scheduleId}/runs`).set(ann.auth).expect(200)).body.items as Run[];
        return runs[0]?.status === 'filled' && runs[0];
      },
      30_000,
      'the run to fill once the row is free',
    );
    // The one order is under the first attempt's key: had that attempt committed unseen (a connection lost at COMMIT),
    // this attempt would have found it instead of buying again.
    const keys = await db.query<{ key: string; status_code: number }>(`SELECT key, status_code FROM idempotency_keys WHERE user_id = $1 AND key LIKE $2`, [
      ann.id,
      `recurring-buy:${runId}:%`,
    ]);
    expect(keys).toEqual([{ key: `recurring-buy:${runId}:1`, status_code: 201 }]);
    expect(await db.query(`SELECT id FROM orders WHERE user_id = $1 AND status = 'filled'`, [ann.id])).toEqual([{ id: filled.orderId }]);
    expect((await runReconcile(db.url)).code).toBe(0);
  });
});

/** Ann, with USD 100, sets up a daily buy of $10 of BTC; its first run, once it has ended (filled, skipped or failed). */
async function aDailyBuyOfTenDollarsRun(suite: { app: RunningApp; mail: Parameters<typeof createUser>[1] }): Promise<{ ann: TestUser; run: Run }> {
  const { app, mail } = suite;
  const admin = await createUser(app, mail, { admin: true });
  const ann = await createUser(app, mail);
  await waitForPrices(app);
  await fund(app, admin, ann, 'USD', '100');
  const schedule = (await request(app.url).post('/api/recurring-buys').set(ann.auth).send({ symbol: 'BTC', quoteAmount: '10', frequency: 'daily' }).expect(201))
    .body.recurringBuy as { id: string };
  const [run] = await waitFor(
    async () => {
      const runs = (await request(app.url).get(`/api/recurring-buys/${schedule.id}/runs`).set(ann.auth).expect(200)).body.items as Run[];
      return runs.length === 1 && runs[0].status !== 'pending' && runs;
    },
    45_000,
    'the run to end',
  );
  return { ann, run };
}

/**
 * A buy whose order commits but whose answer is lost on the way back (FAULT_LOSE_ANSWER_AT: the driver's "Connection
 * terminated" right after the commit): the runner cannot tell whether it bought. Its next attempt asks under the same
 * Idempotency-Key, finds the order and records the run as filled: one order, one debit.
 */
describe('recurring buys whose answer is lost after the commit', () => {
  const suite = useAppSuite({ ...FAST_RUNS, FAULT_LOSE_ANSWER_AT: 'idempotency:after-commit' });

  it('finds the order the lost answer was about under the same key and records it, never buying twice', async () => {
    const { db, app } = suite;
    const { ann, run } = await aDailyBuyOfTenDollarsRun(suite);
    expect(run).toMatchObject({ status: 'filled', reasonCode: null });
    // Two attempts (the first's answer lost), one order under the first attempt's key, one debit.
    const [{ attempts }] = await db.query<{ attempts: number }>('SELECT attempts FROM recurring_buy_runs WHERE id = $1', [run.id]);
    expect(attempts).toBe(2);
    const orders = await db.query<{ id: string }>(`SELECT id FROM orders WHERE user_id = $1`, [ann.id]);
    expect(orders).toEqual([{ id: run.orderId }]);
    const keys = await db.query<{ key: string }>(`SELECT key FROM idempotency_keys WHERE user_id = $1 AND key LIKE 'recurring-buy:%'`, [ann.id]);
    expect(keys).toEqual([{ key: `recurring-buy:${run.id}:1` }]);
    expect(await balanceOf(app, ann, 'USD')).toMatchObject({ available: '90.00', locked: '0.00' });
    expect((await runReconcile(db.url)).code).toBe(0);
  });
});

/**
 * A buy whose order commits on its first attempt and whose every answer is then lost: the commit's, and the replay of
 * the same key on each of the four retries. After the last attempt the runner cannot tell from any answer whether it
 * bought; it looks under the key before it records anything, finds the order and records the run as filled (not as
 * failed while the owner's history shows the buy).
 */
describe('recurring buys whose every answer is lost', () => {
  const suite = useAppSuite({ ...FAST_RUNS, FAULT_LOSE_ANSWER_AT: 'idempotency:after-commit,idempotency:after-replay' });

  it('records the run as filled with the order found under its key after the last attempt, and tells the owner it bought', async () => {
    const { db, app } = suite;
    const { ann, run } = await aDailyBuyOfTenDollarsRun(suite);
    expect(run).toMatchObject({ status: 'filled', reasonCode: null, reason: null });
    const [{ attempts }] = await db.query<{ attempts: number }>('SELECT attempts FROM recurring_buy_runs WHERE id = $1', [run.id]);
    expect(attempts).toBe(5);
    // One order, under the first attempt's key, and the run shows that order's fill as a normal fill would.
    const orders = (await request(app.url).get('/api/orders').set(ann.auth).expect(200)).body.items as OrderView[];
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ id: run.orderId, status: 'filled', side: 'buy', type: 'market' });
    expect(run).toMatchObject({ quantity: orders[0].quantity, price: orders[0].filledPrice, fee: orders[0].fee, quoteAmount: orders[0].quoteAmount });
    const keys = await db.query<{ key: string }>(`SELECT key FROM idempotency_keys WHERE user_id = $1 AND key LIKE 'recurring-buy:%'`, [ann.id]);
    expect(keys).toEqual([{ key: `recurring-buy:${run.id}:1` }]);
    expect(await balanceOf(app, ann, 'USD')).toMatchObject({ available: '90.00', locked: '0.00' });
    // The owner is told once, that it bought (not that it failed), and the audit says the same.
    const notices = await waitFor(async () => {
      const items = (await request(app.url).get('/api/notifications?limit=100').set(ann.auth).expect(200)).body.items as Notice[];
      const found = items.filter((n) => n.data.kind?.startsWith('recurring_buy_'));
      return found.length > 0 && found;
    });
    expect(notices.map((n) => n.data.kind)).toEqual(['recurring_buy_filled']);
    const audit = await waitFor(async () => {
      const rows = await db.query<{ action: string }>(`SELECT action FROM audit_logs WHERE user_id = $1 AND action LIKE 'recurring_buy.run_%'`, [ann.id]);
      return rows.length > 0 && rows;
    });
    expect(audit.map((r) => r.action)).toEqual(['recurring_buy.run_filled']);
    expect((await runReconcile(db.url)).code).toBe(0);
  });
});
