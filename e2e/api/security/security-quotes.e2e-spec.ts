import Decimal from 'decimal.js';
import request from 'supertest';
import { createUser, TestUser } from '../../support/factories';
import { FakeCoinGecko } from '../../support/fakes/coingecko';
import { balanceOf, fund, runReconcile, waitForPrices } from '../../support/money';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { SmtpSink } from '../../support/smtp';
import { waitFor } from '../../support/wait';
import { createWithdrawer, type Withdrawer } from '../../support/withdrawer';

jest.setTimeout(90_000);

/**
 * Issue 14 items 9 and 10. Prices come from a local CoinGecko the test
 * controls (BTC 104250, ETH 3870.25); the last test stops it so quotes go stale.
 */
describe('security: private responses, fresh quotes and total-spend buys', () => {
  let db: TestDatabase;
  let mail: SmtpSink;
  let cg: FakeCoinGecko;
  const suite = {} as { app: RunningApp; db: TestDatabase; mail: SmtpSink };
  let admin: TestUser;
  let user: Withdrawer;

  beforeAll(async () => {
    [db, mail, cg] = await Promise.all([createTestDatabase(), SmtpSink.start(), new FakeCoinGecko().start()]);
    const app = await startApp(
      suiteEnv(db.url, {
        SMTP_URL: mail.url,
        PRICE_SOURCES: 'coingecko',
        COINGECKO_BASE_URL: cg.url,
        COINGECKO_POLL_MS: '100',
        PRICE_MAX_AGE_MS: '2000',
        PRICE_BREAKER_COOLDOWN_MS: '300',
      }),
    );
    Object.assign(suite, { app, db, mail });
    await waitForPrices(app);
    admin = await createUser(app, mail, { admin: true });
    user = await createWithdrawer(app, mail, { asset: 'BTC' });
  });
  afterAll(async () => {
    await suite.app?.stop();
    await Promise.all([db?.drop(), mail?.stop(), cg?.stop()]);
  });

  describe('item 9: Cache-Control: no-store on every authenticated response', () => {
    it('marks successes, client errors and token-bearing answers private and unstorable; public data stays cacheable', async () => {
      const url = suite.app.url;
      const responses: [string, request.Response][] = [
        ['GET balance', await request(url).get('/api/wallet/balance').set(user.auth).expect(200)],
        ['GET me', await request(url).get('/api/auth/me').set(user.auth).expect(200)],
        ['POST alert', await request(url).post('/api/alerts').set(user.auth).send({ symbol: 'BTC', condition: 'above', targetPrice: '200000' }).expect(201)],
        ['GET missing order', await request(url).get('/api/orders/00000000-0000-4000-8000-000000000000').set(user.auth).expect(404)],
        [
          'POST bad order',
          await request(url).post('/api/orders').set(user.auth).send({ symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: 'lots' }).expect(400),
        ],
        ['GET admin stats as user', await request(url).get('/api/admin/stats').set(user.auth).expect(403)],
        ['GET admin stats', await request(url).get('/api/admin/stats').set(admin.auth).expect(200)],
        ['GET balance, bad token', await request(url).get('/api/wallet/balance').set('Authorization', 'Bearer not-a-token').expect(401)],
        [
          'POST login',
          await request(url)
            .post('/api/auth/login')
            .send({ email: admin.email, password: admin.password, twoFactorCode: admin.backupCodes!.shift() })
            .expect(200),
        ],
        // The CSRF token is an HMAC of the caller's session: no shared cache may hand it to someone else.
        ['GET csrf token', await request(url).get('/api/csrf').expect(200)],
      ];
      for (const [what, res] of responses) expect([what, res.headers['cache-control']]).toEqual([what, 'no-store']);
      const prices = await request(url).get('/api/prices').expect(200);
      expect(prices.headers['cache-control'] ?? '').not.toMatch(/no-store/);
    });
  });

  describe('item 10: quoteAmount on a buy is the total spend, fee included', () => {
    it('lets a user with exactly 100.00 USD buy "100" of BTC: spends 100.00 at most, cost + fee = spend', async () => {
      const buyer = await createUser(suite.app, suite.mail);
      await fund(suite.app, admin, buyer, 'USD', '100');
      const res = await request(suite.app.url)
        .post('/api/orders')
        .set(buyer.auth)
        .send({ symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '100' })
        .expect(201);
      const o = res.body.order as { quantity: string; quoteAmount: string; fee: string; filledPrice: string };
      expect(o.filledPrice).toBe('104250.00');
      const spent = new Decimal(o.quoteAmount).add(o.fee);
      expect(spent.lte(100)).toBe(true);
      expect(spent.gt('99.99999999')).toBe(true);
      const usd = await balanceOf(suite.app, buyer, 'USD');
      expect(new Decimal(usd.available).add(spent).toFixed()).toBe('100');
      expect(new Decimal(usd.available).gte(0)).toBe(true);
      expect(usd.total).toBe('0.00');
      // The fee is the rate on the notional, and the quantity never buys more than the notional pays for.
      expect(new Decimal(o.fee).toFixed()).toBe(new Decimal(o.quoteAmount).mul('0.001').toDecimalPlaces(8, Decimal.ROUND_UP).toFixed());
      expect(new Decimal(o.quantity).mul(o.filledPrice).lte(o.quoteAmount)).toBe(true);
      expect(await balanceOf(suite.app, buyer, 'BTC')).toMatchObject({ available: o.quantity });
    });

    it('sells by quoteAmount as the USD value sold, the fee deducted from the proceeds', async () => {
      const seller = await createUser(suite.app, suite.mail);
      await fund(suite.app, admin, seller, 'ETH', '1');
      const res = await request(suite.app.url)
        .post('/api/orders')
        .set(seller.auth)
        .send({ symbol: 'ETH', side: 'sell', type: 'market', quoteAmount: '100' })
        .expect(201);
      expect(res.body.order).toMatchObject({ quoteAmount: '100.00', fee: '0.10' });
      expect(await balanceOf(suite.app, seller, 'USD')).toMatchObject({ available: '99.90' });
    });

    it('documents the rule in the OpenAPI description of quoteAmount', async () => {
      const doc = await request(suite.app.url).get('/openapi.json').expect(200);
      const description = doc.body.components.schemas.CreateOrderDto.properties.quoteAmount.description as string;
      expect(description).toMatch(/fee included/i);
    });
  });

  describe('item 9: the withdrawal USD value needs a fresh quote', () => {
    it('refuses a crypto withdrawal (and a crypto adjustment) with 422 PRICE_STALE once quotes are stale, holding nothing', async () => {
      await fund(suite.app, admin, user, 'BTC', '0.01');
      cg.setFailure(500);
      await waitFor(async () => (await request(suite.app.url).get('/api/health')).body?.components?.prices?.stale === true, 15_000, 'stale prices');
      // The latest quote is still in memory (the wallet shows its value), but it is too old to price a withdrawal.
      const res = await request(suite.app.url)
        .post('/api/wallet/withdraw')
        .set(user.auth)
        .send({ asset: 'BTC', addressId: user.addressId, amount: '0.001', twoFactorCode: user.backupCodes![0] })
        .expect(422);
      expect(res.body.error.code).toBe('PRICE_STALE');
      expect(await balanceOf(suite.app, user, 'BTC')).toMatchObject({ available: '0.01000000', locked: '0.00000000' });
      const rows = await suite.db.query(`SELECT 1 FROM withdrawals WHERE user_id = $1`, [user.id]);
      expect(rows).toEqual([]);

      const adj = await request(suite.app.url)
        .post('/api/admin/ledger/adjustments')
        .set(admin.auth)
        .send({ userId: user.id, asset: 'BTC', amount: '1', reason: 'stale test' })
        .expect(422);
      expect(adj.body.error.code).toBe('PRICE_STALE');
      expect(await balanceOf(suite.app, user, 'BTC')).toMatchObject({ available: '0.01000000' });

      // The refusal did not use up the backup code: it still works once prices are back.
      cg.setFailure('none');
      await waitForPrices(suite.app);
      await request(suite.app.url)
        .post('/api/wallet/withdraw')
        .set(user.auth)
        .send({ asset: 'BTC', addressId: user.addressId, amount: '0.001', twoFactorCode: user.backupCodes![0] })
        .expect(201);
    });

    it('leaves the ledger balanced', async () => {
      expect((await runReconcile(suite.db.url)).code).toBe(0);
    });
  });
});
