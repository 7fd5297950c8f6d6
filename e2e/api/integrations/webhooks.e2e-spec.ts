import { createHmac, timingSafeEqual } from 'node:crypto';
import request from 'supertest';
import { generateApiKeyPair, signApiKeyRequest } from '../../support/api-key-signing';
import { type RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createUser, stepUp, type TestUser } from '../../support/factories';
import { FakeNowPayments } from '../../support/fakes/nowpayments';
import { HangingReceiver, type ReceivedWebhook, WebhookReceiver } from '../../support/fakes/webhook-receiver';
import { fund, waitForPrices } from '../../support/money';
import { SmtpSink } from '../../support/smtp';
import { waitFor } from '../../support/wait';
import { createWithdrawer, type Withdrawer } from '../../support/withdrawer';

jest.setTimeout(120_000);

const ALL_EVENTS = ['order.filled', 'order.cancelled', 'deposit.credited', 'withdrawal.updated', 'alert.triggered'];
const marketBuy = { symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '25.00' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a receiver does with node:crypto alone: HMAC-SHA256(secret, "<t>.<raw body>") against every v1, t recent. */
function verifiedBy(secret: string, r: ReceivedWebhook): boolean {
  const header = String(r.headers['cryptovault-signature'] ?? '');
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > 300 || !/^[0-9a-f]{64}$/.test(parts.v1 ?? '')) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${r.raw}`).digest();
  return timingSafeEqual(expected, Buffer.from(parts.v1, 'hex'));
}

describe('outgoing webhooks (two instances delivering, a local receiver)', () => {
  let db: TestDatabase;
  let mail: SmtpSink;
  let np: FakeNowPayments;
  let app: RunningApp;
  let other: RunningApp;
  let env: Record<string, string>;
  let admin: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let carol: Withdrawer;
  /** Answers 200 to everything: alice's read key's endpoint for all five events. */
  let everything: WebhookReceiver;
  let aliceRead: string;
  let aliceHook: { id: string; secret: string };
  const receivers: WebhookReceiver[] = [];

  const receiver = async (answers: number[] = [], otherwise = 200) => {
    const r = await new WebhookReceiver(answers, otherwise).start();
    receivers.push(r);
    return r;
  };

  /** An API key made as its owner makes one (step-up, public key only); its id. */
  async function createKey(
    user: TestUser,
    scopes: string[],
    on = app,
  ): Promise<{ id: string; privateKey: ReturnType<typeof generateApiKeyPair>['privateKey'] }> {
    const pair = generateApiKeyPair();
    await stepUp(on, user);
    const res = await request(on.url).post('/api/auth/api-keys').set(user.auth).send({ name: 'hooks', scopes, publicKey: pair.publicKeyBase64 });
    if (res.status !== 201) throw new Error(`creating a key: ${res.status} ${JSON.stringify(res.body)}`);
    return { id: res.body.apiKey.id as string, privateKey: pair.privateKey };
  }

  function addWebhook(user: TestUser, keyId: string, url: string, events: string[], on = app) {
    return request(on.url).post(`/api/api-keys/${keyId}/webhooks`).set(user.auth).send({ url, events });
  }

  async function webhook(user: TestUser, keyId: string, url: string, events: string[]): Promise<{ id: string; secret: string }> {
    await stepUp(app, user);
    const res = await addWebhook(user, keyId, url, events).expect(201);
    return { id: res.body.id as string, secret: res.body.secret as string };
  }

  const log = async (user: TestUser, keyId: string, hookId: string) =>
    (await request(app.url).get(`/api/api-keys/${keyId}/webhooks/${hookId}/deliveries`).set(user.auth).expect(200)).body.items as {
      eventId: string;
      type: string;
      attempt: number;
      attemptedAt: string;
      statusCode: number | null;
      error: string | null;
      nextRetryAt: string | null;
      deliveryStatus: string;
      responseSnippet: string | null;
    }[];

  const buy = async (user: TestUser, body: object = marketBuy) =>
    (await request(app.url).post('/api/orders').set(user.auth).send(body).expect(201)).body.order as { id: string };
  const order = async (user: TestUser, id: string) => (await request(app.url).get(`/api/orders/${id}`).set(user.auth).expect(200)).body.order as object;

  beforeAll(async () => {
    [db, mail, np] = await Promise.all([createTestDatabase(), SmtpSink.start(), new FakeNowPayments().start()]);
    env = suiteEnv(db.url, {
      SMTP_URL: mail.url,
      PAYMENT_PROVIDER: 'nowpayments',
      NOWPAYMENTS_BASE_URL: np.url,
      NOWPAYMENTS_API_KEY: np.apiKey,
      NOWPAYMENTS_IPN_SECRET: np.ipnSecret,
      // The receivers are on 127.0.0.1; retries after 200 ms, doubling; every instance looks for due deliveries every 100 ms.
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_RETRY_BASE_MS: '200',
      WEBHOOK_WORKER_INTERVAL_MS: '100',
      // Events past their retention are looked for every 300 ms; a redelivery may follow an attempt at once (one test
      // starts an instance with the cooldown on).
      WEBHOOK_PRUNE_INTERVAL_MS: '300',
      WEBHOOK_REDELIVERY_COOLDOWN_MS: '0',
    });
    [app, other] = await Promise.all([startApp(env), startApp(env)]);
    [admin, alice, bob, everything] = await Promise.all([createUser(app, mail, { admin: true }), createUser(app, mail), createUser(app, mail), receiver()]);
    carol = await createWithdrawer(app, mail, { asset: 'BTC' });
    // A credit of BTC is valued at its price (the adjustment's approval threshold is in USD): refused with PRICE_STALE
    // until the instance has one, which a loaded machine's first tick can take longer than the sign-ups above to bring.
    await waitForPrices(app);
    await Promise.all([fund(app, admin, alice, 'USD', '10000'), fund(app, admin, bob, 'USD', '1000'), fund(app, admin, carol, 'BTC', '0.01')]);
    aliceRead = (await createKey(alice, ['read'])).id;
  });

  afterAll(async () => {
    await Promise.all([app?.stop(), other?.stop()]);
    await Promise.all([...receivers.map((r) => r.stop()), np?.stop(), mail?.stop()]);
    await db?.drop();
  });

  it('refuses endpoints on loopback, private and link-local addresses (422) when private targets are not allowed, and URLs that are not http(s) (400)', async () => {
    // An instance as production runs (no WEBHOOK_ALLOW_PRIVATE_TARGETS), on the same database, before anything is due.
    const { PORT: _port, APP_URL: _url, ...shared } = env;
    const strict = await startApp({ ...shared, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' });
    try {
      await stepUp(strict, alice);
      for (const url of [
        'http://127.0.0.1:9/hooks',
        'http://10.1.2.3/hooks',
        'http://169.254.169.254/latest/meta-data/',
        'http://[::1]:9/',
        'http://localhost:9/',
      ]) {
        const res = await addWebhook(alice, aliceRead, url, ['order.filled'], strict).expect(422);
        expect(res.body.error).toMatchObject({
          code: 'WEBHOOK_URL_NOT_ALLOWED',
          details: [{ field: 'url', message: expect.stringContaining('public addresses') }],
        });
      }
      const german = await addWebhook(alice, aliceRead, 'http://10.1.2.3/hooks', ['order.filled'], strict).set('Accept-Language', 'de').expect(422);
      expect(german.body.error.message).toBe(
        'Webhooks gehen nur an öffentliche Adressen, und 10.1.2.3 ist eine private, Loopback-, Link-Local- oder reservierte Adresse',
      );
      const ftp = await addWebhook(alice, aliceRead, 'ftp://example.com/hooks', ['order.filled'], strict).expect(400);
      expect(ftp.body.error).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [{ field: 'url', message: 'Enter a URL starting with https:// or http://' }],
      });
      const creds = await addWebhook(alice, aliceRead, 'https://user:pw@example.com/hooks', ['order.filled'], strict).expect(400);
      expect(creds.body.error.details[0].field).toBe('url');
      expect((await addWebhook(alice, aliceRead, 'https://example.com/hooks', ['order.shipped'], strict).expect(400)).body.error.details[0].field).toBe(
        'events',
      );
      expect((await request(strict.url).get(`/api/api-keys/${aliceRead}/webhooks`).set(alice.auth).expect(200)).body.items).toEqual([]);
    } finally {
      await strict.stop();
    }
  });

  it('makes an endpoint from a stepped-up session, shows its secret once, lists it without, and keeps it to its owner', async () => {
    // Without a step-up of this session: 401 STEP_UP_REQUIRED.
    const login = await request(app.url).post('/api/auth/login').send({ email: alice.email, password: alice.password }).expect(200);
    const fresh = { Authorization: `Bearer ${login.body.accessToken as string}` };
    const refused = await request(app.url).post(`/api/api-keys/${aliceRead}/webhooks`).set(fresh).send({ url: everything.url, events: ALL_EVENTS }).expect(401);
    expect(refused.body.error.code).toBe('STEP_UP_REQUIRED');

    await stepUp(app, alice);
    const created = await addWebhook(alice, aliceRead, everything.url, ALL_EVENTS).expect(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      keyId: aliceRead,
      url: everything.url,
      events: ALL_EVENTS,
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/),
      createdAt: expect.any(String),
    });
    aliceHook = { id: created.body.id, secret: created.body.secret };
    const listed = await request(other.url).get(`/api/api-keys/${aliceRead}/webhooks`).set(alice.auth).expect(200);
    expect(listed.body).toEqual({
      items: [{ id: aliceHook.id, keyId: aliceRead, url: everything.url, events: ALL_EVENTS, createdAt: created.body.createdAt }],
      max: 5,
    });
    expect(JSON.stringify(listed.body)).not.toContain(aliceHook.secret);
    // The secret is stored sealed: not in the database as it was shown.
    const [row] = await db.query<{ secret_sealed: Buffer }>(`SELECT secret_sealed FROM webhook_endpoints WHERE id = $1`, [aliceHook.id]);
    expect(row.secret_sealed.includes(Buffer.from(aliceHook.secret))).toBe(false);

    // Another account's key: 404, whatever the route.
    await request(app.url).get(`/api/api-keys/${aliceRead}/webhooks`).set(bob.auth).expect(404);
    await request(app.url).get(`/api/api-keys/${aliceRead}/webhooks/${aliceHook.id}/deliveries`).set(bob.auth).expect(404);
    await request(app.url).delete(`/api/api-keys/${aliceRead}/webhooks/${aliceHook.id}`).set(bob.auth).expect(404);
    // An API key cannot manage webhooks, not even its own.
    const key = await createKey(bob, ['read', 'trade']);
    const path = `/api/api-keys/${key.id}/webhooks`;
    const signed = await request(app.url)
      .get(path)
      .set(signApiKeyRequest(key.id, key.privateKey, { method: 'GET', pathWithQuery: path }))
      .expect(403);
    expect(signed.body.error.code).toBe('API_KEY_NOT_ALLOWED');

    // Audited with the URL's origin only.
    const audit = await request(app.url).get(`/api/admin/audit-logs?userId=${alice.id}&action=auth.webhook_created`).set(admin.auth).expect(200);
    expect(audit.body.items[0].details).toMatchObject({ keyId: aliceRead, webhookId: aliceHook.id, url: new URL(everything.url).origin, events: ALL_EVENTS });

    // The owner is told, by email (with the "This wasn't me" link) and in the app: where the events go and which.
    const origin = new URL(everything.url).origin;
    const notice = await mail.waitFor(alice.email, (m) => m.subject === 'A webhook endpoint was added');
    expect(notice.text).toContain(`It sends ${ALL_EVENTS.join(', ')} to ${origin}.`);
    expect(notice.text).toContain('/security/freeze?token=');
    const notes = (await request(app.url).get('/api/notifications').set(alice.auth).expect(200)).body.items as {
      title: string;
      data: Record<string, unknown>;
    }[];
    expect(notes.find((n) => n.data?.event === 'webhook_created')).toMatchObject({
      title: 'A webhook endpoint was added',
      data: { kind: 'security_event', details: { origin, events: ALL_EVENTS.join(', ') } },
    });
  });

  it('refuses a URL that is short as typed but longer than 2048 characters as stored (400, the one error shape)', async () => {
    await stepUp(app, alice);
    const res = await addWebhook(alice, aliceRead, `${everything.url}/${'é'.repeat(2000)}`, ['order.filled']).expect(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'url', message: 'Enter a URL of at most 2048 characters' }] });
  });

  it('removes the endpoints made since the reported event when the owner freezes the account from its notice', async () => {
    const erin = await createUser(app, mail);
    const key = await createKey(erin, ['read']);
    const kept = await webhook(erin, key.id, everything.url, ['order.filled']);
    await mail.waitFor(erin.email, (m) => m.subject === 'A webhook endpoint was added');
    const thief = await webhook(erin, key.id, `${everything.url}/elsewhere`, ALL_EVENTS);
    const notice = await mail.waitFor(erin.email, (m) => m.subject === 'A webhook endpoint was added', 10_000, 1);
    const token = /\/security\/freeze\?token=([A-Za-z0-9_-]+)/.exec(notice.text)![1];
    const frozen = await request(app.url).post('/api/auth/freeze').send({ token }).expect(200);
    expect(frozen.body.removed).toEqual(['webhooks']);
    const left = await db.query<{ id: string }>(`SELECT id FROM webhook_endpoints WHERE user_id = $1`, [erin.id]);
    expect(left.map((r) => r.id)).toEqual([kept.id]);
    expect(left.some((r) => r.id === thief.id)).toBe(false);
  });

  it("writes no events for a key superseded by a password reset (the worker's own condition)", async () => {
    const gus = await createUser(app, mail);
    const key = await createKey(gus, ['read']);
    const sink = await receiver();
    await webhook(gus, key.id, sink.url, ['alert.triggered']);
    await request(app.url).post('/api/auth/forgot-password').send({ email: gus.email }).expect(200);
    const message = await mail.waitFor(gus.email, (m) => /reset/i.test(m.subject));
    const token = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(message.text)![1];
    await request(app.url).post('/api/auth/reset-password').send({ token, newPassword: 'Reset-Fresh-Pass-3' }).expect(200);
    const login = await request(app.url).post('/api/auth/login').send({ email: gus.email, password: 'Reset-Fresh-Pass-3' }).expect(200);
    gus.auth = { Authorization: `Bearer ${login.body.accessToken as string}` };
    // The key (made before the reset) no longer authenticates: an alert that fires now writes no event for its endpoint.
    const alert = await request(app.url)
      .post('/api/alerts')
      .set(gus.auth)
      .send({ symbol: 'BTC', condition: 'above', targetPrice: '0.00000001', confirmCrossed: true })
      .expect(201);
    await waitFor(
      async () => ((await request(app.url).get(`/api/alerts/${alert.body.id}`).set(gus.auth).expect(200)).body.active === false ? true : undefined),
      10_000,
      "gus's alert fired",
    );
    expect(await db.query(`SELECT 1 FROM webhook_events WHERE user_id = $1`, [gus.id])).toEqual([]);
    expect(sink.received).toEqual([]);
  });

  it('delivers order.filled for a market order, signed and verifiable, with the order as the REST API shows it and an event id', async () => {
    const placed = await buy(alice);
    const [got] = await everything.waitFor('order.filled', (r) => r.body.type === 'order.filled' && r.body.data.id === placed.id);
    expect(got.path).toBe('/hooks');
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['user-agent']).toBe('CryptoVault-Webhooks/1');
    expect(got.headers['cryptovault-event-id']).toBe(got.body.id);
    expect(got.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'order.filled',
      createdAt: expect.any(String),
      data: await order(alice, placed.id),
    });
    expect(verifiedBy(aliceHook.secret, got)).toBe(true);
    expect(
      verifiedBy(aliceHook.secret, {
        ...got,
        raw: got.raw.replace(
          placed.id,
          placed.id.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
        ),
      }),
    ).toBe(false);
    const entry = (await log(alice, aliceRead, aliceHook.id)).find((a) => a.eventId === got.body.id);
    expect(entry).toMatchObject({
      type: 'order.filled',
      attempt: 1,
      statusCode: 200,
      error: null,
      nextRetryAt: null,
      deliveryStatus: 'delivered',
      responseSnippet: 'thanks',
    });
  });

  it('delivers order.cancelled when an open order is cancelled, and alert.triggered when an alert fires', async () => {
    const resting = (
      await request(app.url)
        .post('/api/orders')
        .set(alice.auth)
        .send({ symbol: 'BTC', side: 'buy', type: 'limit', quantity: '0.5', limitPrice: '10.00' })
        .expect(201)
    ).body.order as { id: string };
    await request(app.url).delete(`/api/orders/${resting.id}`).set(alice.auth).expect(200);
    const [cancelled] = await everything.waitFor('order.cancelled', (r) => r.body.type === 'order.cancelled' && r.body.data.id === resting.id);
    expect(cancelled.body.data).toEqual(await order(alice, resting.id));
    expect(cancelled.body.data).toMatchObject({ status: 'cancelled' });
    expect(verifiedBy(aliceHook.secret, cancelled)).toBe(true);

    const alert = await request(app.url)
      .post('/api/alerts')
      .set(alice.auth)
      .send({ symbol: 'BTC', condition: 'above', targetPrice: '0.00000001', confirmCrossed: true })
      .expect(201);
    const [fired] = await everything.waitFor('alert.triggered', (r) => r.body.type === 'alert.triggered' && r.body.data.id === alert.body.id);
    expect(fired.body.data).toEqual((await request(app.url).get(`/api/alerts/${alert.body.id}`).set(alice.auth).expect(200)).body);
    expect(fired.body.data).toMatchObject({ active: false, triggeredPrice: expect.any(String) });
    expect(verifiedBy(aliceHook.secret, fired)).toBe(true);
  });

  it('delivers deposit.credited when NOWPayments reports the payment finished', async () => {
    const created = await request(app.url).post('/api/wallet/deposit/create').set(alice.auth).send({ amount: '250.00', currency: 'btc' }).expect(201);
    const payment = np.byOrderId(created.body.orderId as string)!;
    expect(await np.sendIpn(payment.payment_id, 'finished')).toBe(200);
    const [credited] = await everything.waitFor('deposit.credited', (r) => r.body.type === 'deposit.credited' && r.body.data.orderId === created.body.orderId);
    expect(credited.body.data).toEqual((await request(app.url).get(`/api/wallet/deposit/${created.body.orderId}`).set(alice.auth).expect(200)).body.deposit);
    expect(credited.body.data).toMatchObject({ status: 'finished', creditedAmount: '250.00' });
    expect(verifiedBy(aliceHook.secret, credited)).toBe(true);
  });

  it('delivers withdrawal.updated when a withdrawal is requested and when it is cancelled, only to its owner', async () => {
    const carolHooks = await receiver();
    const key = await createKey(carol, ['read']);
    // The key's step-up (a TOTP code: carol has two-factor on) still holds for the endpoint.
    const hook = (await addWebhook(carol, key.id, carolHooks.url, ['withdrawal.updated']).expect(201)).body as { id: string; secret: string };
    const requested = await request(app.url)
      .post('/api/wallet/withdraw')
      .set(carol.auth)
      .send({ asset: 'BTC', amount: '0.001', addressId: carol.addressId, twoFactorCode: carol.backupCodes!.pop() })
      .expect(201);
    const id = requested.body.withdrawal.id as string;
    await carolHooks.waitFor('withdrawal pending', (r) => r.body.data.id === id && r.body.data.status === 'pending');
    await request(app.url).post(`/api/wallet/withdraw/${id}/cancel`).set(carol.auth).expect(200);
    const [cancelled] = await carolHooks.waitFor('withdrawal cancelled', (r) => r.body.data.id === id && r.body.data.status === 'cancelled');
    expect(cancelled.body.type).toBe('withdrawal.updated');
    expect(cancelled.body.data).toEqual((await request(app.url).get(`/api/wallet/withdraw/${id}`).set(carol.auth).expect(200)).body.withdrawal);
    expect(verifiedBy(hook.secret, cancelled)).toBe(true);
    // Two changes, two events, each once.
    expect(new Set(carolHooks.received.map((r) => r.body.id)).size).toBe(carolHooks.received.length);
    expect(everything.received.some((r) => r.body.data.id === id)).toBe(false);
  });

  it('retries a receiver that answers 500 three times with backoff and delivers the event exactly once more, with one event id, the log showing 4 attempts', async () => {
    const flaky = await receiver([500, 500, 500]);
    const trade = await createKey(alice, ['trade']);
    const hook = await webhook(alice, trade.id, flaky.url, ['order.filled']);
    const placed = await buy(alice);
    const attempts = await flaky.waitFor('four attempts', (r) => r.body.data.id === placed.id, 4);
    await sleep(1_500); // several retry intervals and worker rounds: nothing more comes
    const all = flaky.about('order.filled', placed.id);
    expect(all.map((r) => r.answered)).toEqual([500, 500, 500, 200]);
    expect(new Set(all.map((r) => r.body.id)).size).toBe(1);
    expect(new Set(all.map((r) => r.headers['cryptovault-event-id'])).size).toBe(1);
    expect(new Set(all.map((r) => r.raw)).size).toBe(1); // the same bytes every time, signed afresh
    expect(all.every((r) => verifiedBy(hook.secret, r))).toBe(true);
    const eventId = attempts[0].body.id;

    const entries = (await log(alice, trade.id, hook.id)).filter((a) => a.eventId === eventId);
    expect(entries.map((a) => [a.attempt, a.statusCode])).toEqual([
      [4, 200],
      [3, 500],
      [2, 500],
      [1, 500],
    ]);
    expect(entries.every((a) => a.deliveryStatus === 'delivered' && a.error === null)).toBe(true);
    expect(entries.map((a) => a.nextRetryAt !== null)).toEqual([false, true, true, true]);
    expect(entries[3].responseSnippet).toBe('no (500)');
    // Exponential backoff from WEBHOOK_RETRY_BASE_MS (200 ms here): each wait at least 0.8 × 200 × 2^(n−1) (the jitter's low end).
    const waits = [...entries]
      .reverse()
      .slice(0, 3)
      .map((a) => Date.parse(a.nextRetryAt!) - Date.parse(a.attemptedAt));
    waits.forEach((wait, i) => expect(wait).toBeGreaterThanOrEqual(0.8 * 200 * 2 ** i));
    const times = [...entries].reverse().map((a) => Date.parse(a.attemptedAt));
    times.slice(1).forEach((t, i) => expect(t - times[i]).toBeGreaterThanOrEqual(0.8 * 200 * 2 ** i));

    // Another account can neither read this log nor redeliver its events, through alice's key or its own.
    const bobsKey = await createKey(bob, ['read']);
    await request(app.url).get(`/api/api-keys/${trade.id}/webhooks/${hook.id}/deliveries`).set(bob.auth).expect(404);
    await request(app.url).get(`/api/api-keys/${bobsKey.id}/webhooks/${hook.id}/deliveries`).set(bob.auth).expect(404);
    await request(app.url).post(`/api/api-keys/${trade.id}/webhooks/${hook.id}/deliveries/${eventId}/redeliver`).set(bob.auth).expect(404);
    await request(app.url).post(`/api/api-keys/${bobsKey.id}/webhooks/${hook.id}/deliveries/${eventId}/redeliver`).set(bob.auth).expect(404);
    // Nor send alice's event to an endpoint of its own.
    const bobsHook = await webhook(bob, bobsKey.id, (await receiver()).url, ['alert.triggered']);
    await request(app.url).post(`/api/api-keys/${bobsKey.id}/webhooks/${bobsHook.id}/deliveries/${eventId}/redeliver`).set(bob.auth).expect(404);
    await sleep(500);
    expect(flaky.about('order.filled', placed.id)).toHaveLength(4);

    // A manual redelivery sends it once more, with the same event id.
    const again = await request(app.url).post(`/api/api-keys/${trade.id}/webhooks/${hook.id}/deliveries/${eventId}/redeliver`).set(alice.auth).expect(202);
    expect(again.body).toEqual({ eventId, status: 'pending' });
    const fifth = await flaky.waitFor('the redelivery', (r) => r.body.id === eventId, 5);
    expect(fifth[4].headers['cryptovault-event-id']).toBe(eventId);
    expect(fifth[4].raw).toBe(all[0].raw);
    await waitFor(async () => (await log(alice, trade.id, hook.id)).find((a) => a.eventId === eventId && a.attempt === 5), 10_000, 'the fifth attempt logged');
    // An instance with the cooldown on (WEBHOOK_REDELIVERY_COOLDOWN_MS, 30 s unless set) refuses another so soon after.
    const { PORT: _port, APP_URL: _url, ...shared } = env;
    const cautious = await startApp({ ...shared, WEBHOOK_REDELIVERY_COOLDOWN_MS: '600000' });
    try {
      const soon = await request(cautious.url)
        .post(`/api/api-keys/${trade.id}/webhooks/${hook.id}/deliveries/${eventId}/redeliver`)
        .set(alice.auth)
        .expect(429);
      expect(soon.body.error).toEqual({ code: 'RATE_LIMITED', message: 'This event was just sent to this endpoint: redeliver it again in a moment' });
      expect(Number(soon.headers['retry-after'])).toBeGreaterThan(1);
    } finally {
      await cautious.stop();
    }
    await sleep(300);
    expect(flaky.about('order.filled', placed.id)).toHaveLength(5);
    await request(app.url)
      .post(`/api/api-keys/${trade.id}/webhooks/${hook.id}/deliveries/00000000-0000-4000-8000-000000000000/redeliver`)
      .set(alice.auth)
      .expect(404);
  });

  it("never sends another user's events to an endpoint", async () => {
    const bobHooks = await receiver();
    const key = await createKey(bob, ['read']);
    await webhook(bob, key.id, bobHooks.url, ALL_EVENTS);
    const bobs = await buy(bob);
    await bobHooks.waitFor("bob's order", (r) => r.body.data.id === bobs.id);
    const alices = await buy(alice);
    await everything.waitFor("alice's order", (r) => r.body.data.id === alices.id);
    await sleep(300);
    expect(everything.received.some((r) => r.body.data.id === bobs.id)).toBe(false);
    expect(bobHooks.received.some((r) => r.body.data.id === alices.id)).toBe(false);
    expect(bobHooks.received.every((r) => r.body.type === 'order.filled')).toBe(true);
  });

  it('never follows a redirect: a 302 is a failed attempt, retried, and its Location is never called', async () => {
    const moved = await receiver([], 302);
    const hook = await webhook(alice, aliceRead, moved.url, ['order.cancelled']);
    const resting = (
      await request(app.url)
        .post('/api/orders')
        .set(alice.auth)
        .send({ symbol: 'BTC', side: 'buy', type: 'limit', quantity: '0.5', limitPrice: '10.00' })
        .expect(201)
    ).body.order as { id: string };
    await request(app.url).delete(`/api/orders/${resting.id}`).set(alice.auth).expect(200);
    await moved.waitFor('two attempts', (r) => r.body.data.id === resting.id, 2);
    expect(moved.received.every((r) => r.path === '/hooks')).toBe(true);
    const entries = await log(alice, aliceRead, hook.id);
    expect(entries[entries.length - 1]).toMatchObject({ attempt: 1, statusCode: 302, error: null, nextRetryAt: expect.any(String) });
    // Deleting the endpoint stops it: its log goes with it.
    await request(app.url).delete(`/api/api-keys/${aliceRead}/webhooks/${hook.id}`).set(alice.auth).expect(200);
    await request(app.url).get(`/api/api-keys/${aliceRead}/webhooks/${hook.id}/deliveries`).set(alice.auth).expect(404);
    const count = moved.received.length;
    await sleep(800);
    expect(moved.received.length).toBeLessThanOrEqual(count + 1); // at most the attempt that was already on its way
  });

  it("stops a revoked key's deliveries, retries included, and sends it no new events", async () => {
    const down = await receiver([], 500);
    const key = await createKey(alice, ['read']);
    const hook = await webhook(alice, key.id, down.url, ['order.filled']);
    const first = await buy(alice);
    await down.waitFor('the first attempt', (r) => r.body.data.id === first.id);
    await request(app.url).delete(`/api/auth/api-keys/${key.id}`).set(alice.auth).expect(200);
    // The retry that is due finds the key revoked: the delivery stops.
    await waitFor(async () => (await log(alice, key.id, hook.id)).every((a) => a.deliveryStatus === 'stopped'), 10_000, 'the delivery stopped');
    const count = down.received.length;
    const second = await buy(alice);
    await everything.waitFor('the second order elsewhere', (r) => r.body.data.id === second.id);
    await sleep(800);
    expect(down.received.length).toBe(count);
    expect(down.received.some((r) => r.body.data.id === second.id)).toBe(false);
    // No new endpoints on it, and no redelivery.
    await stepUp(app, alice);
    expect((await addWebhook(alice, key.id, down.url, ['order.filled']).expect(409)).body.error.code).toBe('INVALID_STATE');
    const eventId = down.received[0].body.id;
    await request(app.url).post(`/api/api-keys/${key.id}/webhooks/${hook.id}/deliveries/${eventId}/redeliver`).set(alice.auth).expect(409);
  });

  it('keeps to 5 endpoints a key (422 LIMIT_EXCEEDED)', async () => {
    const sink = await receiver();
    const key = await createKey(bob, ['read']);
    for (let i = 0; i < 5; i++) await webhook(bob, key.id, `${sink.url}/${i}`, ['deposit.credited']);
    await stepUp(app, bob);
    const sixth = await addWebhook(bob, key.id, `${sink.url}/6`, ['deposit.credited']).expect(422);
    expect(sixth.body.error).toMatchObject({ code: 'LIMIT_EXCEEDED', message: 'An API key can have at most 5 webhook endpoints: delete one first' });
  });

  it("erases an account's endpoints and events when it is closed", async () => {
    const dave = await createUser(app, mail);
    const key = await createKey(dave, ['read']);
    await webhook(dave, key.id, everything.url, ['alert.triggered']);
    await request(app.url)
      .post('/api/alerts')
      .set(dave.auth)
      .send({ symbol: 'BTC', condition: 'above', targetPrice: '0.00000001', confirmCrossed: true })
      .expect(201);
    await waitFor(async () => (await db.query(`SELECT 1 FROM webhook_events WHERE user_id = $1`, [dave.id])).length > 0, 10_000, "dave's event");
    await stepUp(app, dave);
    await request(app.url).post('/api/account/close').set(dave.auth).send({ confirmEmail: dave.email }).expect(200);
    const left = async (table: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE user_id = $1`, [dave.id]))[0].n;
    expect([await left('webhook_endpoints'), await left('webhook_events'), await left('webhook_deliveries'), await left('webhook_delivery_attempts')]).toEqual([
      0, 0, 0, 0,
    ]);
  });

  it("holds one account's hanging receiver to one request at a time, while another account's events are delivered past it", async () => {
    const hang = await new HangingReceiver().start();
    try {
      const frank = await createUser(app, mail);
      const key = await createKey(frank, ['read']);
      const hook = await webhook(frank, key.id, hang.url, ['alert.triggered']);
      // 30 deliveries due at once to an endpoint that accepts and never answers.
      await db.query(
        `WITH ev AS (
           INSERT INTO webhook_events (user_id, type, data) SELECT $1, 'alert.triggered', jsonb_build_object('n', n) FROM generate_series(1, 30) AS n
           RETURNING id, created_at)
         INSERT INTO webhook_deliveries (event_id, endpoint_id, user_id, next_attempt_at, retry_until)
         SELECT ev.id, $2, $1, ev.created_at, ev.created_at + interval '1 day' FROM ev`,
        [frank.id, hook.id],
      );
      await waitFor(() => (hang.arrived > 0 ? true : undefined), 10_000, 'a request to the hanging receiver');
      const placed = await buy(alice);
      await everything.waitFor("alice's order, past the hanging receiver", (r) => r.body.data.id === placed.id);
      const [{ pending }] = await db.query<{ pending: number }>(
        `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending FROM webhook_deliveries WHERE endpoint_id = $1`,
        [hook.id],
      );
      expect(pending).toBe(30);
      // Two instances, eight lanes each: never more than one request to that endpoint at once.
      expect(hang.mostOpen).toBe(1);
      await request(app.url).delete(`/api/api-keys/${key.id}/webhooks/${hook.id}`).set(frank.auth).expect(200);
    } finally {
      await hang.stop();
    }
  });

  it('deletes events past their 30 days of retention, keeping one whose delivery is still pending', async () => {
    const key = await createKey(bob, ['read']);
    const hook = await webhook(bob, key.id, (await receiver()).url, ['deposit.credited']);
    // Three expired events: one delivered, one still pending, one without a delivery. One statement: the instances'
    // retention sweep must never see the events before their deliveries (it would delete them, as it should, and the
    // deliveries' insert would then fail on its foreign key: seen once when the two were separate statements).
    const old = await db.query<{ id: string; n: number }>(
      `WITH ev AS (
         INSERT INTO webhook_events (user_id, type, data, created_at)
         SELECT $1, 'deposit.credited', '{}'::jsonb, now() - interval '31 days' FROM generate_series(1, 3) RETURNING id
       ), numbered AS (SELECT id, row_number() OVER (ORDER BY id)::int AS n FROM ev),
       delivered AS (
         INSERT INTO webhook_deliveries (event_id, endpoint_id, user_id, status, next_attempt_at, retry_until)
         SELECT id, $2, $1, 'delivered', NULL, now() FROM numbered WHERE n = 1
       ), pending AS (
         INSERT INTO webhook_deliveries (event_id, endpoint_id, user_id, status, next_attempt_at, retry_until)
         SELECT id, $2, $1, 'pending', now() + interval '1 hour', now() + interval '2 hours' FROM numbered WHERE n = 2
       )
       SELECT id, n FROM numbered ORDER BY n`,
      [bob.id, hook.id],
    );
    expect(old.map((r) => r.n)).toEqual([1, 2, 3]);
    const ids = old.map((r) => r.id);
    await waitFor(
      async () => ((await db.query(`SELECT 1 FROM webhook_events WHERE id = ANY ($1::uuid[])`, [[ids[0], ids[2]]])).length === 0 ? true : undefined),
      10_000,
      'the expired events deleted',
    );
    expect(await db.query(`SELECT id FROM webhook_events WHERE id = $1`, [ids[1]])).toEqual([{ id: ids[1] }]);
    await request(app.url).delete(`/api/api-keys/${key.id}/webhooks/${hook.id}`).set(bob.auth).expect(200);
  });

  it('sends each event once per attempt with two instances delivering, never twice', async () => {
    const placed = await Promise.all(Array.from({ length: 8 }, () => buy(alice)));
    for (const o of placed) await everything.waitFor(`order ${o.id}`, (r) => r.body.data.id === o.id);
    await sleep(500);
    // Everything this receiver (which always answers 200) got in the whole suite: each event exactly once.
    const ids = everything.received.map((r) => r.body.id);
    expect(ids.length).toBeGreaterThanOrEqual(12);
    expect(new Set(ids).size).toBe(ids.length);
    const [{ n }] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM webhook_delivery_attempts WHERE endpoint_id = $1 GROUP BY event_id ORDER BY 1 DESC LIMIT 1`,
      [aliceHook.id],
    );
    expect(n).toBe(1);
  });

  it('never writes a signing secret to the log, and never shows it again', async () => {
    const secrets = [aliceHook.secret];
    const sink = await receiver();
    const key = await createKey(alice, ['read']);
    const hook = await webhook(alice, key.id, sink.url, ['order.filled']);
    secrets.push(hook.secret);
    const placed = await buy(alice);
    await sink.waitFor('the order', (r) => r.body.data.id === placed.id);
    const shown = JSON.stringify([
      (await request(app.url).get(`/api/api-keys/${key.id}/webhooks`).set(alice.auth).expect(200)).body,
      (await request(app.url).get(`/api/api-keys/${key.id}/webhooks/${hook.id}/deliveries`).set(alice.auth).expect(200)).body,
      (await request(app.url).get(`/api/admin/audit-logs?userId=${alice.id}`).set(admin.auth).expect(200)).body,
    ]);
    const logged = app.output() + other.output();
    expect(logged).toContain('webhook delivered');
    for (const secret of secrets) {
      expect(shown).not.toContain(secret);
      expect(logged).not.toContain(secret);
      expect(logged).not.toContain(secret.slice('whsec_'.length));
    }
  });
});
