import Decimal from 'decimal.js';
import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { createUser, TestUser } from '../../support/factories';
import { FakeCoinGecko } from '../../support/fakes/coingecko';
import { fund, runReconcile, waitForPrices } from '../../support/money';
import { SmtpSink } from '../../support/smtp';

jest.setTimeout(300_000);

/** Twenty users trading at once, then cancelling their resting orders in a storm. */
describe('money: concurrent trading keeps the ledger whole', () => {
  let db: TestDatabase;
  let app: RunningApp;
  let mail: SmtpSink;
  let cg: FakeCoinGecko;
  let users: TestUser[];

  beforeAll(async () => {
    [db, mail, cg] = await Promise.all([createTestDatabase(), SmtpSink.start(), new FakeCoinGecko().start()]);
    app = await startApp(
      suiteEnv(db.url, { SMTP_URL: mail.url, PRICE_SOURCES: 'coingecko', COINGECKO_BASE_URL: cg.url, COINGECKO_POLL_MS: '200', RATE_LIMIT_SCALE: '1000' }),
    );
    const admin = await createUser(app, mail, { admin: true });
    users = [];
    for (let batch = 0; batch < 4; batch++) users.push(...(await Promise.all(Array.from({ length: 5 }, () => createUser(app, mail)))));
    await Promise.all(users.flatMap((u) => [fund(app, admin, u, 'USD', '1000'), fund(app, admin, u, 'BTC', '0.05')]));
    await waitForPrices(app);
  });
  afterAll(async () => {
    await app?.stop();
    await Promise.all([db?.drop(), mail?.stop(), cg?.stop()]);
  });

  it('runs parallel buys, sells and resting orders for 20 users with every fee in platform:fees and reconcile clean', async () => {
    const order = (u: TestUser, body: Record<string, unknown>) => request(app.url).post('/api/orders').set(u.auth).send(body);
    const replies = await Promise.all(
      users.flatMap((u) => [
        ...Array.from({ length: 4 }, () => order(u, { symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '20.02' })),
        ...Array.from({ length: 4 }, () => order(u, { symbol: 'BTC', side: 'sell', type: 'market', quantity: '0.0002' })),
        ...Array.from({ length: 2 }, () => order(u, { symbol: 'ETH', side: 'buy', type: 'limit', quantity: '0.01', limitPrice: '1000' })),
        order(u, { symbol: 'BTC', side: 'sell', type: 'limit', quantity: '0.001', limitPrice: '500000' }),
        // More than the user has: refused, and nothing moves.
        order(u, { symbol: 'BTC', side: 'buy', type: 'market', quantity: '1' }),
      ]),
    );
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(20 * 11);
    expect(statuses.filter((s) => s === 422)).toHaveLength(20);

    const [fees] = await db.query<{ balance: string; charged: string; entries: string; shards: number; treasuryShards: number }>(`
      SELECT (SELECT sum(available)::text FROM balances WHERE account = 'platform:fees' AND asset = 'USD') AS balance,
             (SELECT count(*)::int FROM balances WHERE account = 'platform:fees' AND asset = 'USD') AS shards,
             (SELECT count(*)::int FROM balances WHERE account = 'platform:treasury' AND asset = 'BTC') AS "treasuryShards",
             (SELECT sum(fee)::text FROM orders WHERE status = 'filled') AS charged,
             (SELECT sum(amount)::text FROM ledger_entries WHERE account = 'platform:fees' AND kind = 'fee') AS entries`);
    // 80 buys of 20.00 and 80 sells of 0.0002 × 104250 = 20.85, each paying 0.1 %.
    expect(new Decimal(fees.charged).toFixed()).toBe(new Decimal('0.02').mul(80).add(new Decimal('0.02085').mul(80)).toFixed());
    expect(new Decimal(fees.balance).eq(fees.charged)).toBe(true);
    expect(new Decimal(fees.entries).eq(fees.charged)).toBe(true);
    // The trades wrote the platform rows round-robin over LEDGER_PLATFORM_SHARDS (16) rows: spread, never more rows than
    // that. Not always all 16: orders that arrive together post as one batch on one shard (15 seen once on 2 cores).
    for (const rows of [fees.shards, fees.treasuryShards]) {
      expect(rows).toBeGreaterThan(1);
      expect(rows).toBeLessThanOrEqual(16);
    }

    const reconcile = await runReconcile(db.url);
    expect(reconcile.output).toContain('reconcile: ledger and balances agree');
    expect(reconcile.code).toBe(0);
  });

  it('cancels each open order exactly once when three cancels race for it, releasing every reservation', async () => {
    const open = await db.query<{ id: string; user_id: string }>(`SELECT id, user_id FROM orders WHERE status = 'open'`);
    expect(open).toHaveLength(20 * 3);
    const byId = new Map(users.map((u) => [u.id, u]));
    const attempts = await Promise.all(
      open.flatMap((o) =>
        Array.from({ length: 3 }, async () => {
          const res = await request(app.url).delete(`/api/orders/${o.id}`).set(byId.get(o.user_id)!.auth);
          return { id: o.id, status: res.status, code: res.body?.error?.code as string | undefined };
        }),
      ),
    );
    for (const o of open) {
      const mine = attempts.filter((a) => a.id === o.id);
      expect(mine.filter((a) => a.status === 200)).toHaveLength(1);
      expect(mine.filter((a) => a.status === 409 && a.code === 'INVALID_STATE')).toHaveLength(2);
    }
    const locked = await db.query(`SELECT account, asset, locked FROM balances WHERE locked <> 0`);
    expect(locked).toEqual([]);
    const releases = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ledger_journals WHERE type = 'order_cancel'`);
    expect(releases[0].n).toBe(String(open.length));

    const reconcile = await runReconcile(db.url);
    expect(reconcile.code).toBe(0);
  });
});
