import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../support/app';
import { createUser, TestUser } from '../support/factories';
import { fund, runReconcile, waitForPrices } from '../support/money';
import { PrivatePostgres } from '../support/private-postgres';
import { SmtpSink } from '../support/smtp';
import { waitFor } from '../support/wait';

jest.setTimeout(180_000);

const UNAVAILABLE = { code: 'SERVICE_UNAVAILABLE', message: 'A service we depend on is unavailable; please retry shortly' };

/** One app on a PostgreSQL cluster of this suite's own, which the tests stop and start under it. */
describe('faults: PostgreSQL goes away and comes back under a running app', () => {
  let pg: PrivatePostgres;
  let mail: SmtpSink;
  let app: RunningApp;
  let admin: TestUser;
  let trader: TestUser;

  beforeAll(async () => {
    [pg, mail] = await Promise.all([PrivatePostgres.create(), SmtpSink.start()]);
    app = await startApp(suiteEnv(pg.url, { SMTP_URL: mail.url }));
    admin = await createUser(app, mail, { admin: true });
    trader = await createUser(app, mail);
    await fund(app, admin, trader, 'USD', '500');
    await waitForPrices(app);
  });
  afterAll(async () => {
    await app?.stop();
    await mail?.stop();
    await pg?.destroy();
  });

  const health = () => request(app.url).get('/api/health');

  it('answers 503 SERVICE_UNAVAILABLE in the error shape while the database is down, and reports it in readiness', async () => {
    await request(app.url).get('/api/wallet/balance').set(trader.auth).expect(200);
    await pg.stop();

    const balance = await request(app.url).get('/api/wallet/balance').set(trader.auth);
    expect(balance.status).toBe(503);
    expect(balance.headers['retry-after']).toBe('5');
    expect(balance.body).toEqual({ statusCode: 503, error: UNAVAILABLE, requestId: expect.any(String) });
    expect(balance.text).not.toMatch(/ECONNREFUSED|at .*\.js|stack/i);

    const order = await request(app.url)
      .post('/api/orders')
      .set(trader.auth)
      .set('Idempotency-Key', 'pg-down-1')
      .send({ symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '10' });
    expect(order.status).toBe(503);
    expect(order.body).toEqual({ statusCode: 503, error: UNAVAILABLE, requestId: expect.any(String) });

    const login = await request(app.url).post('/api/auth/login').send({ email: trader.email, password: trader.password });
    expect(login.status).toBe(503);
    expect(login.body.error).toEqual(UNAVAILABLE);

    const ready = await health().expect(503);
    expect(ready.body).toMatchObject({ status: 'down', components: { database: { status: 'down', kind: 'postgres' }, redis: { status: 'up' } } });
    // The process itself is alive, and what needs no database still answers (quotes are kept in memory).
    await request(app.url).get('/health').expect(200);
    expect((await request(app.url).get('/api/prices/BTC').expect(200)).body.symbol).toBe('BTC');
    expect(app.output()).not.toMatch(/"level":(50|60).*ECONNREFUSED/);
  });

  it('serves again by itself once the database is back: the pool reconnects without a restart', async () => {
    const pid = app.process.pid;
    await pg.start();
    await waitFor(async () => (await health()).status === 200, 20_000, 'readiness after PostgreSQL returned');
    expect((await health()).body.components.database).toMatchObject({ status: 'up' });

    await request(app.url).get('/api/wallet/balance').set(trader.auth).expect(200);
    // The refused order left nothing behind; the same key now places it.
    const order = await request(app.url)
      .post('/api/orders')
      .set(trader.auth)
      .set('Idempotency-Key', 'pg-down-1')
      .send({ symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '10' })
      .expect(201);
    expect(order.body.order.status).toBe('filled');
    await request(app.url).post('/api/auth/login').send({ email: trader.email, password: trader.password }).expect(200);
    expect(app.process.pid).toBe(pid);
    expect(app.process.exitCode).toBeNull();
  });

  it('rides out a quick restart of PostgreSQL under steady traffic, with no 500 on the way', async () => {
    const statuses: number[] = [];
    let stop = false;
    const traffic = (async () => {
      while (!stop) {
        statuses.push((await request(app.url).get('/api/wallet/balance').set(trader.auth)).status);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    await pg.stop();
    await new Promise((r) => setTimeout(r, 500));
    await pg.start();
    await waitFor(async () => statuses.slice(-5).length === 5 && statuses.slice(-5).every((s) => s === 200), 20_000, 'traffic served again');
    stop = true;
    await traffic;
    expect(statuses).toContain(503);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    const reconcile = await runReconcile(pg.url);
    expect(reconcile.code).toBe(0);
  });
});
