import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { createUser, TestUser } from '../../support/factories';
import { FakeNowPayments, FakePayment } from '../../support/fakes/nowpayments';
import { balanceOf, runReconcile, waitForPrices } from '../../support/money';
import { SmtpSink } from '../../support/smtp';

jest.setTimeout(60_000);

/**
 * Deposits in kind (issue 18): a deposit of a crypto asset is priced in that asset at NOWPayments and credits
 * that asset, what arrived (`actually_paid`), exactly once however often the IPN comes; what each deposit credits
 * is stored on it (`credit_asset`), so deposits made before this release still credit dollars.
 */
describe('deposits credited in the asset paid', () => {
  let db: TestDatabase;
  let app: RunningApp;
  let np: FakeNowPayments;
  let mail: SmtpSink;
  let alice: TestUser;

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
    [alice] = await Promise.all([createUser(app, mail), waitForPrices(app)]);
  });
  afterAll(async () => {
    await app?.stop();
    await Promise.all([np?.stop(), mail?.stop(), db?.drop()]);
  });

  async function depositBtc(user: TestUser, quantity = '0.05'): Promise<{ body: Record<string, string>; payment: FakePayment }> {
    const res = await request(app.url).post('/api/wallet/deposit/create').set(user.auth).send({ asset: 'BTC', quantity }).expect(201);
    const payment = np.byOrderId(res.body.orderId as string);
    if (!payment) throw new Error('the deposit was not created at NOWPayments');
    return { body: res.body as Record<string, string>, payment };
  }

  const journals = (paymentId: number) =>
    db.query<{ reference: string; description: string }>(`SELECT reference, description FROM ledger_journals WHERE reference LIKE $1 ORDER BY created_at`, [
      `deposit:nowpayments:${paymentId}%`,
    ]);
  const deposit = async (user: TestUser, orderId: string) =>
    (await request(app.url).get(`/api/wallet/deposit/${orderId}`).set(user.auth).expect(200)).body.deposit as Record<string, unknown>;
  const depositNotices = async (user: TestUser) =>
    (
      (await request(app.url).get('/api/notifications').set(user.auth).expect(200)).body.items as {
        type: string;
        title: string;
        body: string;
        data: Record<string, unknown>;
      }[]
    )
      .filter((n) => n.type === 'deposit_credited')
      .reverse();

  it('prices a BTC deposit in BTC at the provider and credits BTC exactly once when the finished IPN arrives 20 times at once', async () => {
    const user = await createUser(app, mail);
    const { body, payment } = await depositBtc(user, '0.05');
    expect(body).toMatchObject({
      asset: 'BTC',
      amount: '0.05000000',
      currency: 'btc',
      payAmount: '0.05000000',
      creditedAmount: '0.00000000',
      status: 'waiting',
    });
    expect(payment).toMatchObject({ price_amount: 0.05, price_currency: 'btc', pay_currency: 'btc' });
    expect(payment.order_description).toBe('CryptoVault deposit of 0.05 BTC');

    for (const status of ['confirming', 'confirmed']) {
      expect(await np.sendIpn(payment.payment_id, status)).toBe(200);
      expect(await deposit(user, body.orderId)).toMatchObject({ status, creditedAt: null });
    }
    const statuses = await Promise.all(Array.from({ length: 20 }, () => np.sendIpn(payment.payment_id, 'finished')));
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(await balanceOf(app, user, 'BTC')).toMatchObject({ available: '0.05000000', locked: '0.00000000' });
    expect(await balanceOf(app, user, 'USD')).toMatchObject({ available: expect.stringMatching(/^0(\.0+)?$/) });
    expect(await journals(payment.payment_id)).toEqual([{ reference: `deposit:nowpayments:${payment.payment_id}`, description: 'Deposit of 0.05 BTC' }]);
    expect(await deposit(user, body.orderId)).toMatchObject({ status: 'finished', creditedAmount: '0.05000000', creditedAt: expect.any(String) });

    // A late or repeated IPN after finished changes nothing.
    expect(await np.sendIpn(payment.payment_id, 'confirming')).toBe(200);
    expect(await np.sendIpn(payment.payment_id, 'partially_paid', { actuallyPaid: 0.01 })).toBe(200);
    expect(await balanceOf(app, user, 'BTC')).toMatchObject({ available: '0.05000000' });
    expect(await deposit(user, body.orderId)).toMatchObject({ status: 'finished' });

    expect(await depositNotices(user)).toEqual([
      expect.objectContaining({
        title: 'Deposit credited: 0.05 BTC',
        body: 'Your deposit of 0.05 BTC has been credited and is now available in your CryptoVault wallet.',
        data: expect.objectContaining({ kind: 'in_kind', asset: 'BTC', amount: '0.05000000', total: '0.05000000', expected: '0.05000000', currency: 'btc' }),
      }),
    ]);
    expect(await runReconcile(db.url)).toMatchObject({ code: 0 });
  });

  it('credits what arrived on partially_paid, once, says so, and credits only the rest when the payment finishes', async () => {
    const user = await createUser(app, mail);
    const { body, payment } = await depositBtc(user, '0.05');
    const partial = await Promise.all(Array.from({ length: 5 }, () => np.sendIpn(payment.payment_id, 'partially_paid', { actuallyPaid: 0.02 })));
    expect(partial.every((s) => s === 200)).toBe(true);
    expect(await balanceOf(app, user, 'BTC')).toMatchObject({ available: '0.02000000' });
    expect(await deposit(user, body.orderId)).toMatchObject({ status: 'partially_paid', creditedAmount: '0.02000000', amount: '0.05000000' });

    // The rest arrives at the same address: NOWPayments reports the payment finished with everything that arrived.
    const finished = await Promise.all(Array.from({ length: 5 }, () => np.sendIpn(payment.payment_id, 'finished')));
    expect(finished.every((s) => s === 200)).toBe(true);
    expect(await balanceOf(app, user, 'BTC')).toMatchObject({ available: '0.05000000' });
    expect(await deposit(user, body.orderId)).toMatchObject({ status: 'finished', creditedAmount: '0.05000000' });
    expect(await journals(payment.payment_id)).toEqual([
      { reference: `deposit:nowpayments:${payment.payment_id}`, description: 'Deposit of 0.02 BTC (part of 0.05 BTC)' },
      { reference: `deposit:nowpayments:${payment.payment_id}:0.05`, description: 'Deposit of 0.03 BTC (the rest of 0.05 BTC)' },
    ]);
    const notices = await depositNotices(user);
    expect(notices.map((n) => [n.title, n.body])).toEqual([
      [
        'Deposit partly paid: 0.02 BTC credited',
        'Your deposit of 0.05 BTC was paid in part: 0.02 BTC arrived and has been credited to your CryptoVault wallet. If the rest arrives, it is credited too.',
      ],
      ['Deposit credited: 0.03 BTC', 'The rest of your deposit of 0.05 BTC arrived: 0.03 BTC has been credited, 0.05 BTC in all.'],
    ]);
    expect(notices.map((n) => n.data)).toEqual([
      expect.objectContaining({ kind: 'partial', asset: 'BTC', amount: '0.02000000', total: '0.02000000', expected: '0.05000000' }),
      expect.objectContaining({ kind: 'remainder', asset: 'BTC', amount: '0.03000000', total: '0.05000000', expected: '0.05000000' }),
    ]);
    expect(await runReconcile(db.url)).toMatchObject({ code: 0 });
  });

  it('credits dollars for what arrived of a partly paid USD deposit, then the rest of the stored price when it finishes', async () => {
    const user = await createUser(app, mail);
    const res = await request(app.url).post('/api/wallet/deposit/create').set(user.auth).send({ asset: 'USD', amount: '200.00', currency: 'usdt' }).expect(201);
    expect(res.body).toMatchObject({ asset: 'USD', amount: '200.00', currency: 'usdt', creditedAmount: '0.00' });
    const payment = np.byOrderId(res.body.orderId as string)!;
    expect(payment).toMatchObject({ price_currency: 'usd', pay_amount: 200 });
    expect(await np.sendIpn(payment.payment_id, 'partially_paid', { actuallyPaid: 50.5 })).toBe(200);
    expect(await balanceOf(app, user, 'USD')).toMatchObject({ available: '50.50' });
    expect(await np.sendIpn(payment.payment_id, 'finished')).toBe(200);
    expect(await balanceOf(app, user, 'USD')).toMatchObject({ available: '200.00' });
    expect((await depositNotices(user)).map((n) => n.title)).toEqual(['Deposit partly paid: $50.50 credited', 'Deposit credited: $149.50']);
  });

  it('still credits dollars for a deposit the previous release created, whatever it was paid in', async () => {
    const user = await createUser(app, mail);
    const orderId = randomUUID();
    // The payment as the previous release asked for it: priced in USD, paid in BTC.
    const created = await fetch(`${np.url}/v1/payment`, {
      method: 'POST',
      headers: { 'x-api-key': np.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({
        price_amount: 250,
        price_currency: 'usd',
        pay_currency: 'btc',
        order_id: orderId,
        ipn_callback_url: `${app.url}/api/wallet/webhook/nowpayments`,
      }),
    });
    const payment = (await created.json()) as FakePayment;
    // The row as the previous release wrote it: no credit_asset (nor credited_amount) named.
    await db.query(
      `INSERT INTO deposits (id, user_id, provider, provider_payment_id, price_amount, pay_currency, pay_amount, pay_address, status, expires_at)
       VALUES ($1, $2, 'nowpayments', $3, 250, 'btc', $4, $5, 'waiting', now() + interval '1 hour')`,
      [orderId, user.id, String(payment.payment_id), String(payment.pay_amount), payment.pay_address],
    );
    expect(await deposit(user, orderId)).toMatchObject({ asset: 'USD', amount: '250.00', currency: 'btc' });
    expect(await np.sendIpn(payment.payment_id, 'finished')).toBe(200);
    expect(await balanceOf(app, user, 'USD')).toMatchObject({ available: '250.00' });
    expect(await balanceOf(app, user, 'BTC')).toMatchObject({ available: expect.stringMatching(/^0(\.0+)?$/) });
    expect((await depositNotices(user)).map((n) => n.title)).toEqual(['Deposit credited: $250.00']);
    expect(await runReconcile(db.url)).toMatchObject({ code: 0 });
  });

  it('refuses and audits a signed IPN whose amount or currency differs from the deposit, crediting nothing', async () => {
    const { body, payment } = await depositBtc(alice, '0.01');
    const finished = np.ipnBody(payment, 'finished');
    for (const forged of [
      { ...finished, price_currency: 'usd' },
      { ...finished, pay_currency: 'eth' },
      { ...finished, price_amount: 1 },
      { ...finished, pay_address: 'bc1qattackerattackerattackerattackerattacker' },
      { ...finished, actually_paid: undefined },
    ]) {
      expect(await np.sendIpn(payment.payment_id, 'finished', { body: JSON.parse(JSON.stringify(forged)) as Record<string, unknown> })).toBe(400);
    }
    expect(await balanceOf(app, alice, 'BTC')).toMatchObject({ available: expect.stringMatching(/^0(\.0+)?$/) });
    expect(await deposit(alice, body.orderId)).toMatchObject({ status: 'waiting', creditedAt: null, creditedAmount: '0.00000000' });
    expect(await db.query(`SELECT count(*)::int AS n FROM deposit_events WHERE deposit_id = $1 AND outcome = 'mismatch'`, [body.orderId])).toEqual([{ n: 5 }]);
    const audits = await db.query<{ details: { orderId: string; problems: string[] } }>(
      `SELECT details FROM audit_logs WHERE action = 'wallet.deposit_ipn_refused' AND details->>'orderId' = $1 ORDER BY id`,
      [body.orderId],
    );
    expect(audits.map((a) => a.details.problems)).toEqual([
      ['price_currency usd is not btc'],
      ["pay_currency eth differs from the order's btc"],
      ["price_amount 1 differs from the order's 0.01"],
      ["pay_address bc1qattackerattackerattackerattackerattacker is not the order's address"],
      ['actually_paid is missing'],
    ]);
    expect(await journals(payment.payment_id)).toEqual([]);
  });

  it('validates what to deposit: a listed asset it takes, a quantity in that asset, paid in that asset', async () => {
    const post = (body: Record<string, unknown>) => request(app.url).post('/api/wallet/deposit/create').set(alice.auth).send(body);
    const details = async (body: Record<string, unknown>, status = 400) => ((await post(body).expect(status)).body.error.details as unknown[]) ?? [];
    expect(await details({ asset: 'BTC', quantity: '0.000000001' })).toEqual([{ field: 'quantity', message: 'Use at most 8 decimals' }]);
    expect(await details({ asset: 'BTC', quantity: '0' })).toEqual([{ field: 'quantity', message: 'Enter a quantity more than 0' }]);
    expect(await details({ asset: 'BTC', quantity: '-1' })).toEqual([{ field: 'quantity', message: 'Enter a quantity more than 0' }]);
    expect(await details({ asset: 'BTC' })).toEqual([{ field: 'quantity', message: 'Enter a quantity, like 0.05' }]);
    expect(await details({ asset: 'BTC', quantity: '0.05', currency: 'eth' })).toEqual([{ field: 'currency', message: 'A BTC deposit is paid in BTC' }]);
    expect(await details({ asset: 'BTC', quantity: '0.05', amount: '100' })).toEqual([
      { field: 'amount', message: 'Give a quantity of BTC, not a dollar amount' },
    ]);
    expect(await details({ asset: 'USD', amount: '100', currency: 'usdt', quantity: '1' })).toEqual([
      { field: 'quantity', message: 'Give a dollar amount for a USD deposit' },
    ]);
    expect(await details({ asset: 'DOGE', quantity: '100' })).toEqual([
      { field: 'asset', message: 'Choose what to deposit: USD, BTC, ETH, USDT, USDC, LTC, BNB or SOL' },
    ]);
    // Worth more than 100,000 dollars, or less than 10, at the live price.
    const big = await post({ asset: 'BTC', quantity: '1000' }).expect(422);
    expect(big.body.error).toMatchObject({ code: 'DEPOSIT_OUT_OF_RANGE' });
    expect(big.body.error.message).toMatch(/^A deposit is worth \$10\.00 to \$100,000\.00; 1,000 BTC is worth about \$[\d,]+\.\d\d$/);
    await post({ asset: 'BTC', quantity: '0.00000001' }).expect(422);
    expect([...np.payments.values()].filter((p) => p.price_amount === 1000 || p.price_amount === 1e-8)).toEqual([]);
    // The earlier shape (no asset) is a USD deposit, as before.
    const usd = await post({ amount: '20', currency: 'eth' }).expect(201);
    expect(usd.body).toMatchObject({ asset: 'USD', amount: '20.00', currency: 'eth' });
  });
});
