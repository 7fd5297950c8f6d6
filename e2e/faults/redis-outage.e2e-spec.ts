import { Redis } from 'ioredis';
import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { createUser, TestUser, uniqueEmail } from '../support/factories';
import { fund, waitForPrices } from '../support/money';
import { PrivateRedis } from '../support/private-redis';
import { SmtpSink } from '../support/smtp';
import { waitFor } from '../support/wait';
import { openUserSocket, TestSocket, wsUrl } from '../support/ws-client';

jest.setTimeout(180_000);

const INGESTS = 'this instance ingests prices';
/** Whether the instance's log says it ingests now (its last election line is a start, not a stop). */
const leading = (app: RunningApp): boolean => app.output().lastIndexOf(INGESTS) > app.output().lastIndexOf('this instance stops ingesting prices');
type Prices = Record<string, { price: string; timestamp: string }>;

/**
 * Two instances on a Redis of this suite's own, which is SIGKILLed and later
 * started again, empty (no persistence), as a crashed cache would be. It requires
 * a password, as in production (docker/compose.yml): the instances authenticate
 * with the credentials in REDIS_URL, again on every reconnect.
 */
describe('faults: Redis dies under two running instances and comes back empty', () => {
  let db: TestDatabase;
  let mail: SmtpSink;
  let redis: PrivateRedis;
  let a: RunningApp;
  let b: RunningApp;
  let admin: TestUser;
  let trader: TestUser;
  const sockets: TestSocket[] = [];
  let userSocketOnB: TestSocket;
  /** Opened on A while Redis was down. */
  let lateSocketOnA: TestSocket;

  beforeAll(async () => {
    [db, mail, redis] = await Promise.all([createTestDatabase(), SmtpSink.start(), PrivateRedis.start({ password: 'fault-suite-redis-password' })]);
    // RATE_LIMIT_SCALE 2: password-reset mails 4/min per address mailed. TRUST_PROXY: tests pick their client IP with X-Forwarded-For.
    const env = suiteEnv(db.url, {
      SMTP_URL: mail.url,
      REDIS_URL: redis.url,
      RATE_LIMIT_SCALE: '2',
      TRUST_PROXY: 'loopback',
      PRICE_LEADER_LEASE_MS: '1500',
      PRICE_MAX_AGE_MS: '3000',
    });
    a = await startApp(env);
    await waitFor(() => a.output().includes(INGESTS), 15_000, 'instance A to lead');
    b = await startApp(env);
    admin = await createUser(a, mail, { admin: true });
    trader = await createUser(b, mail);
    await fund(a, admin, trader, 'USD', '1000');
    await Promise.all([waitForPrices(a), waitForPrices(b)]);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await Promise.all([redis?.stop(), mail?.stop(), db?.drop()]);
  });

  /** A /ws/user socket of `user`, or a /ws/prices socket without one. */
  const open = async (url: string, user?: TestUser): Promise<TestSocket> => {
    const s = user ? await openUserSocket(url, user.accessToken) : await TestSocket.open(wsUrl(url, '/ws/prices'));
    sockets.push(s);
    return s;
  };
  const marketBuy = (app: RunningApp, key: string) =>
    request(app.url).post('/api/orders').set(trader.auth).set('Idempotency-Key', key).send({ symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '10' });
  /** Every request during the outage must be answered promptly, never left hanging on Redis. */
  const timed = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    const out = await fn();
    expect({ what, slow: Date.now() - t0 > 3_000 }).toEqual({ what, slow: false });
    return out;
  };

  it('runs on the password-protected Redis, which refuses a client without the password', async () => {
    for (const app of [a, b]) {
      const res = await request(app.url).get('/api/health').expect(200);
      expect(res.body.components.redis).toMatchObject({ status: 'up', kind: 'redis' });
    }
    // No ready check: it would itself be refused (INFO without AUTH) and close the connection before the PING.
    const anonymous = new Redis(`redis://127.0.0.1:${redis.port}`, {
      lazyConnect: true,
      enableReadyCheck: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    anonymous.on('error', () => undefined);
    try {
      await anonymous.connect();
      await expect(anonymous.ping()).rejects.toThrow(/NOAUTH/);
    } finally {
      anonymous.disconnect();
    }
  });

  it('keeps serving reads, logins, logouts, user sockets and orders on the leader while Redis is down, and reports itself degraded', async () => {
    const pricesOnA = await open(a.url);
    userSocketOnB = await open(b.url, trader);
    await redis.kill();
    const killedAt = Date.now();

    for (const app of [a, b]) {
      await waitFor(async () => (await request(app.url).get('/api/health')).body.components?.redis?.status === 'down', 10_000, 'readiness to see Redis down');
      const ready = await timed('readiness', () => request(app.url).get('/api/health').expect(200));
      expect(ready.body).toMatchObject({ status: 'degraded', components: { database: { status: 'up' }, redis: { status: 'down', kind: 'redis' } } });
      await timed('balance', () => request(app.url).get('/api/wallet/balance').set(trader.auth).expect(200));
      await timed('quote', () => request(app.url).get('/api/prices/BTC').expect(200));
    }

    // Sign in on B, sign out on A: the token is refused on both (revocation lives in PostgreSQL, not in the cache).
    const login = await timed('login', () =>
      request(b.url).post('/api/auth/login').set('X-Forwarded-For', '198.51.100.1').send({ email: trader.email, password: trader.password }).expect(200),
    );
    const session = { Authorization: `Bearer ${login.body.accessToken as string}` };
    await request(a.url).get('/api/auth/me').set(session).expect(200);
    await timed('logout', () => request(a.url).post('/api/auth/logout').set(session).expect(200));
    for (const app of [a, b]) expect((await request(app.url).get('/api/auth/me').set(session).expect(401)).body.error.code).toBe('TOKEN_REVOKED');

    // The leader keeps ingesting (nobody can take its lease meanwhile): its quotes stay fresh, its sockets get ticks, market orders fill.
    await pricesOnA.next((m) => m.type === 'price_update' && Date.parse((m.prices as Prices).BTC?.timestamp ?? '') > killedAt, 5_000);
    // A user socket opened now authenticates at once and hears what happens on its own instance.
    lateSocketOnA = await timed('user socket', () => open(a.url, trader));
    const order = await timed('order', () => marketBuy(a, 'redis-down-a-1').expect(201));
    expect(order.body.order.status).toBe('filled');
    await lateSocketOnA.next((m) => m.type === 'order_filled' && (m.data as { order: { id: string } }).order.id === order.body.order.id, 5_000);
    // B hears no ticks without Redis: once its quote is older than PRICE_MAX_AGE_MS it refuses market orders rather than trade at an old price.
    let n = 0;
    await waitFor(async () => (await marketBuy(b, `redis-down-b-${n++}`)).body.error?.code === 'PRICE_STALE', 10_000, 'B to refuse at a stale price');

    // Rate limits fall back to an in-process limiter: the password-reset mail limit (2 × 2 per minute and address mailed) still holds.
    const resets: number[] = [];
    const mailed = uniqueEmail('rl');
    for (let i = 0; i < 5; i++) {
      const res = await timed('forgot-password', () =>
        request(a.url).post('/api/auth/forgot-password').set('X-Forwarded-For', '198.51.100.2').send({ email: mailed }),
      );
      resets.push(res.status);
      if (res.status === 429) expect(res.headers['retry-after']).toMatch(/^\d+$/);
    }
    expect(resets).toEqual([200, 200, 200, 200, 429]);
    // So do the outcome budgets: accepted signups count in the process too.
    await timed('signup', () =>
      request(a.url)
        .post('/api/auth/signup')
        .set('X-Forwarded-For', '198.51.100.2')
        .send({ email: uniqueEmail('rl'), password: 'Correct-Horse-9x', name: 'Limited' })
        .expect(201),
    );
    expect(a.process.exitCode).toBeNull();
    expect(b.process.exitCode).toBeNull();
  });

  it('recovers by itself when Redis returns: readiness ok, ticks and user events cross instances again, the leader lease and rate limits are back in Redis', async () => {
    await redis.start();
    for (const app of [a, b]) {
      await waitFor(async () => (await request(app.url).get('/api/health')).body.status === 'ok', 20_000, `readiness ok on ${app.url}`);
    }
    // B's quotes are fresh again, so the ticks reach it through its old subscription: it trades again,
    // and the socket opened on A during the outage (subscribed once Redis was back) hears that order.
    const onB = await marketBuy(b, 'redis-back-b-1').expect(201);
    expect(onB.body.order.status).toBe('filled');
    await lateSocketOnA.next((m) => m.type === 'order_filled' && (m.data as { order: { id: string } }).order.id === onB.body.order.id, 10_000);

    // The socket opened on B before the outage gets an event published by A after it.
    const from = userSocketOnB.messages.length;
    const placed = await marketBuy(a, 'redis-back-a-1').expect(201);
    const event = await userSocketOnB.next(
      (m) => m.type === 'order_filled' && (m.data as { order: { id: string } }).order.id === placed.body.order.id,
      10_000,
      from,
    );
    expect(event).toMatchObject({ type: 'order_filled' });

    const client = new Redis(redis.url);
    try {
      const prefix = a.env.REDIS_PREFIX;
      await waitFor(async () => (await client.get(`${prefix}lock:prices:ingest`)) !== null, 10_000, 'the leader lease in Redis');
      await request(b.url)
        .post('/api/auth/signup')
        .set('X-Forwarded-For', '198.51.100.3')
        .send({ email: uniqueEmail('rl'), password: 'Correct-Horse-9x', name: 'Counted' })
        .expect(201);
      expect(await client.get(`${prefix}fl:signups:198.51.100.3`)).toBe('1');
    } finally {
      client.disconnect();
    }
    // Exactly one instance leads once both are back on Redis, and it stays so.
    await waitFor(() => leading(a) !== leading(b), 10_000, 'a single leader');
    const leader = leading(a) ? a : b;
    await new Promise((r) => setTimeout(r, 2_000));
    expect([leading(a), leading(b)]).toEqual([leader === a, leader === b]);
  });
});
