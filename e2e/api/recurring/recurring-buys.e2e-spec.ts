import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { createUser, TestUser } from '../../support/factories';
import { balanceOf, fund, runReconcile, waitForPrices } from '../../support/money';
import { SmtpSink } from '../../support/smtp';
import { waitFor } from '../../support/wait';

// Boots two app processes twice and waits on real periods of RECURRING_BUYS_TEST_PERIOD_MS.
jest.setTimeout(120_000);

/** The suite's period: every frequency lasts this long (RECURRING_BUYS_TEST_PERIOD_MS, test and development only). */
const PERIOD_MS = 1500;

interface RecurringBuy {
  id: string;
  symbol: string;
  quoteAmount: string;
  frequency: string;
  status: 'active' | 'paused' | 'deleted';
  startAt: string;
  nextRunAt: string | null;
  lastRun: Run | null;
}

interface Run {
  id: string;
  periodStart: string;
  ranAt: string;
  status: 'pending' | 'filled' | 'skipped' | 'failed';
  orderId: string | null;
  quantity: string | null;
  price: string | null;
  fee: string | null;
  quoteAmount: string | null;
  reasonCode: string | null;
  reason: string | null;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Two instances on one PostgreSQL and one Redis, both running the recurring-buys
 * runner every 100 ms on periods of 1.5 s: whichever instance sees a period first
 * claims it in PostgreSQL; the other finds it claimed.
 */
describe('recurring buys', () => {
  let db: TestDatabase;
  let mail: SmtpSink;
  let env: Record<string, string>;
  let a: RunningApp;
  let b: RunningApp;
  let admin: TestUser;
  let ann: TestUser;

  const create = (app: RunningApp, u: TestUser, body: Record<string, unknown>) => request(app.url).post('/api/recurring-buys').set(u.auth).send(body);
  const get = async (app: RunningApp, u: TestUser, id: string): Promise<RecurringBuy> =>
    (await request(app.url).get(`/api/recurring-buys/${id}`).set(u.auth).expect(200)).body.recurringBuy as RecurringBuy;
  /** The schedule's runs, oldest first. */
  const runsOf = async (app: RunningApp, u: TestUser, id: string): Promise<Run[]> => {
    const res = await request(app.url).get(`/api/recurring-buys/${id}/runs?limit=100`).set(u.auth).expect(200);
    return (res.body.items as Run[]).slice().reverse();
  };
  const waitForRuns = (app: RunningApp, u: TestUser, id: string, n: number, done = true): Promise<Run[]> =>
    waitFor(
      async () => {
        const runs = await runsOf(app, u, id);
        return runs.filter((r) => !done || r.status !== 'pending').length >= n && runs;
      },
      30_000,
      `${n} runs of ${id}`,
    );
  /** The runs once none is in progress (a run claimed just before a pause or deletion still completes). */
  const settled = (app: RunningApp, u: TestUser, id: string): Promise<Run[]> =>
    waitFor(async () => {
      const all = await runsOf(app, u, id);
      return all.every((r) => r.status !== 'pending') && all;
    });
  const ordersOf = async (u: TestUser): Promise<{ id: string; type: string; side: string; status: string }[]> =>
    db.query(`SELECT id, type, side, status FROM orders WHERE user_id = $1 ORDER BY created_at`, [u.id]);
  /** The user's notifications, newest first (`data` as the runner writes it for recurring buys). */
  interface Notice {
    type: string;
    title: string;
    body: string;
    data: { kind?: string; recurringBuy?: { id: string }; run: { id: string } };
  }
  const notificationsOf = async (app: RunningApp, u: TestUser): Promise<Notice[]> =>
    (await request(app.url).get('/api/notifications?limit=100').set(u.auth).expect(200)).body.items as Notice[];
  const offset = (run: Run, s: RecurringBuy): number => (Date.parse(run.periodStart) - Date.parse(s.startAt)) % PERIOD_MS;

  beforeAll(async () => {
    [db, mail] = await Promise.all([createTestDatabase(), SmtpSink.start()]);
    env = suiteEnv(db.url, {
      SMTP_URL: mail.url,
      SIMULATED_VOLATILITY: '0',
      RECURRING_BUYS_TICK_MS: '100',
      RECURRING_BUYS_TEST_PERIOD_MS: String(PERIOD_MS),
    });
    [a, b] = await Promise.all([startApp(env), startApp(env)]);
    admin = await createUser(a, mail, { admin: true });
    ann = await createUser(b, mail);
    await Promise.all([waitForPrices(a), waitForPrices(b)]);
    await fund(a, admin, ann, 'USD', '1000');
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await Promise.all([db?.drop(), mail?.stop()]);
  });

  it('buys once per period through the market-order path, whichever instance claims the period', async () => {
    const created = await create(a, ann, { symbol: 'BTC', quoteAmount: '10', frequency: 'daily' }).expect(201);
    const schedule = created.body.recurringBuy as RecurringBuy;
    expect(schedule).toMatchObject({ symbol: 'BTC', quoteAmount: '10.00', frequency: 'daily', status: 'active', lastRun: null });
    expect(Date.parse(schedule.nextRunAt!)).toBeLessThanOrEqual(Date.now() + 1000);

    await waitForRuns(b, ann, schedule.id, 3);
    await request(a.url).post(`/api/recurring-buys/${schedule.id}/pause`).set(ann.auth).expect(200);
    const runs = await settled(b, ann, schedule.id);

    // One run per period, each period one of the schedule's (start + k × period), never two for the same one.
    const periods = runs.map((r) => r.periodStart);
    expect(new Set(periods).size).toBe(runs.length);
    for (const r of runs) expect(offset(r, schedule)).toBe(0);
    expect(runs.every((r) => r.status === 'filled')).toBe(true);

    // Each run is one customer market buy of $10.00 (fee included): the orders are exactly the runs' orders.
    const orders = await ordersOf(ann);
    expect(orders.map((o) => o.id).sort()).toEqual(runs.map((r) => r.orderId).sort());
    expect(orders.every((o) => o.type === 'market' && o.side === 'buy' && o.status === 'filled')).toBe(true);
    for (const r of runs) {
      const order = (await request(a.url).get(`/api/orders/${r.orderId}`).set(ann.auth).expect(200)).body.order;
      expect(r).toMatchObject({ quantity: order.quantity, price: order.filledPrice, fee: order.fee, quoteAmount: order.quoteAmount, reasonCode: null });
      expect(Number(order.quoteAmount) + Number(order.fee)).toBeLessThanOrEqual(10);
      // The fill's journal was posted by the order path, once.
      const journals = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_journals WHERE reference = $1`, [`order:${r.orderId}:fill`]);
      expect(journals[0].n).toBe(1);
    }
    // The owner is told of every buy (one notification each), in words.
    const notices = await waitFor(async () => {
      const mine = (await notificationsOf(a, ann)).filter((n) => n.data.recurringBuy?.id === schedule.id);
      return mine.length >= runs.length && mine;
    });
    expect(notices).toHaveLength(runs.length);
    expect(notices[0]).toMatchObject({ type: 'order_filled', title: 'Your recurring buy of BTC filled' });
    expect(notices[0].body).toMatch(/^Your daily buy of \$10\.00 of BTC bought ≈?[\d.]+ BTC at \$[\d,]+\.\d\d \(fee \$0\.01\)\.$/);
    expect((await get(a, ann, schedule.id)).lastRun).toMatchObject({ id: runs[runs.length - 1].id, status: 'filled' });
    expect((await runReconcile(db.url)).code).toBe(0);
  });

  it('after a restart that spanned several periods, runs once for them, then only for the periods that follow', async () => {
    const schedule = (await create(a, ann, { symbol: 'ETH', quoteAmount: '5', frequency: 'weekly' }).expect(201)).body.recurringBuy as RecurringBuy;
    const before = await waitForRuns(a, ann, schedule.id, 1);

    await Promise.all([a.stop(), b.stop()]);
    const stoppedAt = Date.now();
    const lastBefore = (await runsOf0(schedule.id)).at(-1)!;
    await sleep(3 * PERIOD_MS);
    [a, b] = await Promise.all([startApp(env), startApp(env)]);

    const after = await waitFor(
      async () => {
        const runs = await runsOf(a, ann, schedule.id);
        const fresh = runs.filter((r) => Date.parse(r.periodStart) > Date.parse(lastBefore.periodStart));
        return fresh.length >= 2 && fresh.every((r) => r.status !== 'pending') && fresh;
      },
      30_000,
      'the boot run and the one after it',
    );
    const [bootRun, next] = after;
    // Three or more periods began while both instances were down; the boot ran only the latest of them.
    const missed = Math.floor((Date.parse(bootRun.periodStart) - Date.parse(lastBefore.periodStart)) / PERIOD_MS) - 1;
    expect(missed).toBeGreaterThanOrEqual(2);
    expect(Date.parse(bootRun.periodStart)).toBeGreaterThan(stoppedAt);
    expect(offset(bootRun, schedule)).toBe(0);
    // …and the schedule went on from the next future period, not from a missed one.
    expect(Date.parse(next.periodStart)).toBeGreaterThan(Date.parse(bootRun.ranAt));
    expect(offset(next, schedule)).toBe(0);
    const all = await runsOf(a, ann, schedule.id);
    expect(
      all.filter((r) => Date.parse(r.periodStart) > Date.parse(lastBefore.periodStart) && Date.parse(r.periodStart) < Date.parse(bootRun.periodStart)),
    ).toEqual([]);
    expect(before.length).toBeGreaterThanOrEqual(1);
    const current = await get(b, ann, schedule.id);
    expect(Date.parse(current.nextRunAt!)).toBeGreaterThan(Date.parse(bootRun.ranAt));
    await request(a.url).delete(`/api/recurring-buys/${schedule.id}`).set(ann.auth).expect(200);
  });

  it('records a run without the funds as skipped, tells the owner once per period, and keeps the history when deleted', async () => {
    const bob = await createUser(a, mail);
    await fund(a, admin, bob, 'USD', '5');
    const schedule = (await create(b, bob, { symbol: 'ETH', quoteAmount: '10', frequency: 'monthly' }).expect(201)).body.recurringBuy as RecurringBuy;
    const runs = await waitForRuns(a, bob, schedule.id, 2);
    for (const r of runs.slice(0, 2)) {
      expect(r).toMatchObject({ status: 'skipped', orderId: null, quantity: null, reasonCode: 'INSUFFICIENT_FUNDS', reason: expect.stringMatching(/USD/) });
    }
    expect(await ordersOf(bob)).toEqual([]);
    expect(await balanceOf(a, bob, 'USD')).toMatchObject({ available: '5.00', locked: '0.00' });

    const deleted = (await request(b.url).delete(`/api/recurring-buys/${schedule.id}`).set(bob.auth).expect(200)).body.recurringBuy as RecurringBuy;
    expect(deleted).toMatchObject({ status: 'deleted', nextRunAt: null });
    const kept = await settled(a, bob, schedule.id);
    await sleep(2 * PERIOD_MS);
    // Not an error loop: one skipped run and one notification per period, and none after the deletion.
    expect(await runsOf(a, bob, schedule.id)).toEqual(kept);
    const notices = await waitFor(async () => {
      const skipped = (await notificationsOf(a, bob)).filter((n) => n.data.kind === 'recurring_buy_skipped');
      return skipped.length >= kept.length && skipped;
    });
    expect(notices.map((n) => n.data.run.id).sort()).toEqual(kept.map((r) => r.id).sort());
    expect(notices[0]).toMatchObject({ type: 'notification', title: 'Your recurring buy of ETH was skipped' });
    expect(notices[0].body).toMatch(/^Your monthly buy of \$10\.00 of ETH was skipped: your available USD balance did not cover it\./);
    // Deleted: gone from the list, its history still there.
    const list = (await request(a.url).get('/api/recurring-buys').set(bob.auth).expect(200)).body.items as RecurringBuy[];
    expect(list.map((s) => s.id)).not.toContain(schedule.id);
    expect((await get(a, bob, schedule.id)).status).toBe('deleted');
    await request(a.url).post(`/api/recurring-buys/${schedule.id}/resume`).set(bob.auth).expect(409);
  });

  it('stops while paused and starts again when resumed', async () => {
    const schedule = (await create(a, ann, { symbol: 'SOL', quoteAmount: '5', frequency: 'daily' }).expect(201)).body.recurringBuy as RecurringBuy;
    await waitForRuns(b, ann, schedule.id, 1);
    const paused = (await request(b.url).post(`/api/recurring-buys/${schedule.id}/pause`).set(ann.auth).expect(200)).body.recurringBuy as RecurringBuy;
    expect(paused).toMatchObject({ status: 'paused', nextRunAt: null });
    const pausedAt = Date.now();
    await request(a.url).post(`/api/recurring-buys/${schedule.id}/pause`).set(ann.auth).expect(409);
    const whilePaused = await settled(a, ann, schedule.id);
    await sleep(2 * PERIOD_MS);
    expect(await runsOf(a, ann, schedule.id)).toEqual(whilePaused);

    const resumed = (await request(a.url).post(`/api/recurring-buys/${schedule.id}/resume`).set(ann.auth).expect(200)).body.recurringBuy as RecurringBuy;
    expect(resumed.status).toBe('active');
    expect(Date.parse(resumed.nextRunAt!)).toBeGreaterThan(pausedAt);
    const runs = await waitForRuns(b, ann, schedule.id, whilePaused.length + 1);
    expect(Date.parse(runs.at(-1)!.periodStart)).toBeGreaterThan(pausedAt + 2 * PERIOD_MS);
    await request(a.url).delete(`/api/recurring-buys/${schedule.id}`).set(ann.auth).expect(200);
  });

  it('starts at the time asked: nothing runs before it, and the first run is the period that begins then', async () => {
    // A whole second a few periods ahead, as the client's start-time field sends it.
    const startAt = new Date(Math.ceil((Date.now() + 2 * PERIOD_MS) / 1000) * 1000 + 1000).toISOString();
    const schedule = (await create(b, ann, { symbol: 'BTC', quoteAmount: '5', frequency: 'daily', startAt }).expect(201)).body.recurringBuy as RecurringBuy;
    expect(schedule).toMatchObject({ status: 'active', startAt, nextRunAt: startAt, lastRun: null });

    // Until a moment before the start, neither instance has run it.
    await sleep(Math.max(0, Date.parse(startAt) - Date.now() - 300));
    expect(await runsOf(a, ann, schedule.id)).toEqual([]);

    const [first] = await waitForRuns(a, ann, schedule.id, 1);
    expect(first).toMatchObject({ periodStart: startAt, status: 'filled' });
    expect(Date.parse(first.ranAt)).toBeGreaterThanOrEqual(Date.parse(startAt));
    await request(a.url).delete(`/api/recurring-buys/${schedule.id}`).set(ann.auth).expect(200);
  });

  it("answers 404 for another user's schedule, whatever the action", async () => {
    const schedule = (
      await create(a, ann, { symbol: 'BTC', quoteAmount: '5', frequency: 'monthly', startAt: new Date(Date.now() + 86_400_000).toISOString() }).expect(201)
    ).body.recurringBuy as RecurringBuy;
    const eve = await createUser(b, mail);
    const notFound = { statusCode: 404, error: { code: 'NOT_FOUND', message: 'No such recurring buy' } };
    for (const call of [
      request(a.url).get(`/api/recurring-buys/${schedule.id}`),
      request(a.url).get(`/api/recurring-buys/${schedule.id}/runs`),
      request(a.url).post(`/api/recurring-buys/${schedule.id}/pause`),
      request(a.url).post(`/api/recurring-buys/${schedule.id}/resume`),
      request(a.url).delete(`/api/recurring-buys/${schedule.id}`),
    ]) {
      const res = await call.set(eve.auth);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject(notFound);
    }
    expect((await request(a.url).get('/api/recurring-buys').set(eve.auth).expect(200)).body.items).toEqual([]);
    expect((await get(a, ann, schedule.id)).status).toBe('active');
    await request(a.url).get('/api/recurring-buys/not-a-uuid').set(ann.auth).expect(400);
  });

  it('refuses amounts a market buy would refuse, unknown assets and frequencies, and more than 20 active schedules', async () => {
    const carl = await createUser(a, mail);
    const later = new Date(Date.now() + 86_400_000).toISOString();
    const field = async (body: Record<string, unknown>, name: string): Promise<string> => {
      const res = await create(a, carl, { symbol: 'BTC', quoteAmount: '10', frequency: 'daily', startAt: later, ...body }).expect(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      return (res.body.error.details as { field: string; message: string }[]).find((d) => d.field === name)!.message;
    };
    expect(await field({ quoteAmount: '-1' }, 'quoteAmount')).toBeTruthy();
    expect(await field({ quoteAmount: '0' }, 'quoteAmount')).toBeTruthy();
    expect(await field({ quoteAmount: '10.001' }, 'quoteAmount')).toBe('Use at most 2 decimals');
    expect(await field({ quoteAmount: '1e3' }, 'quoteAmount')).toBeTruthy();
    expect(await field({ quoteAmount: '1000000.01' }, 'quoteAmount')).toMatch(/too large/);
    expect(await field({ quoteAmount: 10 }, 'quoteAmount')).toBeTruthy();
    expect(await field({ frequency: 'hourly' }, 'frequency')).toBe('Choose daily, weekly or monthly');
    expect(await field({ startAt: '2020-01-01T00:00:00.000Z' }, 'startAt')).toMatch(/past/);
    expect(await field({ startAt: 'tomorrow' }, 'startAt')).toBeTruthy();
    const small = await create(a, carl, { symbol: 'BTC', quoteAmount: '1', frequency: 'daily', startAt: later }).expect(422);
    expect(small.body.error.code).toBe('MIN_NOTIONAL');
    expect((await create(a, carl, { symbol: 'NOPE', quoteAmount: '10', frequency: 'daily' }).expect(422)).body.error.code).toBe('UNKNOWN_ASSET');
    expect((await create(a, carl, { symbol: 'USD', quoteAmount: '10', frequency: 'daily' }).expect(422)).body.error.code).toBe('UNKNOWN_ASSET');

    // A double submit with one Idempotency-Key makes one schedule.
    const key = `rb-${Date.now()}`;
    const body = { symbol: 'ETH', quoteAmount: '25.50', frequency: 'weekly', startAt: later };
    const [first, again] = await Promise.all([create(a, carl, body).set('Idempotency-Key', key), create(b, carl, body).set('Idempotency-Key', key)]);
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.recurringBuy.id).toBe(first.body.recurringBuy.id);

    // 19 more at once: only the room left (20 active) is taken, the others are refused.
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) => create(i % 2 ? a : b, carl, { symbol: 'BTC', quoteAmount: String(10 + i), frequency: 'daily', startAt: later })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(19);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused.every((r) => r.status === 422 && r.body.error.code === 'LIMIT_EXCEEDED')).toBe(true);
    const list = (await request(a.url).get('/api/recurring-buys?limit=50').set(carl.auth).expect(200)).body.items as RecurringBuy[];
    expect(list).toHaveLength(20);
    // A paused one makes room; resuming it while 20 are active is refused.
    await request(a.url).post(`/api/recurring-buys/${list[0].id}/pause`).set(carl.auth).expect(200);
    await create(a, carl, { symbol: 'BTC', quoteAmount: '10', frequency: 'daily', startAt: later }).expect(201);
    expect((await request(a.url).post(`/api/recurring-buys/${list[0].id}/resume`).set(carl.auth).expect(422)).body.error.code).toBe('LIMIT_EXCEEDED');

    const audit = await db.query<{ action: string }>(`SELECT action FROM audit_logs WHERE user_id = $1`, [carl.id]);
    const actions = audit.map((r) => r.action);
    expect(actions.filter((x) => x === 'recurring_buy.created')).toHaveLength(21);
    expect(actions).toContain('recurring_buy.paused');
  });

  /** The runs of a schedule read straight from the database (both instances are down). */
  async function runsOf0(id: string): Promise<Run[]> {
    const rows = await db.query<{ id: string; period_start: Date }>(
      `SELECT id, period_start FROM recurring_buy_runs WHERE recurring_buy_id = $1 ORDER BY period_start`,
      [id],
    );
    return rows.map((r) => ({ id: r.id, periodStart: new Date(r.period_start).toISOString() }) as Run);
  }
});
