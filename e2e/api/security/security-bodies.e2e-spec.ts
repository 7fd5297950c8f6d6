import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { signIpn } from '../../../backend/src/wallet/payments/ipn-signature';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { createUser, TestUser, uniqueEmail } from '../../support/factories';
import { FakeNowPayments } from '../../support/fakes/nowpayments';
import { balanceOf, runReconcile } from '../../support/money';
import { SmtpSink } from '../../support/smtp';

/**
 * Issue 14 item 2: deeply nested or oversized bodies are a 400/413 in the one
 * error shape, never a 500 (class-transformer or the IPN signature code
 * overflowing the stack); the IPN webhook takes small bodies only and limits
 * signature failures per IP without ever refusing a correctly signed IPN.
 * The nesting cases run on PostgreSQL and on the embedded default (PGlite).
 */

const WEBHOOK = '/api/wallet/webhook/nowpayments';

/** `{"x": [[[ … ]]]}` with `depth` containers in all (the object counts as one), as raw JSON text. */
function nested(depth: number): string {
  return `{"x":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
}

const NO_STACK = /\bat .+\(|\/src\/|\.js:\d|RangeError|Maximum call stack/;

function expectInvalidBody(res: request.Response, what: string): void {
  if (res.status !== 400) throw new Error(`${what}: expected 400, got ${res.status} ${JSON.stringify(res.body)}`);
  expect(res.body).toMatchObject({ statusCode: 400, error: { code: 'INVALID_BODY', message: 'The request body is nested deeper than 32 levels' } });
  expect(JSON.stringify(res.body)).not.toMatch(NO_STACK);
}

/** The nesting cases both databases must pass: a user's ordinary routes with a body, and the IPN webhook. */
async function nestingCases(app: RunningApp, user: TestUser): Promise<void> {
  const deep = nested(20_000);
  for (const [method, path] of [
    ['post', '/api/orders'],
    ['put', '/api/auth/profile'],
    ['post', '/api/alerts'],
    ['post', '/api/wallet/withdraw'],
  ] as const) {
    const res = await request(app.url)[method](path).set(user.auth).set('Content-Type', 'application/json').send(deep);
    expectInvalidBody(res, `${method} ${path}`);
  }
  // Unauthenticated routes and the webhook (whose signature code re-serialises the body) too.
  expectInvalidBody(await request(app.url).post('/api/auth/login').set('Content-Type', 'application/json').send(deep), 'login');
  expectInvalidBody(
    await request(app.url).post(WEBHOOK).set('Content-Type', 'application/json').set('x-nowpayments-sig', 'a'.repeat(128)).send(nested(2_000)),
    'webhook',
  );
  // Strings may hold any brackets: only real nesting counts. 32 levels still reach validation (an unknown field).
  const bracketsInStrings = await request(app.url)
    .put('/api/auth/profile')
    .set(user.auth)
    .send({ name: '[{\\"'.repeat(25) });
  expect(bracketsInStrings.status).toBe(200);
  const atLimit = await request(app.url).put('/api/auth/profile').set(user.auth).set('Content-Type', 'application/json').send(nested(32));
  expect(atLimit.status).toBe(400);
  expect(atLimit.body.error.code).toBe('VALIDATION_FAILED');
  expectInvalidBody(await request(app.url).put('/api/auth/profile').set(user.auth).set('Content-Type', 'application/json').send(nested(33)), '33 levels');
  // The server is fine afterwards.
  await request(app.url).get('/health').expect(200);
  await request(app.url).get('/api/auth/me').set(user.auth).expect(200);
}

describe('security: nested and oversized bodies (PostgreSQL)', () => {
  let db: TestDatabase;
  let app: RunningApp;
  let np: FakeNowPayments;
  let mail: SmtpSink;
  let user: TestUser;

  beforeAll(async () => {
    [db, np, mail] = await Promise.all([createTestDatabase(), new FakeNowPayments().start(), SmtpSink.start()]);
    app = await startApp(
      suiteEnv(db.url, {
        SMTP_URL: mail.url,
        PAYMENT_PROVIDER: 'nowpayments',
        NOWPAYMENTS_BASE_URL: np.url,
        NOWPAYMENTS_API_KEY: np.apiKey,
        NOWPAYMENTS_IPN_SECRET: np.ipnSecret,
      }),
    );
    user = await createUser(app, mail);
  });
  afterAll(async () => {
    await app?.stop();
    await Promise.all([np?.stop(), mail?.stop(), db?.drop()]);
  });

  it('answers 400 INVALID_BODY to a body nested 20,000 deep on every kind of route, and stays healthy', async () => {
    await nestingCases(app, user);
    expect(app.output()).not.toMatch(/Maximum call stack/);
  });

  it('answers 415 to JSON in another charset than UTF-8 (the depth check reads UTF-8 bytes; RFC 8259 requires UTF-8)', async () => {
    const utf16 = Buffer.from(`{"name":${'['.repeat(100)}${']'.repeat(100)}}`, 'utf16le');
    const res = await request(app.url).put('/api/auth/profile').set(user.auth).set('Content-Type', 'application/json; charset=utf-16le').send(utf16);
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ statusCode: 415, error: { message: 'JSON bodies must be UTF-8, not utf-16le' } });
    expect(JSON.stringify(res.body)).not.toMatch(NO_STACK);
  });

  it('answers 413 PAYLOAD_TOO_LARGE to an IPN body over 16 KB (a real one is under 4 KB), before checking its signature', async () => {
    const res = await request(app.url)
      .post(WEBHOOK)
      .set('x-nowpayments-sig', 'a'.repeat(128))
      .send({ payment_id: 1, order_description: 'x'.repeat(17 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ statusCode: 413, error: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than the 16 KB limit' } });
    // Routes match case-insensitively, and so does the cap.
    const shouted = await request(app.url)
      .post(WEBHOOK.toUpperCase())
      .send({ payment_id: 1, order_description: 'x'.repeat(17 * 1024) });
    expect(shouted.status).toBe(413);
    // Any content type counts: a form or text body is held to the same cap.
    const text = await request(app.url)
      .post(WEBHOOK)
      .set('Content-Type', 'text/plain')
      .send('x'.repeat(17 * 1024));
    expect(text.status).toBe(413);
    // Other routes keep the 1 MB limit.
    const profile = await request(app.url)
      .put('/api/auth/profile')
      .set(user.auth)
      .send({ name: 'Ok', bio: 'x'.repeat(17 * 1024) });
    expect(profile.status).toBe(400);
    expect(profile.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('answers 429 after 10 signature failures from one IP, while correctly signed IPNs from it still credit', async () => {
    const created = await request(app.url).post('/api/wallet/deposit/create').set(user.auth).send({ amount: '75.00', currency: 'btc' }).expect(201);
    const payment = np.byOrderId(created.body.orderId as string)!;
    const forged = { ...np.ipnBody(payment, 'finished'), price_amount: 75000 };
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await request(app.url).post(WEBHOOK).set('x-nowpayments-sig', signIpn(forged, 'guessed-secret')).send(forged);
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.body.error.code).toBe('RATE_LIMITED');
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      } else {
        expect(res.body.error.code).toBe('INVALID_SIGNATURE');
      }
    }
    expect(statuses).toEqual([...Array<number>(10).fill(400), 429, 429]);
    // A burst of valid IPNs from the same address is never refused, and credits once.
    for (const status of ['waiting', 'confirming', 'finished']) expect(await np.sendIpn(payment.payment_id, status)).toBe(200);
    expect(await balanceOf(app, user, 'USD')).toMatchObject({ available: '75.00' });
    // Still refused for the forger.
    await request(app.url).post(WEBHOOK).set('x-nowpayments-sig', signIpn(forged, 'guessed-secret')).send(forged).expect(429);
    // One warning when the limit is reached, not a line per refused request.
    expect(app.output().match(/IPN signature failures over the limit/g)).toHaveLength(1);
  });

  it('leaves a ledger that reconciles', async () => {
    const { code, output } = await runReconcile(db.url);
    expect({ code, output }).toMatchObject({ code: 0 });
  });
});

/** Mail the embedded default wrote to DATA_DIR/outbox. */
async function codeFromOutbox(dataDir: string, email: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    let files: string[] = [];
    try {
      files = readdirSync(join(dataDir, 'outbox')).filter((f) => f.endsWith('.json'));
    } catch {
      /* not written yet */
    }
    for (const f of files) {
      const mail = JSON.parse(readFileSync(join(dataDir, 'outbox', f), 'utf8')) as { to: string; subject: string; text: string };
      const code = mail.to === email && /verification code/i.test(mail.subject) ? /\b(\d{6})\b/.exec(mail.text)?.[1] : undefined;
      if (code) return code;
    }
    if (Date.now() > deadline) throw new Error(`no verification mail to ${email}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('security: nested bodies on the embedded default (PGlite)', () => {
  const env = suiteEnv(undefined, { REDIS_URL: '', NODE_ENV: 'development' });
  let app: RunningApp | undefined;

  afterAll(async () => {
    await app?.stop();
  });

  it('answers 400 INVALID_BODY to a body nested 20,000 deep and stays healthy', async () => {
    app = await startApp(env);
    const email = uniqueEmail('nested');
    const password = 'Nested-Body-7x';
    await request(app.url).post('/api/auth/signup').send({ email, password, name: 'Nested Body' }).expect(201);
    await request(app.url)
      .post('/api/auth/verify-email')
      .send({ email, code: await codeFromOutbox(env.DATA_DIR, email) })
      .expect(200);
    const login = await request(app.url).post('/api/auth/login').send({ email, password }).expect(200);
    const user = { auth: { Authorization: `Bearer ${login.body.accessToken as string}` } } as TestUser;
    await nestingCases(app, user);
    expect(app.output()).not.toMatch(/Maximum call stack/);
  });
});
