import Decimal from 'decimal.js';
import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { createUser, TestUser } from '../../support/factories';
import { FakeCoinGecko } from '../../support/fakes/coingecko';
import { FakeNowPayments } from '../../support/fakes/nowpayments';
import { fund, runReconcile, waitForPrices } from '../../support/money';
import { SmtpSink } from '../../support/smtp';
import { waitFor } from '../../support/wait';
import { createWithdrawer, type Withdrawer } from '../../support/withdrawer';

/**
 * Cost-basis lots and the realised gains report (issue 19) on a scripted history at prices the test sets (a local
 * CoinGecko; prices stand still between steps): a deposit in kind, two buys, a conversion, a sale after a method change
 * and a withdrawal produce exactly the lots, disposals, totals and CSV lines worked out by hand below, to the cent;
 * `reconcile` proves the lots against the balances and catches a balance that disagrees with them. One backend.
 */
jest.setTimeout(180_000);

describe('cost-basis lots and realised gains', () => {
  let db: TestDatabase;
  let app: RunningApp;
  let mail: SmtpSink;
  let cg: FakeCoinGecko;
  let np: FakeNowPayments;
  let admin: TestUser;
  let user: Withdrawer;
  const year = new Date().getUTCFullYear();

  /** Waits for the live quote, then has the ingesting instance write its open candles (reading candles flushes them). */
  const settle = async (symbol: string, price: string): Promise<void> => {
    await waitFor(
      async () => {
        const res = await request(app.url).get(`/api/prices/${symbol}`);
        return res.status === 200 && new Decimal(res.body.price as string).eq(price);
      },
      15_000,
      `${symbol} at ${price}`,
    );
    await request(app.url).get(`/api/crypto/${symbol}/candles?interval=1m`).expect(200);
  };
  const flushCandles = () => request(app.url).get('/api/crypto/BTC/candles?interval=1m').expect(200);
  const gains = async (u: TestUser = user) => (await request(app.url).get(`/api/reports/gains?year=${year}`).set(u.auth).expect(200)).body.report;
  const lots = async (query = '') => (await request(app.url).get(`/api/portfolio/lots${query}`).set(user.auth).expect(200)).body;
  const csv = async (layout: string) => {
    const res = await request(app.url).get(`/api/reports/gains.csv?year=${year}&layout=${layout}`).set(user.auth).buffer(true).expect(200);
    return res;
  };

  beforeAll(async () => {
    [db, mail, cg, np] = await Promise.all([createTestDatabase(), SmtpSink.start(), new FakeCoinGecko().start(), new FakeNowPayments().start()]);
    cg.setPrice('bitcoin', '100000');
    cg.setPrice('ethereum', '2500');
    app = await startApp(
      suiteEnv(db.url, {
        SMTP_URL: mail.url,
        PRICE_SOURCES: 'coingecko',
        COINGECKO_BASE_URL: cg.url,
        COINGECKO_POLL_MS: '200',
        PAYMENT_PROVIDER: 'nowpayments',
        NOWPAYMENTS_BASE_URL: np.url,
        NOWPAYMENTS_API_KEY: np.apiKey,
        NOWPAYMENTS_IPN_SECRET: np.ipnSecret,
        RATE_LIMIT_SCALE: '1000',
        WITHDRAWAL_DUAL_APPROVAL_USD: '1000000',
        WITHDRAWAL_DAILY_LIMIT_USD: '1000000',
      }),
    );
    admin = await createUser(app, mail, { admin: true });
    user = await createWithdrawer(app, mail, { asset: 'BTC' });
    await waitForPrices(app);
  });
  afterAll(async () => {
    await app?.stop();
    await Promise.all([db?.drop(), mail?.stop(), cg?.stop(), np?.stop()]);
  });

  it('opens, closes and reports lots to the cent, exports them in three layouts, and reconciles them with the balances', async () => {
    await settle('BTC', '100000');
    await settle('ETH', '2500');
    await fund(app, admin, user, 'USD', '30000');

    // 1. A deposit in kind of 0.05 BTC: a lot of unknown cost (lot D).
    const dep = await request(app.url).post('/api/wallet/deposit/create').set(user.auth).send({ asset: 'BTC', quantity: '0.05' }).expect(201);
    const payment = np.byOrderId(dep.body.orderId as string)!;
    expect(await np.sendIpn(payment.payment_id, 'finished')).toBe(200);
    // 2. 0.1 BTC at 100,000: 10,000 + a 10.00 fee → lot B1 costs 10,010.00.
    await request(app.url).post('/api/orders').set(user.auth).send({ symbol: 'BTC', side: 'buy', type: 'market', quantity: '0.1' }).expect(201);
    // 3. 0.1 BTC at 110,000: 11,000 + 11.00 → lot B2 costs 11,011.00.
    cg.setPrice('bitcoin', '110000');
    await settle('BTC', '110000');
    await request(app.url).post('/api/orders').set(user.auth).send({ symbol: 'BTC', side: 'buy', type: 'market', quantity: '0.1' }).expect(201);
    // 4. 0.05 BTC → ETH: 0.04995004 converted + 0.00004996 fee; 0.04995004 × 110,000 ÷ 2,500 = 2.19780176 ETH received,
    //    worth 2.19780176 × 2,500 = 5,494.5044 (the ETH lot C's cost and the proceeds of BTC given: FIFO takes lot D).
    const quote = await request(app.url).post('/api/convert/quotes').set(user.auth).send({ from: 'BTC', to: 'ETH', amount: '0.05' }).expect(201);
    expect(quote.body.quote).toMatchObject({ give: '0.05000000', fee: '0.00004996', receive: '2.19780176' });
    await request(app.url).post('/api/convert').set(user.auth).send({ quoteId: quote.body.quote.id }).expect(201);
    await flushCandles();

    const afterConvert = await lots();
    const [d, b1, b2, c] = afterConvert.items as Record<string, string>[];
    expect(afterConvert.items).toEqual([
      expect.objectContaining({
        asset: 'BTC',
        origin: 'deposit',
        quantity: '0.05000000',
        remaining: '0.00000000',
        costBasis: null,
        costBasisSource: 'unknown',
        costBasisEditable: true,
        status: 'closed',
      }),
      expect.objectContaining({
        asset: 'BTC',
        origin: 'buy',
        quantity: '0.10000000',
        remaining: '0.10000000',
        costBasis: '10010.00',
        costBasisSource: 'trade',
        costBasisEditable: false,
        status: 'open',
      }),
      expect.objectContaining({ asset: 'BTC', origin: 'buy', quantity: '0.10000000', remaining: '0.10000000', costBasis: '11011.00', status: 'open' }),
      expect.objectContaining({ asset: 'ETH', origin: 'convert', quantity: '2.19780176', remaining: '2.19780176', costBasis: '5494.50', status: 'open' }),
    ]);
    expect(afterConvert.unknownCostBasis).toBe(1);
    // The conversion's gain is unknown until the deposit's cost is entered: shown, left out of the totals, counted.
    let report = await gains();
    expect(report.disposals).toEqual([
      expect.objectContaining({ lotId: d.id, kind: 'convert', quantity: '0.05000000', proceeds: '5494.50', costBasis: null, gain: null, fee: '5.50' }),
    ]);
    expect(report.totals).toMatchObject({ gain: '0.00', disposals: 0, unknown: 1 });

    // The owner enters what the deposited bitcoin cost them; a bought lot's cost cannot be changed; nobody else's lot is found.
    const put = await request(app.url).put(`/api/portfolio/lots/${d.id}/cost-basis`).set(user.auth).send({ costBasis: '4000.00' }).expect(200);
    expect(put.body.lot).toMatchObject({ id: d.id, costBasis: '4000.00', costBasisSource: 'entered' });
    const refused = await request(app.url).put(`/api/portfolio/lots/${b1.id}/cost-basis`).set(user.auth).send({ costBasis: '1.00' }).expect(409);
    expect(refused.body.error.code).toBe('INVALID_STATE');
    await request(app.url).put(`/api/portfolio/lots/${d.id}/cost-basis`).set(admin.auth).send({ costBasis: '1.00' }).expect(404);
    const bad = await request(app.url).put(`/api/portfolio/lots/${d.id}/cost-basis`).set(user.auth).send({ costBasis: '-5' }).expect(400);
    expect(bad.body.error.details).toEqual([{ field: 'costBasis', message: 'Enter a cost in dollars of 0 or more' }]);

    // 5. HIFO from today on, then 0.12 BTC sold at 110,000: 13,200 − 13.20 fee = 13,186.80. HIFO takes B2 (110,110 a
    //    BTC) whole, then 0.02 of B1 (10,010 × 0.02 ÷ 0.1 = 2,002.00); proceeds and fee shared by quantity:
    //    13,186.80 × 0.1 ÷ 0.12 = 10,989.00 and the rest 2,197.80; fee 11.00 and 2.20.
    const past = await request(app.url)
      .put('/api/portfolio/cost-basis-method')
      .set(user.auth)
      .send({ method: 'hifo', effectiveFrom: '2020-01-01' })
      .expect(400);
    expect(past.body.error.details[0].field).toBe('effectiveFrom');
    const method = await request(app.url).put('/api/portfolio/cost-basis-method').set(user.auth).send({ method: 'hifo' }).expect(200);
    expect(method.body.costBasisMethod).toMatchObject({ method: 'hifo', pending: null, history: [expect.objectContaining({ method: 'hifo' })] });
    await request(app.url).post('/api/orders').set(user.auth).send({ symbol: 'BTC', side: 'sell', type: 'market', quantity: '0.12' }).expect(201);

    // 6. 0.03 BTC withdrawn (+ 0.0001 fee) at 110,000: at market value 3,300.00, fee 11.00; HIFO takes 0.0301 of B1:
    //    8,008 × 0.0301 ÷ 0.08 = 3,013.01 → gain 286.99.
    const w = await request(app.url)
      .post('/api/wallet/withdraw')
      .set(user.auth)
      .send({ asset: 'BTC', amount: '0.03', addressId: user.addressId, twoFactorCode: user.backupCodes![0] })
      .expect(201);
    const withdrawalId = w.body.withdrawal.id as string;
    // Not sent yet: nothing to mark.
    await request(app.url).put(`/api/portfolio/withdrawals/${withdrawalId}/own-wallet`).set(user.auth).send({ ownWallet: true }).expect(404);
    await request(app.url).post(`/api/admin/withdrawals/${withdrawalId}/approve`).set(admin.auth).expect(200);
    await request(app.url)
      .post(`/api/admin/withdrawals/${withdrawalId}/complete`)
      .set(admin.auth)
      .send({ txHash: 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16' })
      .expect(200);
    await flushCandles();

    report = await gains();
    const sale = { kind: 'sale', method: 'hifo', term: 'short', asset: 'BTC' };
    expect(report.disposals).toEqual([
      expect.objectContaining({
        lotId: d.id,
        kind: 'convert',
        method: 'fifo',
        quantity: '0.05000000',
        proceeds: '5494.50',
        costBasis: '4000.00',
        fee: '5.50',
        gain: '1494.50',
        term: 'short',
      }),
      expect.objectContaining({ ...sale, lotId: b2.id, quantity: '0.10000000', proceeds: '10989.00', costBasis: '11011.00', fee: '11.00', gain: '-22.00' }),
      expect.objectContaining({ ...sale, lotId: b1.id, quantity: '0.02000000', proceeds: '2197.80', costBasis: '2002.00', fee: '2.20', gain: '195.80' }),
      expect.objectContaining({
        kind: 'withdrawal',
        withdrawalId,
        lotId: b1.id,
        quantity: '0.03010000',
        proceeds: '3300.00',
        costBasis: '3013.01',
        fee: '11.00',
        gain: '286.99',
      }),
    ]);
    expect(report.totals).toEqual({
      proceeds: '21981.30',
      costBasis: '20026.01',
      fees: '29.70',
      gain: '1955.29',
      shortTermGain: '1955.29',
      longTermGain: '0.00',
      disposals: 4,
      unknown: 0,
    });
    expect(report.withdrawals).toEqual([{ withdrawalId, asset: 'BTC', quantity: '0.03010000', sentAt: expect.any(String), ownWallet: false }]);

    // The withdrawal went to the owner's own wallet: a transfer, no gain; its lots still leave the holdings.
    const marked = await request(app.url).put(`/api/portfolio/withdrawals/${withdrawalId}/own-wallet`).set(user.auth).send({ ownWallet: true }).expect(200);
    expect(marked.body).toEqual({ withdrawalId, ownWallet: true });
    await request(app.url).put(`/api/portfolio/withdrawals/${withdrawalId}/own-wallet`).set(admin.auth).send({ ownWallet: true }).expect(404);
    report = await gains();
    expect(report.disposals.map((r: { kind: string }) => r.kind)).toEqual(['convert', 'sale', 'sale']);
    expect(report.totals).toEqual({
      proceeds: '18681.30',
      costBasis: '17013.00',
      fees: '18.70',
      gain: '1668.30',
      shortTermGain: '1668.30',
      longTermGain: '0.00',
      disposals: 3,
      unknown: 0,
    });
    const open = await lots('?asset=BTC&status=open');
    expect(open.items).toEqual([expect.objectContaining({ id: b1.id, remaining: '0.04990000', remainingCostBasis: '4994.99' })]);
    expect((await lots('?asset=ETH')).items).toEqual([expect.objectContaining({ id: c.id, remaining: '2.19780176' })]);

    // The CSVs, line by line.
    const own = await csv('cryptovault');
    expect(own.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(own.headers['content-disposition']).toBe(`attachment; filename="cryptovault-gains-${year}.csv"`);
    const lines = own.text.split('\r\n');
    expect(lines[0]).toBe('Asset,Quantity,Date acquired,Date disposed,Proceeds (USD),Cost basis (USD),Fee (USD),Gain (USD),Term,Kind,Method,Lot');
    const at = (r: { acquiredAt: string; disposedAt: string }) => `${r.acquiredAt},${r.disposedAt}`;
    expect(lines.slice(1)).toEqual([
      `BTC,0.05000000,${at(report.disposals[0])},5494.50,4000.00,5.50,1494.50,short,convert,fifo,${d.id}`,
      `BTC,0.10000000,${at(report.disposals[1])},10989.00,11011.00,11.00,-22.00,short,sale,hifo,${b2.id}`,
      `BTC,0.02000000,${at(report.disposals[2])},2197.80,2002.00,2.20,195.80,short,sale,hifo,${b1.id}`,
      'Total,,,,,,,1668.30,short,,,',
      'Total,,,,,,,0.00,long,,,',
      'Total,,,,18681.30,17013.00,18.70,1668.30,,,,',
      '',
    ]);
    const koinly = (await csv('koinly')).text.split('\r\n');
    expect(koinly[0]).toBe(
      'Date,Sent Amount,Sent Currency,Received Amount,Received Currency,Fee Amount,Fee Currency,Net Worth Amount,Net Worth Currency,Label,Description,TxHash',
    );
    expect(koinly.slice(1, -1).map((l) => l.split(',').slice(1, 10).join(','))).toEqual([
      ',,0.05000000,BTC,,,,,',
      '10000.00,USD,0.10000000,BTC,10.00,USD,10000.00,USD,',
      '11000.00,USD,0.10000000,BTC,11.00,USD,11000.00,USD,',
      '0.04995004,BTC,2.19780176,ETH,0.00004996,BTC,5500.00,USD,',
      '0.12000000,BTC,13200.00,USD,13.20,USD,13200.00,USD,',
      '0.03000000,BTC,,,0.00010000,BTC,,,',
    ]);
    expect(koinly[1]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC,/);
    const cointracker = (await csv('cointracker')).text.split('\r\n');
    expect(cointracker[0]).toBe('Date,Received Quantity,Received Currency,Sent Quantity,Sent Currency,Fee Amount,Fee Currency,Tag');
    expect(cointracker.slice(1, -1).map((l) => l.split(',').slice(1).join(','))).toEqual([
      '0.05000000,BTC,,,,,',
      '0.10000000,BTC,10000.00,USD,10.00,USD,',
      '0.10000000,BTC,11000.00,USD,11.00,USD,',
      '2.19780176,ETH,0.04995004,BTC,0.00004996,BTC,',
      '13200.00,USD,0.12000000,BTC,13.20,USD,',
      ',,0.03000000,BTC,0.00010000,BTC,',
    ]);
    expect(cointracker[1]).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2},/);
    const badLayout = await request(app.url).get(`/api/reports/gains.csv?year=${year}&layout=turbotax`).set(user.auth).expect(400);
    expect(badLayout.body.error.details).toEqual([{ field: 'layout', message: 'Choose cryptovault, koinly or cointracker' }]);
    await request(app.url).get('/api/reports/gains?year=1999').set(user.auth).expect(400);
    // Another year has nothing.
    expect(
      (
        await request(app.url)
          .get(`/api/reports/gains?year=${year - 1}`)
          .set(user.auth)
          .expect(200)
      ).body.report.disposals,
    ).toEqual([]);

    // reconcile: the lots hold exactly the balances; a balance changed behind the ledger's back is named.
    const clean = await runReconcile(db.url);
    expect(clean.output).toContain('ok   lots equal balances per user and asset');
    expect(clean.code).toBe(0);
    await db.query(`UPDATE balances SET available = available + 0.01 WHERE account = $1 AND asset = 'BTC'`, [`user:${user.id}`]);
    try {
      const tampered = await runReconcile(db.url);
      expect(tampered.code).toBe(1);
      expect(tampered.output).toContain('FAIL lots equal balances per user and asset (1 violation)');
      expect(tampered.output).toContain(`user ${user.id} BTC: lots hold 0.0499, the balance (available + locked) is 0.0599`);
    } finally {
      await db.query(`UPDATE balances SET available = available - 0.01 WHERE account = $1 AND asset = 'BTC'`, [`user:${user.id}`]);
    }
    expect((await runReconcile(db.url)).code).toBe(0);

    // Every change the owner made is in the audit trail.
    const audit = await db.query<{ action: string }>(`SELECT action FROM audit_logs WHERE user_id = $1 AND action LIKE 'portfolio.%' ORDER BY created_at`, [
      user.id,
    ]);
    expect(audit.map((a) => a.action)).toEqual(['portfolio.lot_cost_basis_entered', 'portfolio.cost_basis_method_changed', 'portfolio.withdrawal_own_wallet']);
  });
});
