import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { createUser, TestUser } from '../../support/factories';
import { FakeCoinGecko } from '../../support/fakes/coingecko';
import { fund, waitForPrices } from '../../support/money';
import { SmtpSink } from '../../support/smtp';
import { waitFor } from '../../support/wait';
import { createWithdrawer } from '../../support/withdrawer';

/**
 * GET /api/portfolio/performance on a scripted history with prices the test sets (a local CoinGecko): one backend.
 * BTC at 100,000 for the deposit and the buy, then 120,000 for the withdrawal and now.
 */
jest.setTimeout(120_000);

describe('portfolio performance: returns net of deposits and withdrawals', () => {
  let db: TestDatabase;
  let app: RunningApp;
  let mail: SmtpSink;
  let cg: FakeCoinGecko;
  let admin: TestUser;

  const performance = (user: TestUser, range?: string) =>
    request(app.url)
      .get(`/api/portfolio/performance${range ? `?range=${range}` : ''}`)
      .set(user.auth);
  /** Waits for the live BTC quote, then has the ingesting instance write its open candles (reading candles flushes them). */
  const settleBtc = async (price: string): Promise<void> => {
    await waitFor(
      async () => {
        const res = await request(app.url).get('/api/prices/BTC');
        return res.status === 200 && new Decimal(res.body.price as string).eq(price);
      },
      15_000,
      `BTC at ${price}`,
    );
    await request(app.url).get('/api/crypto/BTC/candles?interval=1m').expect(200);
  };

  beforeAll(async () => {
    [db, mail, cg] = await Promise.all([createTestDatabase(), SmtpSink.start(), new FakeCoinGecko().start()]);
    cg.setPrice('bitcoin', '100000');
    app = await startApp(
      suiteEnv(db.url, {
        CANDLE_HISTORY_BACKFILL: 'true',
        SMTP_URL: mail.url,
        PRICE_SOURCES: 'coingecko',
        COINGECKO_BASE_URL: cg.url,
        COINGECKO_POLL_MS: '200',
        RATE_LIMIT_SCALE: '1000',
        WITHDRAWAL_DUAL_APPROVAL_USD: '1000000',
        WITHDRAWAL_DAILY_LIMIT_USD: '1000000',
      }),
    );
    admin = await createUser(app, mail, { admin: true });
    await waitForPrices(app);
  });
  afterAll(async () => {
    await app?.stop();
    await Promise.all([db?.drop(), mail?.stop(), cg?.stop()]);
  });

  it('separates the money put in from the gain, to the cent and the basis point', async () => {
    const user = await createWithdrawer(app, mail, { asset: 'BTC' });
    const before = await performance(user).expect(200);
    // Nothing funded yet: no start, no points, no returns (never a flat $0 line).
    expect(before.body.performance).toMatchObject({ range: '1M', from: null, firstFundedAt: null, points: [], twr: null, irr: null, gain: '0.00' });

    await settleBtc('100000');
    await fund(app, admin, user, 'USD', '10000');
    await request(app.url).post('/api/orders').set(user.auth).send({ symbol: 'BTC', side: 'buy', type: 'market', quantity: '0.05' }).expect(201);
    cg.setPrice('bitcoin', '120000');
    await settleBtc('120000');
    const w = await request(app.url)
      .post('/api/wallet/withdraw')
      .set(user.auth)
      .send({ asset: 'BTC', amount: '0.01', addressId: user.addressId, twoFactorCode: user.backupCodes![0] })
      .expect(201);
    const id = w.body.withdrawal.id as string;
    const approved = await request(app.url).post(`/api/admin/withdrawals/${id}/approve`).set(admin.auth).expect(200);
    expect(approved.body.withdrawal.status).toBe('approved');
    await request(app.url)
      .post(`/api/admin/withdrawals/${id}/complete`)
      .set(admin.auth)
      .send({ txHash: 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16' })
      .expect(200);
    await request(app.url).get('/api/crypto/BTC/candles?interval=1m').expect(200);

    const res = await performance(user, '1W').expect(200);
    const p = res.body.performance;
    // Flows: the deposit (+10,000) and the withdrawal (0.01 BTC at 120,000: −1,200; its 0.0001 BTC fee is a cost).
    // Value now: 10,000 − 5,000 − 5 (buy fee) = 4,995 USD + (0.05 − 0.01 − 0.0001) BTC × 120,000 = 4,995 + 4,788 = 9,783.
    // Gain: 9,783 − 0 − 8,800 = 983 = 0.05 × 20,000 − 5 − 12.
    expect(p).toMatchObject({
      range: '1W',
      startValue: '0.00',
      endValue: '9783.00',
      inflows: '10000.00',
      outflows: '1200.00',
      netFlows: '8800.00',
      gain: '983.00',
      fees: '17.00',
      irrAnnualised: null,
      valuation: 'candles',
    });
    // TWR: funding → withdrawal: 10,000 → 4,995 + 0.05 × 120,000 = 10,995; withdrawal → now: 10,995 − 1,200 = 9,795 → 9,783.
    //   1.0995 × 9,783 / 9,795 − 1 = 0.0981530 → 9.82 %
    expect(p.twr).toBe('9.82');
    expect(p.irr).toMatch(/^\d+\.\d{2}$/);
    // The chart starts at the first funding, with the money put in beside the value.
    expect(p.from).toBe(p.firstFundedAt);
    expect(p.points[0]).toMatchObject({ at: p.from, value: '10000.00', netFlows: '10000.00' });
    expect(p.points.at(-1)).toMatchObject({ at: p.to, value: '9783.00', netFlows: '8800.00' });
    // Per asset at average cost: 0.05 BTC cost 5,005; the withdrawal takes 1,001 of it, its fee coins 10.01 (realised).
    expect(p.assets).toEqual([
      {
        symbol: 'BTC',
        name: 'Bitcoin',
        source: 'account',
        quantity: '0.03990000',
        value: '4788.00',
        costBasis: '3993.99',
        unrealised: '794.01',
        realised: '-10.01',
        fees: '17.00',
      },
    ]);
    // Every range that reaches back to the funding says the same; the default is 1M.
    for (const range of ['1D', 'ALL', undefined]) {
      const other = (await performance(user, range).expect(200)).body.performance;
      expect([other.netFlows, other.gain, other.twr, other.from]).toEqual(['8800.00', '983.00', '9.82', p.from]);
    }
  });

  it('counts a tracked holding from the date of its lot, at its cost', async () => {
    const user = await createUser(app, mail);
    const acquiredAt = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const future = new Date(Date.now() + 86_400_000).toISOString();
    // A date in the future, before 2009 or not a date at all: 400 on the field, in the one error shape.
    for (const [acquiredAt, message] of [
      [future, 'Choose a purchase date that is not in the future'],
      ['2008-12-01T00:00:00Z', 'Choose a purchase date in 2009 or later'],
      ['2025-02-30T00:00:00Z', 'Enter the purchase date as a date and time like 2025-03-01T00:00:00Z'],
    ]) {
      const refused = await request(app.url).post('/api/portfolio/holding').set(user.auth).send({ symbol: 'ETH', amount: '1', acquiredAt }).expect(400);
      expect(refused.body.error).toEqual({ code: 'VALIDATION_FAILED', message, details: [{ field: 'acquiredAt', message }] });
    }
    await request(app.url).post('/api/portfolio/holding').set(user.auth).send({ symbol: 'ETH', amount: 'x', acquiredAt: 'yesterday' }).expect(400);
    expect((await request(app.url).get('/api/portfolio/tracked-lots').set(user.auth).expect(200)).body).toEqual({ items: [] });
    await request(app.url).post('/api/portfolio/holding').set(user.auth).send({ symbol: 'ETH', amount: '1', avgCost: '3000', acquiredAt }).expect(201);
    const p = (await performance(user, 'ALL').expect(200)).body.performance;
    // ETH at 3,870.25 now: 1 ETH bought for 3,000 → net flows 3,000, gain 870.25, TWR 3870.25 / 3000 − 1 = 29.01 %.
    expect(p).toMatchObject({ startValue: '0.00', netFlows: '3000.00', endValue: '3870.25', gain: '870.25', twr: '29.01' });
    expect(new Date(p.from).toISOString()).toBe(acquiredAt);
    expect(p.assets).toEqual([
      {
        symbol: 'ETH',
        name: 'Ethereum',
        source: 'tracked',
        quantity: '1.00000000',
        value: '3870.25',
        costBasis: '3000.00',
        unrealised: '870.25',
        realised: '0.00',
        fees: '0.00',
      },
    ]);
  });

  it('lists the dated lots of tracked holdings, and a lot moved to another date moves where the history starts', async () => {
    const user = await createUser(app, mail);
    const other = await createUser(app, mail);
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString();
    await request(app.url)
      .post('/api/portfolio/holding')
      .set(user.auth)
      .send({ symbol: 'ETH', amount: '0.4', avgCost: '3000', acquiredAt: twoDaysAgo })
      .expect(201);
    const listed = await request(app.url).get('/api/portfolio/tracked-lots').set(user.auth).expect(200);
    expect(listed.body).toEqual({
      items: [{ id: expect.stringMatching(/^[0-9a-f-]{36}$/), symbol: 'ETH', acquiredAt: twoDaysAgo, quantity: '0.40000000', unitCost: '3000.00' }],
    });
    expect((await request(app.url).get('/api/portfolio/tracked-lots').set(other.auth).expect(200)).body).toEqual({ items: [] });
    const id = listed.body.items[0].id as string;

    const fiveDaysAgo = new Date(Date.now() - 5 * 86_400_000).toISOString();
    const before = (await performance(user, 'ALL').expect(200)).body.performance;
    expect(new Date(before.from).toISOString()).toBe(twoDaysAgo);
    const moved = await request(app.url).patch(`/api/portfolio/tracked-lots/${id}`).set(user.auth).send({ acquiredAt: fiveDaysAgo }).expect(200);
    expect(moved.body).toEqual({ lot: { ...listed.body.items[0], acquiredAt: fiveDaysAgo } });
    const p = (await performance(user, 'ALL').expect(200)).body.performance;
    // The history now starts five days ago with the lot: 0.4 ETH put in at 3,000 = 1,200, worth 0.4 × 3,870.25 = 1,548.10 now.
    expect(new Date(p.from).toISOString()).toBe(fiveDaysAgo);
    expect(p).toMatchObject({ startValue: '0.00', inflows: '1200.00', netFlows: '1200.00', endValue: '1548.10', gain: '348.10' });
    expect(p.points[0]).toMatchObject({ netFlows: '1200.00' });
    expect(new Date(p.points[0].at).toISOString()).toBe(fiveDaysAgo);

    // From 2009 on, not in the future, a date it must be (400 on the field, one shape), and only the owner's lot
    // (another user's is as unknown as a made-up one).
    const future = new Date(Date.now() + 86_400_000).toISOString();
    for (const [body, message] of [
      [{ acquiredAt: future }, 'Choose a purchase date that is not in the future'],
      [{ acquiredAt: '2008-12-31T00:00:00Z' }, 'Choose a purchase date in 2009 or later'],
      [{ acquiredAt: 'last week' }, 'Enter the purchase date as a date and time like 2025-03-01T00:00:00Z'],
      [{}, 'Enter the purchase date as a date and time like 2025-03-01T00:00:00Z'],
    ] as const) {
      const refused = await request(app.url).patch(`/api/portfolio/tracked-lots/${id}`).set(user.auth).send(body).expect(400);
      expect(refused.body.error).toEqual({ code: 'VALIDATION_FAILED', message, details: [{ field: 'acquiredAt', message }] });
    }
    const german = await request(app.url)
      .patch(`/api/portfolio/tracked-lots/${id}`)
      .set(user.auth)
      .set('Accept-Language', 'de')
      .send({ acquiredAt: '2008-12-31T00:00:00Z' });
    expect(german.body.error.details).toEqual([{ field: 'acquiredAt', message: 'Wählen Sie ein Kaufdatum ab 2009' }]);
    const theirs = await request(app.url).patch(`/api/portfolio/tracked-lots/${id}`).set(other.auth).send({ acquiredAt: twoDaysAgo }).expect(404);
    const madeUp = await request(app.url).patch(`/api/portfolio/tracked-lots/${randomUUID()}`).set(user.auth).send({ acquiredAt: twoDaysAgo }).expect(404);
    expect([theirs.body.error, madeUp.body.error]).toEqual([
      { code: 'NOT_FOUND', message: 'No such tracked lot' },
      { code: 'NOT_FOUND', message: 'No such tracked lot' },
    ]);
    await request(app.url).patch('/api/portfolio/tracked-lots/not-an-id').set(user.auth).send({ acquiredAt: twoDaysAgo }).expect(400);
    expect((await request(app.url).get('/api/portfolio/tracked-lots').set(user.auth).expect(200)).body.items[0].acquiredAt).toBe(fiveDaysAgo);
  });

  it('refuses an unknown range in words', async () => {
    const res = await performance(admin, '2Y').expect(400);
    expect(res.body.error.details).toEqual([{ field: 'range', message: 'Choose a range: 1D, 1W, 1M, 3M, YTD, 1Y or ALL' }]);
    await request(app.url).get('/api/portfolio/performance').expect(401);
  });
});
