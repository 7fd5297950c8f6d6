import Decimal from 'decimal.js';
import { Client } from 'pg';
import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { createUser, TestUser } from '../../support/factories';
import { FakeCoinGecko } from '../../support/fakes/coingecko';
import { balanceOf, fund, runReconcile, waitForPrices } from '../../support/money';
import { SmtpSink } from '../../support/smtp';

jest.setTimeout(300_000);

const BTC_PRICE = '104250'; // the fake CoinGecko's BTC

/** The market-order statement counters of /metrics (loopback, no token set). */
async function batchMetrics(app: RunningApp): Promise<{ statements: number; orders: number; alone: number; fallbacks: number }> {
  const text = (await request(app.url).get('/metrics').expect(200)).text;
  const value = (pattern: RegExp): number => Number(pattern.exec(text)?.[1] ?? NaN);
  return {
    statements: value(/^cryptovault_market_order_batch_size_count (\S+)$/m),
    orders: value(/^cryptovault_market_order_batch_size_sum (\S+)$/m),
    alone: value(/^cryptovault_market_order_batch_size_bucket\{le="1"\} (\S+)$/m),
    fallbacks: value(/^cryptovault_market_order_batch_fallbacks_total (\S+)$/m),
  };
}

/**
 * Market orders that arrive while the previous statement runs are posted
 * together in one statement (one per user). With ORDER_BATCH_CONCURRENCY=1
 * every order that arrives during a statement waits for the next one, so a
 * burst of orders from many users is sure to be batched.
 */
describe('money: market orders posted together', () => {
  let db: TestDatabase;
  let app: RunningApp;
  let mail: SmtpSink;
  let cg: FakeCoinGecko;
  let admin: TestUser;
  let payers: TestUser[];
  let short: TestUser[];

  const order = (u: TestUser, body: Record<string, unknown>) => request(app.url).post('/api/orders').set(u.auth).send(body);
  /**
   * Sends the orders while a transaction holds the treasury's rows, so the first order's
   * statement waits at its platform upsert while the others arrive and queue; then lets go:
   * the queue goes together.
   */
  const whileTreasuryHeld = async <T>(send: () => Promise<T>): Promise<T> => {
    const holder = new Client({ connectionString: db.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query(`SELECT 1 FROM balances WHERE account = 'platform:treasury' FOR UPDATE`);
    const pending = send();
    await new Promise((r) => setTimeout(r, 1_500));
    await holder.query('COMMIT');
    await holder.end();
    return pending;
  };
  // quoteAmount is the total spend, fee included: 20.02 buys a notional of exactly 20.00 (fee 0.02).
  const buy20 = { symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '20.02' };
  const sell = { symbol: 'BTC', side: 'sell', type: 'market', quantity: '0.0002' };

  beforeAll(async () => {
    [db, mail, cg] = await Promise.all([createTestDatabase(), SmtpSink.start(), new FakeCoinGecko().start()]);
    app = await startApp(
      suiteEnv(db.url, {
        SMTP_URL: mail.url,
        PRICE_SOURCES: 'coingecko',
        COINGECKO_BASE_URL: cg.url,
        COINGECKO_POLL_MS: '200',
        RATE_LIMIT_SCALE: '1000',
        ORDER_BATCH_CONCURRENCY: '1',
      }),
    );
    admin = await createUser(app, mail, { admin: true });
    payers = await Promise.all(Array.from({ length: 8 }, () => createUser(app, mail)));
    short = await Promise.all(Array.from({ length: 4 }, () => createUser(app, mail)));
    await Promise.all([
      ...payers.flatMap((u) => [fund(app, admin, u, 'USD', '100'), fund(app, admin, u, 'BTC', '0.01')]),
      // 5 USD: not enough for a 20 USD buy.
      ...short.map((u) => fund(app, admin, u, 'USD', '5')),
    ]);
    await waitForPrices(app);
  });
  afterAll(async () => {
    await app?.stop();
    await Promise.all([db?.drop(), mail?.stop(), cg?.stop()]);
  });

  it('gives each order its own answer when one user in the statement cannot pay, with every balance and cost basis exact', async () => {
    const before = await batchMetrics(app);
    const replies = await whileTreasuryHeld(() =>
      Promise.all([...payers.map((u) => order(u, buy20)), ...short.map((u) => order(u, buy20)), ...payers.slice(0, 4).map((u) => order(u, sell))]),
    );
    const buys = replies.slice(0, 8);
    const refused = replies.slice(8, 12);
    const sells = replies.slice(12);
    for (const r of [...buys, ...sells]) expect(r.status).toBe(201);
    for (const r of refused) expect(r.body.error).toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
    for (const r of refused) expect(r.status).toBe(422);

    // Fewer statements than orders, and at least one statement refused as a whole and posted one by one.
    const after = await batchMetrics(app);
    const statements = after.statements - before.statements;
    expect(after.orders - before.orders).toBeGreaterThanOrEqual(16);
    expect(statements).toBeLessThan(after.orders - before.orders);
    expect(after.alone - before.alone).toBeLessThan(statements);
    expect(after.fallbacks - before.fallbacks).toBeGreaterThanOrEqual(1);

    // A buy of 20.02 USD: notional 20 + fee 0.02 out, 20 / 104250 BTC (down to 18 decimals) in.
    const bought = new Decimal(20).div(BTC_PRICE).toDecimalPlaces(18, Decimal.ROUND_DOWN);
    const proceeds = new Decimal('0.0002').mul(BTC_PRICE); // 20.85, less a fee of 0.02085
    for (const [i, u] of payers.entries()) {
      const sold = i < 4;
      const usd = await balanceOf(app, u, 'USD');
      const btc = await balanceOf(app, u, 'BTC');
      expect(new Decimal(usd.available).eq(new Decimal('79.98').add(sold ? proceeds.sub('0.02085') : 0))).toBe(true);
      expect(new Decimal(btc.available).eq(new Decimal('0.01').add(bought).sub(sold ? '0.0002' : 0))).toBe(true);
    }
    for (const u of short) expect(new Decimal((await balanceOf(app, u, 'USD')).available).eq(5)).toBe(true);

    // The cost basis of each buyer is exactly their buy; a seller's position here was only what they bought.
    const costs = await db.query<{ user_id: string; quantity: string; cost: string }>(
      `SELECT user_id, quantity::text, cost::text FROM position_costs WHERE asset = 'BTC' AND user_id = ANY($1)`,
      [payers.map((u) => u.id)],
    );
    expect(costs).toHaveLength(8);
    for (const c of costs) {
      const sold = payers.findIndex((u) => u.id === c.user_id) < 4;
      if (sold) continue; // sale order within the burst decides how much of the basis it took
      expect(new Decimal(c.quantity).eq(bought)).toBe(true);
      expect(new Decimal(c.cost).eq('20.02')).toBe(true);
    }

    const reconcile = await runReconcile(db.url);
    expect(reconcile.code).toBe(0);
  });

  it('posts a burst of orders that all can pay for in fewer statements than orders, none refused', async () => {
    const before = await batchMetrics(app);
    const replies = await whileTreasuryHeld(() => Promise.all(payers.flatMap((u) => [order(u, buy20), order(u, buy20)])));
    for (const r of replies) expect(r.status).toBe(201);
    const ids = new Set(replies.map((r) => r.body.order.id as string));
    expect(ids.size).toBe(16);

    const after = await batchMetrics(app);
    expect(after.orders - before.orders).toBe(16);
    expect(after.statements - before.statements).toBeLessThan(16);
    expect(after.fallbacks).toBe(before.fallbacks);

    // Every order was posted exactly once: one journal, one filled row each.
    const [counts] = await db.query<{ orders: number; journals: number }>(
      `SELECT (SELECT count(*)::int FROM orders WHERE id = ANY($1) AND status = 'filled') AS orders,
              (SELECT count(*)::int FROM ledger_journals WHERE reference = ANY($2)) AS journals`,
      [[...ids], [...ids].map((id) => `order:${id}:fill`)],
    );
    expect(counts).toEqual({ orders: 16, journals: 16 });
    const reconcile = await runReconcile(db.url);
    expect(reconcile.code).toBe(0);
  });
});
