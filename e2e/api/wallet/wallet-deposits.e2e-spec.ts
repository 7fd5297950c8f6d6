import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { signIpn } from '../../../backend/src/wallet/payments/ipn-signature';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { createUser, stepUp, TestUser } from '../../support/factories';
import { FakeNowPayments } from '../../support/fakes/nowpayments';
import { SmtpSink } from '../../support/smtp';
import { waitFor } from '../../support/wait';
import { balanceOf, runReconcile } from '../../support/money';

jest.setTimeout(60_000);

const WEBHOOK = '/api/wallet/webhook/nowpayments';
const SANDBOX_PAY = join(__dirname, '..', '..', '..', 'backend', 'dist', 'cli', 'sandbox-pay.js');

describe('wallet deposits through NOWPayments', () => {
  let db: TestDatabase;
  let app: RunningApp;
  let np: FakeNowPayments;
  let mail: SmtpSink;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    [db, np, mail] = await Promise.all([createTestDatabase(), new FakeNowPayments().start(), SmtpSink.start()]);
    app = await startApp(
      suiteEnv(db.url, {
        SMTP_URL: mail.url,
        PAYMENT_PROVIDER: 'nowpayments',
        NOWPAYMENTS_BASE_URL: np.url,
        NOWPAYMENTS_API_KEY: np.apiKey,
        NOWPAYMENTS_IPN_SECRET: np.ipnSecret,
        // The expiry job runs every half second here (60 s by default), so its test need not wait a minute.
        DEPOSIT_EXPIRY_INTERVAL_MS: '500',
      }),
    );
    [alice, bob] = await Promise.all([createUser(app, mail), createUser(app, mail)]);
  });
  afterAll(async () => {
    await app?.stop();
    await Promise.all([np?.stop(), mail?.stop(), db?.drop()]);
  });

  async function deposit(user: TestUser, amount = '250.00', currency = 'btc') {
    const res = await request(app.url).post('/api/wallet/deposit/create').set(user.auth).send({ amount, currency }).expect(201);
    const payment = np.byOrderId(res.body.orderId as string);
    if (!payment) throw new Error('the deposit was not created at NOWPayments');
    return { body: res.body as Record<string, string>, payment };
  }

  const journals = async (orderPaymentId: number) =>
    db.query<{ count: number }>(`SELECT count(*)::int AS count FROM ledger_journals WHERE reference = $1`, [`deposit:nowpayments:${orderPaymentId}`]);

  it('creates the payment at NOWPayments and answers the order, the address and the amount to pay', async () => {
    const { body, payment } = await deposit(alice, '250.00', 'eth');
    expect(body).toEqual({
      orderId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      paymentId: String(payment.payment_id),
      asset: 'USD',
      amount: '250.00',
      creditedAmount: '0.00',
      currency: 'eth',
      payAddress: payment.pay_address,
      payAmount: expect.stringMatching(/^0\.\d{8,}$/),
      expiresAt: payment.expiration_estimate_date,
      status: 'waiting',
      provider: 'nowpayments',
      creditedAt: null,
      createdAt: expect.any(String),
    });
    expect(payment.ipn_callback_url).toBe(`${app.url}${WEBHOOK}`);
    expect(payment).toMatchObject({ price_amount: 250, pay_currency: 'eth', order_id: body.orderId });
  });

  it('refuses amounts outside 10–100000 USD and currencies it does not take, naming the field', async () => {
    const small = await request(app.url).post('/api/wallet/deposit/create').set(alice.auth).send({ amount: '9.99', currency: 'btc' }).expect(400);
    expect(small.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'amount', message: 'Enter an amount of 10 or more' }],
    });
    const big = await request(app.url).post('/api/wallet/deposit/create').set(alice.auth).send({ amount: '100000.01', currency: 'btc' }).expect(400);
    expect(big.body.error.details).toEqual([{ field: 'amount', message: 'That number is too large (at most 100,000)' }]);
    await request(app.url).post('/api/wallet/deposit/create').set(alice.auth).send({ amount: 50, currency: 'btc' }).expect(400);
    const doge = await request(app.url).post('/api/wallet/deposit/create').set(alice.auth).send({ amount: '50', currency: 'doge' }).expect(400);
    expect(doge.body.error.details).toEqual([{ field: 'currency', message: 'Choose a currency to pay with: btc, eth, usdt, usdc, ltc, bnb or sol' }]);
  });

  it('credits nothing for a forged, unsigned or wrongly signed IPN, and answers INVALID_SIGNATURE', async () => {
    const { payment } = await deposit(alice, '100.00');
    expect(await np.sendIpn(payment.payment_id, 'finished', { secret: 'attacker-secret' })).toBe(400);
    expect(await np.sendIpn(payment.payment_id, 'finished', { signature: '' })).toBe(400);
    expect(await np.sendIpn(payment.payment_id, 'finished', { signature: 'a'.repeat(128) })).toBe(400);
    const forged = { ...np.ipnBody(payment, 'finished'), price_amount: 100000 };
    const res = await request(app.url)
      .post(WEBHOOK)
      .set('x-nowpayments-sig', signIpn(np.ipnBody(payment, 'finished'), np.ipnSecret))
      .send(forged)
      .expect(400);
    expect(res.body.error).toEqual({ code: 'INVALID_SIGNATURE', message: 'The x-nowpayments-sig signature does not match the body' });
    await request(app.url).post(WEBHOOK).send(np.ipnBody(payment, 'finished')).expect(400);
    await request(app.url).post(WEBHOOK).set('content-type', 'text/plain').set('x-nowpayments-sig', 'a'.repeat(128)).send('finished').expect(400);
    expect(await journals(payment.payment_id)).toEqual([{ count: 0 }]);
    const d = await request(app.url).get(`/api/wallet/deposit/${payment.order_id}`).set(alice.auth).expect(200);
    expect(d.body.deposit).toMatchObject({ status: 'waiting', creditedAt: null });
    expect(app.output()).toContain('IPN refused: invalid signature');
  });

  it('refuses a correctly signed IPN whose amount or currency differs from the order, and logs it', async () => {
    const { payment } = await deposit(bob, '120.00');
    const before = await balanceOf(app, bob, 'USD');
    const body = { ...np.ipnBody(payment, 'finished'), price_amount: 99999 };
    expect(await np.sendIpn(payment.payment_id, 'finished', { body })).toBe(400);
    const otherCurrency = { ...np.ipnBody(payment, 'finished'), pay_currency: 'usdt' };
    expect(await np.sendIpn(payment.payment_id, 'finished', { body: otherCurrency })).toBe(400);
    expect(await balanceOf(app, bob, 'USD')).toEqual(before);
    const events = await db.query(`SELECT outcome FROM deposit_events WHERE deposit_id = $1 AND outcome = 'mismatch'`, [payment.order_id]);
    expect(events).toHaveLength(2);
    expect(app.output()).toContain('IPN refused: it does not match the order');
  });

  it('credits the stored USD amount exactly once when the same finished IPN arrives 20 times at once', async () => {
    const user = await createUser(app, mail);
    const { payment } = await deposit(user, '321.45', 'ltc');
    expect(await np.sendIpn(payment.payment_id, 'confirming')).toBe(200);
    const statuses = await Promise.all(Array.from({ length: 20 }, () => np.sendIpn(payment.payment_id, 'finished')));
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(await balanceOf(app, user, 'USD')).toMatchObject({ available: '321.45', locked: '0.00' });
    expect(await journals(payment.payment_id)).toEqual([{ count: 1 }]);
    const outcomes = await db.query<{ outcome: string; count: number }>(
      `SELECT outcome, count(*)::int AS count FROM deposit_events WHERE deposit_id = $1 GROUP BY outcome ORDER BY outcome`,
      [payment.order_id],
    );
    expect(outcomes).toEqual([
      { outcome: 'credited', count: 1 },
      { outcome: 'duplicate', count: 19 },
      { outcome: 'recorded', count: 2 },
    ]);
    const d = await request(app.url).get(`/api/wallet/deposit/${payment.order_id}`).set(user.auth).expect(200);
    expect(d.body.deposit).toMatchObject({ status: 'finished', amount: '321.45', creditedAt: expect.any(String) });
    // Told in words: the amount in dollars and what it was paid in, never the deposit's id.
    const email = await mail.waitFor(user.email, (m) => m.subject.startsWith('Deposit credited'));
    expect(email.subject).toBe('Deposit credited: $321.45');
    const body = 'Your deposit of $321.45 paid in LTC has been credited and is now available in your CryptoVault wallet.';
    expect(email.text.trim()).toBe(body);
    const inApp = await request(app.url).get('/api/notifications').set(user.auth).expect(200);
    expect(inApp.body.items.filter((n: { type: string }) => n.type === 'deposit_credited')).toEqual([
      expect.objectContaining({ title: 'Deposit credited: $321.45', body, data: expect.objectContaining({ orderId: payment.order_id, amount: '321.45' }) }),
    ]);
    expect(body).not.toContain(payment.order_id);
    const credited = await db.query<{ description: string }>(`SELECT description FROM ledger_journals WHERE reference = $1`, [
      `deposit:nowpayments:${payment.payment_id}`,
    ]);
    expect(credited).toEqual([{ description: 'Deposit of $321.45 paid in LTC' }]);
    expect(payment.order_description).toBe('CryptoVault deposit of $321.45');
    expect(await runReconcile(db.url)).toMatchObject({ code: 0 });
  });

  it('changes nothing for a replay of an old status after the credit', async () => {
    const user = await createUser(app, mail);
    const { payment } = await deposit(user, '40.00');
    expect(await np.sendIpn(payment.payment_id, 'finished')).toBe(200);
    expect(await np.sendIpn(payment.payment_id, 'waiting')).toBe(200);
    expect(await np.sendIpn(payment.payment_id, 'finished')).toBe(200);
    expect(await balanceOf(app, user, 'USD')).toMatchObject({ available: '40.00', locked: '0.00' });
    const d = await request(app.url).get(`/api/wallet/deposit/${payment.order_id}`).set(user.auth).expect(200);
    expect(d.body.deposit.status).toBe('finished');
    expect(app.output()).toContain('IPN replay or late status: nothing changed');
  });

  it('records and logs a signed IPN for an order it does not know, changing no balance', async () => {
    const { payment } = await deposit(alice, '60.00');
    const unknownOrder = '00000000-0000-4000-8000-00000000dead';
    const body = { ...np.ipnBody(payment, 'finished'), order_id: unknownOrder };
    const res = await request(app.url).post(WEBHOOK).set('x-nowpayments-sig', signIpn(body, np.ipnSecret)).send(body).expect(200);
    expect(res.body).toEqual({ received: true, outcome: 'unknown_order' });
    expect(await db.query(`SELECT status, outcome FROM deposit_events WHERE order_id = $1`, [unknownOrder])).toEqual([
      { status: 'finished', outcome: 'unknown_order' },
    ]);
    expect(await journals(payment.payment_id)).toEqual([{ count: 0 }]);
    await waitFor(() => app.output().includes('IPN for an unknown order: nothing changed'), 5_000, 'the unknown-order log line');
  });

  it("lists a user's deposits newest first, page by page, and hides other users' deposits", async () => {
    const user = await createUser(app, mail);
    const a = await deposit(user, '10.00');
    const b = await deposit(user, '20.00');
    const first = await request(app.url).get('/api/wallet/deposits?limit=1').set(user.auth).expect(200);
    expect(first.body.items.map((d: { orderId: string }) => d.orderId)).toEqual([b.body.orderId]);
    const second = await request(app.url).get(`/api/wallet/deposits?limit=1&cursor=${first.body.nextCursor}`).set(user.auth).expect(200);
    expect(second.body.items.map((d: { orderId: string }) => d.orderId)).toEqual([a.body.orderId]);
    await request(app.url).get(`/api/wallet/deposit/${a.body.orderId}`).set(bob.auth).expect(404);
    await request(app.url).get('/api/wallet/deposit/not-a-uuid').set(user.auth).expect(400);
  });

  it('offers no simulate endpoint when the provider is NOWPayments', async () => {
    const { body } = await deposit(alice, '15.00');
    await request(app.url).post(`/api/wallet/deposit/${body.orderId}/simulate`).set(alice.auth).expect(404);
  });

  it('expires deposits still waiting long after the payment window', async () => {
    const { body } = await deposit(alice, '11.00');
    await db.query(`UPDATE deposits SET expires_at = now() - interval '1 hour' WHERE id = $1`, [body.orderId]);
    await waitFor(
      async () => (await request(app.url).get(`/api/wallet/deposit/${body.orderId}`).set(alice.auth)).body.deposit?.status === 'expired',
      20_000,
      'the expiry job',
    );
    expect(await db.query(`SELECT outcome FROM deposit_events WHERE deposit_id = $1 AND status = 'expired'`, [body.orderId])).toEqual([{ outcome: 'expired' }]);
  }, 30_000);

  it('holds a late payment for an account closed after its deposit expired: nothing credited, operators told once, the provider answered', async () => {
    const admin = await createUser(app, mail, { admin: true });
    const carol = await createUser(app, mail);
    const { body, payment } = await deposit(carol, '75.00', 'ltc');
    await db.query(`UPDATE deposits SET expires_at = now() - interval '1 hour' WHERE id = $1`, [body.orderId]);
    await waitFor(
      async () => (await request(app.url).get(`/api/wallet/deposit/${body.orderId}`).set(carol.auth)).body.deposit?.status === 'expired',
      20_000,
      'the expiry job',
    );
    // An expired deposit does not keep the account open: it closes.
    await stepUp(app, carol);
    await request(app.url).post('/api/account/close').set(carol.auth).send({ confirmEmail: carol.email }).expect(200);

    // The coins arrive anyway, and NOWPayments says so: answered 200 (it stops retrying), nothing lands in the closed account.
    const ipn = np.ipnBody(payment, 'finished');
    const post = () => request(app.url).post(WEBHOOK).set('x-nowpayments-sig', signIpn(ipn, np.ipnSecret)).send(ipn).expect(200);
    expect((await post()).body).toEqual({ received: true, outcome: 'held' });
    expect(await journals(payment.payment_id)).toEqual([{ count: 0 }]);
    expect(
      await db.query(`SELECT asset, available::text, locked::text FROM balances WHERE account = $1 AND (available <> 0 OR locked <> 0)`, [`user:${carol.id}`]),
    ).toEqual([]);
    expect(await db.query(`SELECT status, credited_amount::text AS credited, credited_at FROM deposits WHERE id = $1`, [body.orderId])).toEqual([
      { status: 'finished', credited: '0.000000000000000000', credited_at: null },
    ]);

    // Operators see it in the audit log, with what arrived and for whom; a repeat of the same IPN is not a second case.
    expect((await post()).body).toEqual({ received: true, outcome: 'duplicate' });
    const held = await request(app.url).get('/api/admin/audit-logs?action=wallet.deposit_held&limit=50').set(admin.auth).expect(200);
    const ours = (held.body.items as { userId: string; details: Record<string, string> }[]).filter((e) => e.details.orderId === body.orderId);
    expect(ours).toEqual([
      expect.objectContaining({
        userId: carol.id,
        details: expect.objectContaining({
          reason: 'account_closed',
          paymentId: String(payment.payment_id),
          status: 'finished',
          asset: 'USD',
          amount: '75.00',
        }),
      }),
    ]);
    expect(await db.query(`SELECT outcome FROM deposit_events WHERE deposit_id = $1 AND status = 'finished' ORDER BY id`, [body.orderId])).toEqual([
      { outcome: 'held' },
      { outcome: 'duplicate' },
    ]);
    expect(app.output()).toContain('deposit paid after its account was closed: held for an operator');
    expect(await runReconcile(db.url)).toMatchObject({ code: 0 });
  }, 30_000);
});

describe('wallet deposits with the sandbox provider', () => {
  let db: TestDatabase;
  let app: RunningApp;
  let mail: SmtpSink;

  beforeAll(async () => {
    [db, mail] = await Promise.all([createTestDatabase(), SmtpSink.start()]);
    app = await startApp(suiteEnv(db.url, { SMTP_URL: mail.url, PAYMENT_PROVIDER: 'sandbox' }));
  });
  afterAll(async () => {
    await app?.stop();
    await Promise.all([mail?.stop(), db?.drop()]);
  });

  it('prices the payment at the live quote and credits once when simulated, through the signed webhook', async () => {
    const user = await createUser(app, mail);
    const created = await request(app.url).post('/api/wallet/deposit/create').set(user.auth).send({ amount: '500', currency: 'usdc' }).expect(201);
    expect(created.body).toMatchObject({
      amount: '500.00',
      currency: 'usdc',
      provider: 'sandbox',
      status: 'waiting',
      payAddress: expect.stringMatching(/^0x[0-9a-f]{40}$/),
    });
    expect(Number(created.body.payAmount)).toBeGreaterThan(400);
    const sim = await request(app.url).post(`/api/wallet/deposit/${created.body.orderId}/simulate`).set(user.auth).expect(200);
    expect(sim.body.deposit).toMatchObject({ status: 'finished', creditedAt: expect.any(String) });
    await request(app.url).post(`/api/wallet/deposit/${created.body.orderId}/simulate`).set(user.auth).expect(200);
    expect(await balanceOf(app, user, 'USD')).toMatchObject({ available: '500.00', locked: '0.00' });
    expect(await db.query(`SELECT outcome FROM deposit_events WHERE deposit_id = $1 ORDER BY id`, [created.body.orderId])).toEqual([
      { outcome: 'recorded' },
      { outcome: 'credited' },
      { outcome: 'duplicate' },
    ]);
    expect(await runReconcile(db.url)).toMatchObject({ code: 0 });
  });

  it('pays a sandbox deposit from the command line with npm run sandbox:pay, through the same webhook', async () => {
    const user = await createUser(app, mail);
    const created = await request(app.url).post('/api/wallet/deposit/create').set(user.auth).send({ amount: '75.50', currency: 'sol' }).expect(201);
    const { stdout } = await promisify(execFile)(process.execPath, [SANDBOX_PAY, created.body.orderId as string], {
      env: { PATH: process.env.PATH ?? '', ...app.env },
    });
    expect(stdout).toContain(`webhook answered 200 for order ${created.body.orderId}`);
    expect(await balanceOf(app, user, 'USD')).toMatchObject({ available: '75.50' });
    const d = await request(app.url).get(`/api/wallet/deposit/${created.body.orderId}`).set(user.auth).expect(200);
    expect(d.body.deposit.status).toBe('finished');
  });

  it("will not simulate another user's deposit", async () => {
    const [owner, other] = await Promise.all([createUser(app, mail), createUser(app, mail)]);
    const created = await request(app.url).post('/api/wallet/deposit/create').set(owner.auth).send({ amount: '25', currency: 'btc' }).expect(201);
    await request(app.url).post(`/api/wallet/deposit/${created.body.orderId}/simulate`).set(other.auth).expect(404);
    expect(await balanceOf(app, owner, 'USD')).toMatchObject({ available: expect.stringMatching(/^0(\.0+)?$/) });
  });
});
