import request from 'supertest';
import { startApp } from '../../support/app';
import { createUser, TestUser } from '../../support/factories';
import { fund, waitForPrices } from '../../support/money';
import { useAppSuite } from '../../support/suite';
import { waitFor } from '../../support/wait';
import { TestSocket } from '../../support/ws-client';

jest.setTimeout(120_000);

const TOKEN = 'metrics-token-0123456789abcdef';

/** The value of one sample line (`name{labels} value`) of a Prometheus text exposition, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('platform: /metrics with METRICS_TOKEN set', () => {
  const suite = useAppSuite({ METRICS_TOKEN: TOKEN, LEDGER_CHECK_INTERVAL_MS: '1000' });
  let admin: TestUser;
  let alice: TestUser;

  const scrape = async (): Promise<string> => {
    const res = await request(suite.app.url).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    return res.text;
  };

  beforeAll(async () => {
    admin = await createUser(suite.app, suite.mail, { admin: true });
    alice = await createUser(suite.app, suite.mail);
    await fund(suite.app, admin, alice, 'USD', '10000');
    await waitForPrices(suite.app);
  });

  it('refuses a scrape without the token, or with another one, with 401 in the error shape', async () => {
    const expected = {
      statusCode: 401,
      error: { code: 'UNAUTHENTICATED', message: 'Send the metrics token as a Bearer header' },
      requestId: expect.any(String),
    };
    expect((await request(suite.app.url).get('/metrics').expect(401)).body).toEqual(expected);
    expect((await request(suite.app.url).get('/metrics').set('Authorization', 'Bearer not-the-token').expect(401)).body).toEqual(expected);
    // A user's access token is not the metrics token either.
    expect((await request(suite.app.url).get('/metrics').set(alice.auth).expect(401)).body).toEqual(expected);
  });

  it('serves the Prometheus text format with the process defaults', async () => {
    const res = await request(suite.app.url).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(sample(res.text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sample(res.text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
  });

  it("reports the heap limit the instance runs with, which npm start's HEAP_LIMIT_MB sets", async () => {
    // This suite's app runs backend/dist/main.js with no flags: V8's own limit, from the machine's memory.
    const own = sample(await scrape(), 'cryptovault_heap_limit_bytes')!;
    expect(own).toBeGreaterThan(sample(await scrape(), 'nodejs_heap_size_used_bytes')!);
    // As npm start and the container image run it (backend/scripts/run.sh), with the operator's limit.
    const { PORT: _port, APP_URL: _url, ...env } = suite.app.env;
    const shipped = await startApp({ ...env, HEAP_LIMIT_MB: '300' }, { asShipped: true });
    try {
      const text = (await request(shipped.url).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200)).text;
      const limitMb = sample(text, 'cryptovault_heap_limit_bytes')! / 2 ** 20;
      // 300 MB of old generation plus V8's young generation (a few tens of MB).
      expect(limitMb).toBeGreaterThanOrEqual(300);
      expect(limitMb).toBeLessThan(400);
      expect(limitMb).toBeLessThan(own / 2 ** 20);
    } finally {
      await shipped.stop();
    }
  });

  it('counts an order and its fill, and times the request under its route template', async () => {
    const before = await scrape();
    const created = 'cryptovault_orders_created_total{type="market",side="buy"}';
    const filled = 'cryptovault_orders_filled_total{type="market",side="buy"}';
    const fills = 'cryptovault_fills_total{symbol="ETH",side="buy"}';
    const timed = 'http_request_duration_seconds_count{method="POST",route="/api/orders",status_class="2xx"}';
    await request(suite.app.url)
      .post('/api/orders')
      .set(alice.auth)
      .set('Idempotency-Key', 'metrics-order-1')
      .send({ symbol: 'ETH', side: 'buy', type: 'market', quoteAmount: '100' })
      .expect(201);
    // A replay of the same key is not a new order.
    await request(suite.app.url)
      .post('/api/orders')
      .set(alice.auth)
      .set('Idempotency-Key', 'metrics-order-1')
      .send({ symbol: 'ETH', side: 'buy', type: 'market', quoteAmount: '100' })
      .expect(201);
    const after = await scrape();
    for (const series of [created, filled, fills]) expect((sample(after, series) ?? 0) - (sample(before, series) ?? 0)).toBe(1);
    expect((sample(after, timed) ?? 0) - (sample(before, timed) ?? 0)).toBe(2);
  });

  it('counts a cancelled limit order by type and side', async () => {
    const series = 'cryptovault_orders_cancelled_total{type="limit",side="buy",reason="cancelled"}';
    const before = sample(await scrape(), series) ?? 0;
    const placed = await request(suite.app.url)
      .post('/api/orders')
      .set(alice.auth)
      .send({ symbol: 'BTC', side: 'buy', type: 'limit', quantity: '0.001', limitPrice: '1000' })
      .expect(201);
    await request(suite.app.url)
      .delete(`/api/orders/${placed.body.order.id as string}`)
      .set(alice.auth)
      .expect(200);
    const after = await scrape();
    expect(sample(after, series)).toBe(before + 1);
    expect(after).toContain(`http_request_duration_seconds_count{method="DELETE",route="/api/orders/:id",status_class="2xx"}`);
    expect(after).not.toContain(placed.body.order.id);
  });

  it('counts a limit order the trigger engine fills, and its fill', async () => {
    const filled = 'cryptovault_orders_filled_total{type="limit",side="buy"}';
    const fills = 'cryptovault_fills_total{symbol="BTC",side="buy"}';
    const before = await scrape();
    // A buy limit far above the market crosses at the next tick.
    const placed = await request(suite.app.url)
      .post('/api/orders')
      .set(alice.auth)
      .send({ symbol: 'BTC', side: 'buy', type: 'limit', quantity: '0.0001', limitPrice: '1000000' })
      .expect(201);
    expect(placed.body.order.status).toBe('open');
    await waitFor(
      async () =>
        (
          await request(suite.app.url)
            .get(`/api/orders/${placed.body.order.id as string}`)
            .set(alice.auth)
        ).body.order?.status === 'filled',
      10_000,
      'the trigger engine to fill the order',
    );
    const after = await scrape();
    expect((sample(after, filled) ?? 0) - (sample(before, filled) ?? 0)).toBe(1);
    expect((sample(after, fills) ?? 0) - (sample(before, fills) ?? 0)).toBe(1);
  });

  it('counts error responses by route template and error code: failed sign-ins, bad webhook signatures, unknown paths', async () => {
    const series = {
      login: 'cryptovault_http_errors_total{method="POST",route="/api/auth/login",code="INVALID_CREDENTIALS"}',
      ipn: 'cryptovault_http_errors_total{method="POST",route="/api/wallet/webhook/nowpayments",code="INVALID_SIGNATURE"}',
      unmatched: 'cryptovault_http_errors_total{method="GET",route="unmatched",code="NOT_FOUND"}',
    };
    const before = await scrape();
    await request(suite.app.url).post('/api/auth/login').send({ email: 'nobody-metrics@example.com', password: 'Not-The-Password-1' }).expect(401);
    await request(suite.app.url)
      .post('/api/wallet/webhook/nowpayments')
      .set('x-nowpayments-sig', 'f'.repeat(128))
      .send({ payment_id: 1, order_id: 'forged', payment_status: 'finished' })
      .expect(400);
    await request(suite.app.url).get('/no/such/route').expect(404);
    await request(suite.app.url).get('/api/crypto').expect(200);
    const after = await scrape();
    for (const name of Object.values(series)) expect({ name, added: (sample(after, name) ?? 0) - (sample(before, name) ?? 0) }).toEqual({ name, added: 1 });
    expect(after).not.toContain('cryptovault_http_errors_total{method="GET",route="/api/crypto"');
  });

  it('reports the database, Redis, the connection pool and the price feed as this instance sees them', async () => {
    const text = await scrape();
    expect(sample(text, 'cryptovault_database_up')).toBe(1);
    expect(sample(text, 'cryptovault_redis_up')).toBe(1);
    expect(sample(text, 'cryptovault_db_pool_max')).toBe(20);
    expect(sample(text, 'cryptovault_db_pool_connections{state="idle"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'cryptovault_db_pool_connections{state="in_use"}')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'cryptovault_db_pool_waiting')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'cryptovault_price_feed_stale')).toBe(0);
    expect(sample(text, 'cryptovault_price_feed_state{state="live"}')).toBe(1);
    expect(sample(text, 'cryptovault_price_feed_state{state="failover"}')).toBe(0);
  });

  it('labels an unknown path as unmatched, never by its raw URL', async () => {
    await request(suite.app.url).get('/no/such/path/12345').expect(404);
    const text = await scrape();
    expect(sample(text, 'http_request_duration_seconds_count{method="GET",route="unmatched",status_class="4xx"}')).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain('/no/such/path');
  });

  it('tracks open WebSocket connections per endpoint', async () => {
    const gauge = (endpoint: string) => `cryptovault_ws_connections{endpoint="${endpoint}"}`;
    const closes = (endpoint: string) => `cryptovault_ws_disconnects_total{endpoint="${endpoint}",reason="normal"}`;
    const endpoints = ['/ws/prices', '/ws/prices/:symbol', '/ws/user'];
    const before = await scrape();
    const ws = suite.app.url.replace('http', 'ws');
    const sockets = await Promise.all([
      TestSocket.open(`${ws}/ws/prices`),
      TestSocket.open(`${ws}/ws/prices/ETH`),
      TestSocket.open(`${ws}/ws/user`, { headers: alice.auth }),
    ]);
    const open = await scrape();
    expect([gauge('/ws/prices'), gauge('/ws/prices/:symbol'), gauge('/ws/user')].map((g) => sample(open, g))).toEqual([1, 1, 1]);
    for (const s of sockets) s.ws.close();
    await Promise.all(sockets.map((s) => s.waitClosed()));
    await waitFor(async () => sample(await scrape(), gauge('/ws/prices/:symbol')) === 0, 5_000, 'the gauge to drop');
    const closed = await waitFor(
      async () => {
        const t = await scrape();
        return [gauge('/ws/prices'), gauge('/ws/user')].every((g) => sample(t, g) === 0) && t;
      },
      5_000,
      'every gauge to drop',
    );
    // Closed by the client with a close frame: counted as normal closes, one per endpoint.
    expect(endpoints.map((e) => (sample(closed, closes(e)) ?? 0) - (sample(before, closes(e)) ?? 0))).toEqual([1, 1, 1]);
  });

  it('reports how old the newest quote of each price source is', async () => {
    const age = sample(await scrape(), 'cryptovault_price_age_seconds{source="simulated"}');
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(30);
  });

  it('reports the last ledger reconciliation: every invariant holds, and when it ran', async () => {
    const text = await waitFor(
      async () => {
        const t = await scrape();
        return sample(t, 'cryptovault_ledger_reconcile_ok') !== undefined && t;
      },
      10_000,
      'a ledger reconciliation',
    );
    expect(sample(text, 'cryptovault_ledger_reconcile_ok')).toBe(1);
    expect(sample(text, 'cryptovault_ledger_reconcile_violations{check="journals balance per asset"}')).toBe(0);
    expect(sample(text, 'cryptovault_ledger_reconcile_violations{check="balances equal the sum of their entries"}')).toBe(0);
    expect(Date.now() / 1000 - sample(text, 'cryptovault_ledger_reconcile_last_run_timestamp_seconds')!).toBeLessThan(30);
  });

  it('reports a violation once the ledger and a balance disagree', async () => {
    await suite.db.query(`UPDATE balances SET available = available + 1 WHERE account = $1 AND asset = 'USD'`, [`user:${alice.id}`]);
    try {
      const text = await waitFor(
        async () => {
          const t = await scrape();
          return sample(t, 'cryptovault_ledger_reconcile_ok') === 0 && t;
        },
        10_000,
        'the reconciliation to notice',
      );
      expect(sample(text, 'cryptovault_ledger_reconcile_violations{check="balances equal the sum of their entries"}')).toBe(1);
    } finally {
      await suite.db.query(`UPDATE balances SET available = available - 1 WHERE account = $1 AND asset = 'USD'`, [`user:${alice.id}`]);
    }
  });

  it('reports the withdrawal queue: how many wait for review and for how long the oldest has', async () => {
    const [{ id }] = await suite.db.query<{ id: string }>(
      `INSERT INTO withdrawals (id, user_id, asset, network, address, amount, fee, usd_value, status, created_at)
       VALUES (gen_random_uuid(), $1, 'BTC', 'bitcoin', 'bc1qmetricsqueue', 0.01, 0.0001, 500, 'pending', now() - interval '2 hours') RETURNING id`,
      [alice.id],
    );
    try {
      const text = await scrape();
      expect(sample(text, 'cryptovault_withdrawal_queue_size{status="pending"}')).toBe(1);
      expect(sample(text, 'cryptovault_withdrawal_queue_oldest_age_seconds{status="pending"}')).toBeGreaterThanOrEqual(7_200);
      expect(sample(text, 'cryptovault_withdrawal_queue_oldest_age_seconds{status="pending"}')).toBeLessThan(7_200 + 600);
      expect(sample(text, 'cryptovault_withdrawal_queue_size{status="approved"}')).toBe(0);
    } finally {
      await suite.db.query(`DELETE FROM withdrawals WHERE id = $1`, [id]);
    }
  });
});

describe('platform: /metrics without METRICS_TOKEN', () => {
  // Behind a proxy on loopback (as with nginx on the same host): req.ip is the forwarded client.
  const suite = useAppSuite({ TRUST_PROXY: 'loopback', LEDGER_CHECK_INTERVAL_MS: '0' });

  it('serves loopback callers', async () => {
    const res = await request(suite.app.url).get('/metrics').expect(200);
    expect(res.text).toContain('cryptovault_ws_connections{endpoint="/ws/prices"} 0');
  });

  it('refuses a caller from outside, even through a proxy on loopback, with 403 in the error shape', async () => {
    const res = await request(suite.app.url).get('/metrics').set('X-Forwarded-For', '203.0.113.7').expect(403);
    expect(res.body).toEqual({
      statusCode: 403,
      error: { code: 'FORBIDDEN', message: 'Metrics are served to loopback callers only while METRICS_TOKEN is unset' },
      requestId: expect.any(String),
    });
  });
});
