import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { createUser, TestUser } from '../support/factories';
import { balanceOf, fund, runReconcile, waitForPrices } from '../support/money';
import { SmtpSink } from '../support/smtp';
import { waitFor } from '../support/wait';

jest.setTimeout(240_000);

const CLIENTS = 6;
const ORDERS_PER_CLIENT = 12;
const KILL_AFTER_ACKS = 25;

interface Ack {
  key: string;
  status: number;
  orderId?: string;
  code?: string;
}

/**
 * `kill -9` of the backend in the middle of an order storm: every client
 * retries what was not answered with the same Idempotency-Key until it gets
 * a definitive answer, as a mobile client on a flaky network would.
 */
describe('faults: the backend is SIGKILLed during an order storm and restarted on the same database', () => {
  let db: TestDatabase;
  let mail: SmtpSink;
  let app: RunningApp;
  let admin: TestUser;
  let traders: TestUser[];

  beforeAll(async () => {
    [db, mail] = await Promise.all([createTestDatabase(), SmtpSink.start()]);
    // A short leader lease, so the restarted process takes over price ingestion from its dead self quickly.
    app = await startApp(suiteEnv(db.url, { SMTP_URL: mail.url, PRICE_LEADER_LEASE_MS: '1500', PRICE_MAX_AGE_MS: '5000' }));
    admin = await createUser(app, mail, { admin: true });
    traders = [];
    for (let i = 0; i < CLIENTS; i++) traders.push(await createUser(app, mail));
    for (const t of traders) await fund(app, admin, t, 'USD', '1000');
    await waitForPrices(app);
  });
  afterAll(async () => {
    await app?.stop();
    await Promise.all([db?.drop(), mail?.stop()]);
  });

  /** Sends one order until the server answers with a 2xx or a 4xx; network errors and 5xx are retried with the same key. */
  async function sendUntilAnswered(trader: TestUser, key: string, body: Record<string, string>): Promise<Ack & { attempts: number }> {
    for (let attempts = 1; ; attempts++) {
      try {
        const res = await fetch(`${app.url}/api/orders`, {
          method: 'POST',
          headers: { ...trader.auth, 'Content-Type': 'application/json', 'Idempotency-Key': key },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(15_000),
        });
        const json = (await res.json().catch(() => ({}))) as { order?: { id: string }; error?: { code: string } };
        if (res.status < 500) return { key, status: res.status, orderId: json.order?.id, code: json.error?.code, attempts };
      } catch {
        /* connection refused or reset: the process is down or just died */
      }
      if (attempts > 600) throw new Error(`order ${key} never answered`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('keeps every acknowledged order exactly once, answers retries with the first response, and the ledger reconciles', async () => {
    const acks: (Ack & { attempts: number })[] = [];
    let killed = false;
    let restarted: Promise<void> | undefined;
    const firstPid = app.process.pid;
    const body = { symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '10' };

    const client = async (trader: TestUser, c: number): Promise<void> => {
      for (let i = 0; i < ORDERS_PER_CLIENT; i++) {
        acks.push(await sendUntilAnswered(trader, `storm-${c}-${i}`, body));
        if (!killed && acks.length >= KILL_AFTER_ACKS) {
          killed = true;
          // The crash: no shutdown hooks, requests of the other clients in flight die with it.
          restarted = app.kill().then(async () => {
            app = await startApp(app.env);
          });
        }
      }
    };
    await Promise.all(traders.map((t, c) => client(t, c)));
    await restarted;
    expect(killed).toBe(true);
    expect(app.process.exitCode).toBeNull();
    expect(app.process.pid).not.toBe(firstPid);

    // Every order got a definitive answer: a fill, or (only while the restarted process had no fresh price yet) PRICE_STALE.
    expect(acks).toHaveLength(CLIENTS * ORDERS_PER_CLIENT);
    for (const a of acks) {
      if (a.status !== 201) expect({ key: a.key, status: a.status, code: a.code }).toEqual({ key: a.key, status: 422, code: 'PRICE_STALE' });
    }
    const filled = acks.filter((a) => a.status === 201);
    // Those answered before the crash were fills; after it, the storm may end before the restarted process has a fresh
    // price (on a loaded machine it often does): that it trades again is checked once the storm is over, below.
    expect(filled.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    // Some requests were in flight or refused while the process was down, and were retried.
    expect(acks.some((a) => a.attempts > 1)).toBe(true);
    console.log(`storm: ${filled.length} filled, ${acks.length - filled.length} refused PRICE_STALE, ${acks.filter((a) => a.attempts > 1).length} retried`);

    // Each acknowledged order exists once, under its own id; no order exists that nobody was told about.
    const ackedIds = filled.map((a) => a.orderId!);
    expect(new Set(ackedIds).size).toBe(ackedIds.length);
    const userIds = traders.map((t) => t.id);
    const stored = await db.query<{ id: string; status: string }>(`SELECT id, status FROM orders WHERE user_id = ANY($1::uuid[])`, [userIds]);
    expect(stored.map((o) => o.id).sort()).toEqual([...ackedIds].sort());
    expect(stored.every((o) => o.status === 'filled')).toBe(true);
    const keys = await db.query<{ key: string; n: string; order_id: string | null }>(
      `SELECT key, count(*)::text AS n, max(response->'order'->>'id') AS order_id FROM idempotency_keys
        WHERE user_id = ANY($1::uuid[]) AND scope = 'orders.create' GROUP BY key`,
      [userIds],
    );
    expect(keys).toHaveLength(CLIENTS * ORDERS_PER_CLIENT);
    expect(keys.every((k) => k.n === '1')).toBe(true);
    const byKey = new Map(keys.map((k) => [k.key, k.order_id]));
    for (const a of filled) expect(byKey.get(a.key)).toBe(a.orderId);

    // A replay after the crash returns the first response (the key lives in PostgreSQL, not in the dead process).
    const firstKey = filled.find((a) => a.key === 'storm-0-0')!;
    const replay = await request(app.url).post('/api/orders').set(traders[0].auth).set('Idempotency-Key', 'storm-0-0').send(body).expect(201);
    expect(replay.body.order.id).toBe(firstKey.orderId);

    // Balances are what the fills say: 1000 USD minus each fill's notional and fee; BTC the sum of the quantities.
    for (const t of traders) {
      const [expected] = await db.query<{ usd: string; btc: string }>(
        `SELECT (1000 - coalesce(sum(quote_amount + fee), 0))::numeric(38,2)::text AS usd, trim_scale(coalesce(sum(quantity), 0))::text AS btc
           FROM orders WHERE user_id = $1 AND status = 'filled'`,
        [t.id],
      );
      expect(await balanceOf(app, t, 'USD')).toMatchObject({ available: expected.usd, locked: '0.00' });
      expect((await balanceOf(app, t, 'BTC')).available.replace(/\.?0+$/, '')).toBe(expected.btc);
    }

    // The restarted process trades again once its prices are fresh.
    await waitForPrices(app);
    const after = await request(app.url).post('/api/orders').set(traders[0].auth).set('Idempotency-Key', 'after-the-restart').send(body).expect(201);
    expect(after.body.order.status).toBe('filled');

    const reconcile = await runReconcile(db.url);
    expect({ code: reconcile.code, output: reconcile.output }).toEqual({ code: 0, output: expect.any(String) });
    await waitFor(async () => (await request(app.url).get('/api/health')).status === 200, 10_000, 'the restarted process to be ready');
  });
});
