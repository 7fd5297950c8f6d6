import request from 'supertest';
import { signIpn } from '../../../backend/src/wallet/payments/ipn-signature';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { createUser, TestUser } from '../../support/factories';
import { nestingCases, NO_STACK, WEBHOOK } from '../../support/nested-bodies';
import { FakeNowPayments } from '../../support/fakes/nowpayments';
import { balanceOf, runReconcile } from '../../support/money';
import { SmtpSink } from '../../support/smtp';

/**
 * Issue 14 item 2: deeply nested or oversized bodies are a 400/413 in the one
 * error shape, never a 500 (class-transformer or the IPN signature code
 * overflowing the stack); the IPN webhook takes small bodies only and limits
 * signature failures per IP without ever refusing a correctly signed IPN.
 * The nesting cases run here on PostgreSQL and on the embedded default (PGlite) in database-engines.
 */

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
