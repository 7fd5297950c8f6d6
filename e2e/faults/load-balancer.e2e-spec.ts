import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { REDIS_URL } from '../support/env';
import { createUser, TestUser, uniqueEmail } from '../support/factories';
import { FakeCoinGecko } from '../support/fakes/coingecko';
import { fund, runReconcile, waitForPrices } from '../support/money';
import { Nginx } from '../support/nginx';
import { SmtpSink } from '../support/smtp';
import { waitFor } from '../support/wait';
import { openUserSocket, TestSocket, wsUrl } from '../support/ws-client';

jest.setTimeout(180_000);

type Prices = Record<string, { price: string; timestamp: string }>;

/**
 * The production shape: two instances on one PostgreSQL and one Redis behind
 * nginx (round robin, WebSocket upgrade on /ws). The two-instance behaviour
 * without a proxy is covered by prices-cluster, money-triggers and
 * alerts-trigger; this suite proves it holds through the load balancer.
 */
describe('faults: two instances behind nginx', () => {
  let db: TestDatabase;
  let mail: SmtpSink;
  let cg: FakeCoinGecko;
  let a: RunningApp;
  let b: RunningApp;
  let lb: Nginx;
  let admin: TestUser;
  let trader: TestUser;
  const sockets: TestSocket[] = [];
  /** The three ways in: each instance directly, and the load balancer. */
  let targets: { name: string; url: string }[];

  beforeAll(async () => {
    [db, mail, cg] = await Promise.all([createTestDatabase(), SmtpSink.start(), new FakeCoinGecko().start()]);
    cg.setPrice('bitcoin', '100000');
    // RATE_LIMIT_SCALE 2: password-reset mails 4/min per address mailed. TRUST_PROXY: the client IP from nginx's X-Forwarded-For.
    const env = suiteEnv(db.url, {
      SMTP_URL: mail.url,
      PRICE_SOURCES: 'coingecko',
      COINGECKO_BASE_URL: cg.url,
      COINGECKO_POLL_MS: '150',
      RATE_LIMIT_SCALE: '2',
      TRUST_PROXY: 'loopback',
    });
    [a, b] = await Promise.all([startApp(env), startApp(env)]);
    lb = await Nginx.loadBalancer([`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`]);
    targets = [
      { name: 'A', url: a.url },
      { name: 'B', url: b.url },
      { name: 'nginx', url: lb.url },
    ];
    admin = await createUser(a, mail, { admin: true });
    trader = await createUser(b, mail);
    await fund(a, admin, trader, 'USD', '5000');
    await Promise.all([waitForPrices(a), waitForPrices(b)]);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await lb?.stop();
    await Promise.all([a?.stop(), b?.stop()]);
    await Promise.all([db?.drop(), mail?.stop(), cg?.stop()]);
  });

  /** A /ws/user socket of `user`, or a /ws/prices socket without one. */
  const open = async (url: string, user?: TestUser): Promise<TestSocket> => {
    const s = user ? await openUserSocket(url, user.accessToken) : await TestSocket.open(wsUrl(url, '/ws/prices'));
    sockets.push(s);
    return s;
  };
  /** Which instance logged a request id. */
  const servedBy = (requestId: string): string => [a.output().includes(requestId) ? 'A' : '', b.output().includes(requestId) ? 'B' : ''].join('');

  it('spreads requests round robin over both instances', async () => {
    const ids = Array.from({ length: 6 }, () => `lb-${randomBytes(6).toString('hex')}`);
    // A 404 is logged at info level with its request id (successes only at debug), so the logs tell who answered.
    for (const id of ids) await request(lb.url).get('/api/no-such-route').set('X-Request-Id', id).expect(404);
    await waitFor(() => ids.every((id) => servedBy(id).length === 1), 5_000, 'every request in one log');
    const by = ids.map(servedBy);
    expect(by.filter((x) => x === 'A').length).toBe(3);
    expect(by.filter((x) => x === 'B').length).toBe(3);
  });

  it('honours a session made on one instance on the other and through nginx, and a logout on one revokes it everywhere', async () => {
    const login = await request(a.url)
      .post('/api/auth/login')
      .set('X-Forwarded-For', '192.0.2.10')
      .send({ email: trader.email, password: trader.password })
      .expect(200);
    const session = { Authorization: `Bearer ${login.body.accessToken as string}` };
    // Twice through nginx: once per instance.
    for (const { url } of [...targets, targets[2]]) expect((await request(url).get('/api/auth/me').set(session).expect(200)).body.user.id).toBe(trader.id);
    const refreshed = await request(lb.url).post('/api/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(200);

    await request(b.url).post('/api/auth/logout').set(session).expect(200);
    for (const { url } of [...targets, targets[2]])
      expect((await request(url).get('/api/auth/me').set(session).expect(401)).body.error.code).toBe('TOKEN_REVOKED');
    // The whole session ended: the token from the refresh made through nginx too.
    await request(a.url)
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${refreshed.body.accessToken as string}`)
      .expect(401);
    await request(lb.url).post('/api/auth/refresh').send({ refreshToken: refreshed.body.refreshToken }).expect(401);
  });

  it('counts a rate limit across both instances: the limit is reached by requests spread over them', async () => {
    const email = uniqueEmail('lb-reset');
    const ip = '192.0.2.77';
    // Password-reset mails: 2 × 2 a minute per address mailed, spread over A, B and nginx in turn.
    const allowed = 4;
    const statuses: string[] = [];
    for (let i = 0; i < allowed + 3; i++) {
      const { name, url } = targets[i % 3];
      const res = await request(url).post('/api/auth/forgot-password').set('X-Forwarded-For', ip).send({ email });
      statuses.push(`${name}:${res.status}`);
      if (res.status === 429) expect(res.body.error.code).toBe('RATE_LIMITED');
    }
    // Each instance alone served fewer than the limit: only a shared count refuses the next attempt, on whichever instance it lands.
    expect(statuses).toEqual(statuses.map((s, i) => `${s.split(':')[0]}:${i < allowed ? 200 : 429}`));
    expect(
      statuses
        .filter((s) => s.endsWith(':429'))
        .map((s) => s.split(':')[0])
        .sort(),
    ).toEqual(expect.arrayContaining(['A', 'B', 'nginx']));
    const redis = new Redis(REDIS_URL);
    try {
      // The count lives in the shared store.
      expect(Number(await redis.get(`${a.env.REDIS_PREFIX}rl:emailAction:acct:${email}`))).toBeGreaterThanOrEqual(allowed);
    } finally {
      redis.disconnect();
    }
  });

  it('delivers price ticks to /ws/prices clients of each instance and through nginx', async () => {
    const clients = await Promise.all([a.url, b.url, lb.url, lb.url].map((u) => open(u)));
    cg.setPrice('bitcoin', '100123.45');
    // Ingested once by the leader and fanned out through Redis; each socket gets at most one update a second,
    // so they sample different ticks (prices-cluster compares timestamps): here every one of them must see the move.
    await Promise.all(clients.map((c) => c.next((m) => m.type === 'price_update' && Number((m.prices as Prices).BTC?.price) === 100123.45, 10_000)));
  });

  it('fills a limit order crossed by a tick exactly once and fires an alert exactly once, and user sockets on each instance hear each once', async () => {
    await waitFor(async () => (await request(lb.url).get('/api/prices/BTC')).body.price?.startsWith('100123.45'), 10_000, 'BTC at 100123.45 through nginx');
    const [onA, onB, viaLb1, viaLb2] = await Promise.all([a.url, b.url, lb.url, lb.url].map((u) => open(u, trader)));
    const placed = await request(lb.url)
      .post('/api/orders')
      .set(trader.auth)
      .set('Idempotency-Key', 'lb-limit-1')
      .send({ symbol: 'BTC', side: 'buy', type: 'limit', quantity: '0.01', limitPrice: '99000' })
      .expect(201);
    const orderId = placed.body.order.id as string;
    const alert = await request(lb.url)
      .post('/api/alerts')
      .set(trader.auth)
      .send({ symbol: 'BTC', condition: 'below', targetPrice: '99500', notifyEmail: true })
      .expect(201);
    // Both instances index the new order and alert before the price moves.
    await new Promise((r) => setTimeout(r, 800));

    cg.setPrice('bitcoin', '98000');
    const isFill = (m: { type: string; data?: unknown }) => m.type === 'order_filled' && (m.data as { order: { id: string } }).order.id === orderId;
    const isAlert = (m: { type: string; data?: unknown }) => m.type === 'alert_triggered' && (m.data as { alert: { id: string } }).alert.id === alert.body.id;
    for (const s of [onA, onB, viaLb1, viaLb2]) {
      await s.next(isFill, 10_000);
      await s.next(isAlert, 10_000);
    }
    await mail.waitFor(trader.email, (m) => m.subject === 'BTC is below $99,500.00');

    // More crossing ticks change nothing.
    cg.setPrice('bitcoin', '97000');
    await new Promise((r) => setTimeout(r, 1_500));
    for (const s of [onA, onB, viaLb1, viaLb2]) {
      expect(s.messages.filter((e) => isFill(e.msg))).toHaveLength(1);
      expect(s.messages.filter((e) => isAlert(e.msg))).toHaveLength(1);
    }
    const fills = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ledger_journals WHERE reference = $1`, [`order:${orderId}:fill`]);
    expect(fills[0].n).toBe('1');
    const order = await request(a.url).get(`/api/orders/${orderId}`).set(trader.auth).expect(200);
    expect(order.body.order).toMatchObject({ status: 'filled', filledPrice: expect.stringMatching(/^98000(\.0+)?$/) });
    const list = await request(lb.url).get('/api/notifications').set(trader.auth).expect(200);
    const types = (list.body.items as { type: string; data: { order?: { id: string }; alert?: { id: string } } }[]).map((n) => n.type);
    expect(types.filter((t) => t === 'alert_triggered')).toHaveLength(1);
    expect(types.filter((t) => t === 'order_filled')).toHaveLength(1);
    expect(mail.messages.filter((m) => m.subject === 'BTC is below $99,500.00')).toHaveLength(1);
    expect((await runReconcile(db.url)).code).toBe(0);
  });
});
