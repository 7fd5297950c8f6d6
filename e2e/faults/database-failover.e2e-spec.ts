import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../support/app';
import { createUser, TestUser } from '../support/factories';
import { balanceOf, fund, runReconcile, waitForPrices } from '../support/money';
import { ReplicatedPostgres } from '../support/private-replica';
import { SmtpSink } from '../support/smtp';
import { TcpProxy } from '../support/tcp-proxy';
import { waitFor } from '../support/wait';

jest.setTimeout(300_000);

const CLIENTS = 8;
const ORDERS_PER_CLIENT = 40;
/** The primary dies once this many orders were acknowledged: a quarter into the storm. */
const CRASH_AFTER_ACKS = 80;
const FUNDING = '1000';
const BODY = { symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '5' };

interface Answer {
  key: string;
  client: number;
  status: number;
  orderId?: string;
  code?: string;
  attempts: number;
  /** Answered once the app was on the promoted standby. */
  afterFailover: boolean;
}

/**
 * The failover drill of docs/runbooks/database-failover.md: the app runs on a
 * private primary that replicates synchronously to one standby, through a TCP
 * proxy standing for what production puts in front of PostgreSQL (PgBouncer,
 * HAProxy, a virtual IP). The primary dies in the middle of an order storm; the
 * operator promotes the standby and repoints the proxy. The app is never
 * restarted: its pool must drop the dead connections and make new ones, and
 * its clients retry what was not answered with the same Idempotency-Key.
 * Every order the app acknowledged must be on the new primary exactly once.
 */
describe('faults: the PostgreSQL primary dies mid-order-storm and its synchronous standby is promoted', () => {
  let pg: ReplicatedPostgres;
  let proxy: TcpProxy;
  let mail: SmtpSink;
  let app: RunningApp;
  let admin: TestUser;
  let traders: TestUser[];

  beforeAll(async () => {
    mail = await SmtpSink.start();
    pg = await ReplicatedPostgres.create();
    proxy = await TcpProxy.start(pg.primary.port);
    app = await startApp(suiteEnv(`postgres://postgres@127.0.0.1:${proxy.port}/cryptovault`, { SMTP_URL: mail.url }));
    admin = await createUser(app, mail, { admin: true });
    traders = [];
    for (let i = 0; i < CLIENTS; i++) traders.push(await createUser(app, mail));
    for (const t of traders) await fund(app, admin, t, 'USD', FUNDING);
    await waitForPrices(app);
  });
  afterAll(async () => {
    await app?.stop();
    await proxy?.stop();
    await mail?.stop();
    await pg?.destroy();
  });

  it('keeps every acknowledged order exactly once on the promoted standby, and the app carries on without a restart', async () => {
    expect(await pg.replication()).toEqual({ application_name: 'replica1', state: 'streaming', sync_state: 'sync' });
    const pid = app.process.pid;
    const answers: Answer[] = [];
    /** Every answer that was not definitive (a 5xx), retried with the same key. */
    const transient: number[] = [];
    let failedOver = false;
    let crashedAt = 0;
    let failover: Promise<void> | undefined;

    /** Sends one order until the app answers 2xx or 4xx; a 5xx or a dropped connection is retried with the same key. */
    const place = async (trader: TestUser, client: number, key: string): Promise<Answer> => {
      for (let attempts = 1; ; attempts++) {
        try {
          const res = await fetch(`${app.url}/api/orders`, {
            method: 'POST',
            headers: { ...trader.auth, 'Content-Type': 'application/json', 'Idempotency-Key': key },
            body: JSON.stringify(BODY),
            signal: AbortSignal.timeout(20_000),
          });
          const json = (await res.json().catch(() => ({}))) as { order?: { id: string }; error?: { code: string } };
          if (res.status < 500)
            return { key, client, status: res.status, orderId: json.order?.id, code: json.error?.code, attempts, afterFailover: failedOver };
          transient.push(res.status);
        } catch {
          /* the answer was lost on the way: retried like any other */
        }
        if (attempts > 600) throw new Error(`order ${key} never answered`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    const failOver = async (): Promise<void> => {
      // The primary dies as in a crash: sessions dropped, transactions in flight (some waiting in COMMIT for the
      // standby's flush) never answered.
      crashedAt = Date.now();
      await pg.primary.crash();
      // Detection: the app's readiness reports the database down (the DatabaseDown alert's signal).
      await waitFor(async () => (await request(app.url).get('/api/health')).status === 503, 20_000, 'readiness to report the database down');
      // The runbook: promote the standby, clear its synchronous_standby_names, point the proxy at it.
      await pg.promoteStandby();
      proxy.repoint(pg.standby.port);
      failedOver = true;
    };

    const client = async (trader: TestUser, c: number): Promise<void> => {
      for (let i = 0; i < ORDERS_PER_CLIENT; i++) {
        answers.push(await place(trader, c, `failover-${c}-${i}`));
        if (!failover && answers.length >= CRASH_AFTER_ACKS) failover = failOver();
      }
    };
    await Promise.all(traders.map((t, c) => client(t, c)));
    await failover;

    // The drill happened mid-storm and the app rode it out by itself.
    expect(failedOver).toBe(true);
    expect(proxy.target).toBe(pg.standby.port);
    expect(app.process.pid).toBe(pid);
    expect(app.process.exitCode).toBeNull();
    expect(answers).toHaveLength(CLIENTS * ORDERS_PER_CLIENT);
    // Every order was filled in the end (none refused), and while the database was unreachable the app answered
    // 503 SERVICE_UNAVAILABLE (retry), never a 500.
    expect(answers.filter((a) => a.status !== 201)).toEqual([]);
    expect(transient.length).toBeGreaterThan(0);
    expect(transient.filter((s) => s !== 503)).toEqual([]);
    expect(answers.some((a) => a.attempts > 1)).toBe(true);
    expect(answers.filter((a) => !a.afterFailover).length).toBeGreaterThanOrEqual(CRASH_AFTER_ACKS);
    expect(answers.filter((a) => a.afterFailover).length).toBeGreaterThan(0);

    // The new primary accepts writes; the old one stays down (it is never started again: that would be two primaries).
    expect(await pg.standby.query(`SELECT pg_is_in_recovery() AS recovering`)).toEqual([{ recovering: false }]);
    await expect(pg.primary.query('SELECT 1')).rejects.toThrow();

    // 0 lost, 0 duplicated: the orders on the new primary are exactly the acknowledged ones, each once, each filled,
    // each with one trade journal; every key has one row naming the order it acknowledged.
    const userIds = traders.map((t) => t.id);
    const ackedIds = answers.map((a) => a.orderId!);
    const stored = await pg.standby.query<{ id: string; status: string; created_ms: number }>(
      `SELECT id, status, (extract(epoch FROM created_at) * 1000)::float8 AS created_ms FROM orders WHERE user_id = ANY($1::uuid[])`,
      [userIds],
    );
    const storedIds = new Set(stored.map((o) => o.id));
    const lost = ackedIds.filter((id) => !storedIds.has(id));
    const duplicated = stored.length - storedIds.size + (ackedIds.length - new Set(ackedIds).size);
    const unacknowledged = stored.filter((o) => !ackedIds.includes(o.id));
    // Committed on the old primary (and on the standby) but never answered: the crash hid the answer, the retry got it.
    const createdAt = new Map(stored.map((o) => [o.id, o.created_ms]));
    const hidden = answers.filter((a) => a.attempts > 1 && createdAt.get(a.orderId!)! < crashedAt).length;
    console.log(
      `failover drill: ${ackedIds.length} orders acknowledged (${answers.filter((a) => !a.afterFailover).length} before the promotion), ` +
        `${lost.length} lost, ${duplicated} duplicated, ${answers.filter((a) => a.attempts > 1).length} retried ` +
        `(${hidden} of them committed before the crash and answered by their key's replay), ${transient.length} answers 503`,
    );
    expect({ lost, duplicated, unacknowledged }).toEqual({ lost: [], duplicated: 0, unacknowledged: [] });
    expect(stored.every((o) => o.status === 'filled')).toBe(true);
    const journals = await pg.standby.query<{ reference: string }>(`SELECT reference FROM ledger_journals WHERE user_id = ANY($1::uuid[]) AND type = 'trade'`, [
      userIds,
    ]);
    expect(journals.map((j) => j.reference).sort()).toEqual(ackedIds.map((id) => `order:${id}:fill`).sort());
    const keys = await pg.standby.query<{ key: string; n: string; order_id: string | null }>(
      `SELECT key, count(*)::text AS n, max(response->'order'->>'id') AS order_id FROM idempotency_keys
        WHERE user_id = ANY($1::uuid[]) AND scope = 'orders.create' GROUP BY key`,
      [userIds],
    );
    expect(keys).toHaveLength(CLIENTS * ORDERS_PER_CLIENT);
    expect(keys.filter((k) => k.n !== '1')).toEqual([]);
    const byKey = new Map(keys.map((k) => [k.key, k.order_id]));
    expect(answers.filter((a) => byKey.get(a.key) !== a.orderId)).toEqual([]);

    // A key acknowledged by the old primary replays its first answer from the new one.
    const early = answers.find((a) => !a.afterFailover && a.attempts === 1)!;
    const replay = await request(app.url).post('/api/orders').set(traders[early.client].auth).set('Idempotency-Key', early.key).send(BODY).expect(201);
    expect(replay.body.order.id).toBe(early.orderId);

    // Each trader's balance is what their fills say: the funding less each fill's amount and fee.
    for (const t of traders) {
      const [expected] = await pg.standby.query<{ usd: string; btc: string }>(
        `SELECT (${FUNDING} - coalesce(sum(quote_amount + fee), 0))::numeric(38,2)::text AS usd, trim_scale(coalesce(sum(quantity), 0))::text AS btc
           FROM orders WHERE user_id = $1 AND status = 'filled'`,
        [t.id],
      );
      expect(await balanceOf(app, t, 'USD')).toMatchObject({ available: expected.usd, locked: '0.00' });
      expect((await balanceOf(app, t, 'BTC')).available.replace(/\.?0+$/, '')).toBe(expected.btc);
    }

    // The ledger's invariants hold on the new primary.
    const reconcile = await runReconcile(pg.standby.url);
    expect({ code: reconcile.code, output: reconcile.output }).toEqual({ code: 0, output: expect.any(String) });
    // A failover is an expected event: warnings (dependency unavailable, notifications lost), no error logged for it.
    const errors = app.output().match(/^.*"level":(50|60).*$/gm) ?? [];
    expect(errors.filter((line) => /Connection terminated|not queryable|trying to connect|terminating connection|ECONN|57P0|recovery/i.test(line))).toEqual([]);
  });

  it('is fully healthy on the new primary: readiness, a new login, a new order, the auth cache listening again', async () => {
    await waitFor(async () => (await request(app.url).get('/api/health')).status === 200, 20_000, 'readiness on the new primary');
    expect((await request(app.url).get('/api/health')).body.components.database).toMatchObject({ status: 'up', kind: 'postgres' });

    const trader = traders[0];
    const login = await request(app.url).post('/api/auth/login').send({ email: trader.email, password: trader.password }).expect(200);
    const auth = { Authorization: `Bearer ${login.body.accessToken}` };
    const order = await request(app.url).post('/api/orders').set(auth).set('Idempotency-Key', 'after-failover').send(BODY).expect(201);
    expect(order.body.order.status).toBe('filled');
    const [row] = await pg.standby.query<{ n: string }>(`SELECT count(*)::text AS n FROM orders WHERE id = $1`, [order.body.order.id]);
    expect(row.n).toBe('1');

    // The auth cache's LISTEN connection (outside the pool) found its way to the new primary by itself.
    await waitFor(
      async () =>
        (await pg.standby.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'cryptovault-auth-cache' AND query = 'LISTEN user_auth_changed'`))
          .length === 1,
      20_000,
      'the auth cache listening on the new primary',
    );
    // A session the cache holds, ended by SQL on the new primary (as an operator would), is refused well within the
    // cache's 30 s safety TTL: the new primary's notification reached the app.
    await request(app.url).get('/api/wallet/balance').set(auth).expect(200);
    await pg.standby.query(`UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [trader.id]);
    await waitFor(async () => (await request(app.url).get('/api/wallet/balance').set(auth)).status === 401, 10_000, 'the revoked session refused');
  });
});
