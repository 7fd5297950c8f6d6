import Decimal from 'decimal.js';
import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { createUser, TestUser } from '../../support/factories';
import { FakeCoinGecko } from '../../support/fakes/coingecko';
import { balanceOf, fund, runReconcile, waitForPrices } from '../../support/money';
import { SmtpSink } from '../../support/smtp';
import { waitFor } from '../../support/wait';

jest.setTimeout(120_000);

/**
 * Limit and stop orders sized by a USD amount (`quoteAmount`), as the order ticket sends them by default. Tried as a
 * new user would: every limit or stop order in "Amount (USD)" was refused with "quoteAmount is only for market
 * orders", and nothing told the ticket what the server would hold. The rules (docs/API.md, Orders):
 * - a limit buy of Q converts at its limit price L: notional N = the largest 8-decimal amount with N + fee(N) ≤ Q (the
 *   market buy's rule), quantity = N ÷ L rounded down to the asset's decimals (8); it then rests as a limit buy of that
 *   quantity, holding its notional and fee at L (never more than Q);
 * - a stop buy of Q holds Q and, at the tick that crosses its stop, buys as a market buy of Q at that tick would;
 * - a limit or stop sell of Q converts at its own price: quantity = Q ÷ price rounded down to the asset's decimals.
 * Prices come from a local CoinGecko the test moves.
 */
describe('orders by USD amount: limit and stop orders sized in dollars', () => {
  let db: TestDatabase;
  let app: RunningApp;
  let mail: SmtpSink;
  let cg: FakeCoinGecko;
  let admin: TestUser;

  const order = (user: TestUser, body: Record<string, unknown>) => request(app.url).post('/api/orders').set(user.auth).send(body);
  const getOrder = async (user: TestUser, id: string) => (await request(app.url).get(`/api/orders/${id}`).set(user.auth).expect(200)).body.order;
  const journals = async (reference: string): Promise<number> =>
    Number((await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ledger_journals WHERE reference = $1`, [reference]))[0].n);
  /** A balance line as exact decimals (the API pads to the asset's display scale). */
  const balance = async (user: TestUser, asset: string): Promise<{ available: string; locked: string }> => {
    const b = await balanceOf(app, user, asset);
    return { available: new Decimal(b.available).toFixed(), locked: new Decimal(b.locked).toFixed() };
  };
  /** Moves BTC and waits until the app quotes it. */
  const moveBtc = async (price: string): Promise<void> => {
    cg.setPrice('bitcoin', price);
    await waitFor(async () => new Decimal((await request(app.url).get('/api/prices/BTC')).body.price ?? 0).eq(price), 10_000, `BTC at ${price}`);
  };
  const waitForStatus = (user: TestUser, id: string, status: string) =>
    waitFor(async () => (await getOrder(user, id)).status === status, 10_000, `order ${id} ${status}`);

  beforeAll(async () => {
    [db, mail, cg] = await Promise.all([createTestDatabase(), SmtpSink.start(), new FakeCoinGecko().start()]);
    app = await startApp(
      suiteEnv(db.url, { SMTP_URL: mail.url, PRICE_SOURCES: 'coingecko', COINGECKO_BASE_URL: cg.url, COINGECKO_POLL_MS: '100', PRICE_MAX_AGE_MS: '3000' }),
    );
    admin = await createUser(app, mail, { admin: true });
    await waitForPrices(app);
  });
  afterAll(async () => {
    await app?.stop();
    await Promise.all([db?.drop(), mail?.stop(), cg?.stop()]);
  });

  it('tells the ticket the fee rate, the quantity precision, the minimum and what the user has of each side', async () => {
    const user = await createUser(app, mail);
    await fund(app, admin, user, 'USD', '5000');
    const res = await request(app.url).get('/api/orders/terms').query({ symbol: 'btc' }).set(user.auth).expect(200);
    expect(res.body).toEqual({
      terms: { symbol: 'BTC', feeRate: '0.001', quantityDecimals: 8, minNotional: '1.00', usdAvailable: '5000.00', assetAvailable: '0.00000000' },
    });
    expect((await request(app.url).get('/api/orders/terms').query({ symbol: 'NOPE' }).set(user.auth).expect(422)).body.error.code).toBe('UNKNOWN_ASSET');
    await request(app.url).get('/api/orders/terms').query({ symbol: 'BTC' }).expect(401);
  });

  it('converts a limit buy by USD amount at its limit price, fee included, and fills that quantity at the tick that crosses it', async () => {
    await moveBtc('104250');
    const buyer = await createUser(app, mail);
    await fund(app, admin, buyer, 'USD', '5000');
    const placed = (await order(buyer, { symbol: 'BTC', side: 'buy', type: 'limit', quoteAmount: '1000', limitPrice: '100000' }).expect(201)).body.order;
    // N = 999.000999 (N + fee(N) = 1000); quantity = N ÷ 100,000 rounded down to 8 decimals; held: 999.00 + 0.999 fee.
    expect(placed).toMatchObject({
      status: 'open',
      type: 'limit',
      quantity: '0.00999000',
      limitPrice: '100000.00',
      quoteAmount: null,
      fee: null,
      sizedBy: 'quantity',
      reservedAsset: 'USD',
      reservedAmount: '999.999',
    });
    expect(await balance(buyer, 'USD')).toEqual({ available: '4000.001', locked: '999.999' });

    await moveBtc('99000');
    await waitForStatus(buyer, placed.id, 'filled');
    expect(await getOrder(buyer, placed.id)).toMatchObject({
      quantity: '0.00999000',
      filledPrice: '99000.00',
      quoteAmount: '989.01',
      fee: '0.98901',
      reservedAsset: null,
      reservedAmount: null,
    });
    // Paid 989.01 + 0.98901 out of the 999.999 held; the rest is available again.
    expect(await balance(buyer, 'USD')).toEqual({ available: '4010.00099', locked: '0' });
    expect(await balance(buyer, 'BTC')).toEqual({ available: '0.00999', locked: '0' });
  });

  it('holds the whole amount of a stop buy by USD amount and buys, at the tick that crosses the stop, what that amount pays for', async () => {
    await moveBtc('100000');
    const buyer = await createUser(app, mail);
    await fund(app, admin, buyer, 'USD', '1000');
    const placed = (await order(buyer, { symbol: 'BTC', side: 'buy', type: 'stop', quoteAmount: '500.50', stopPrice: '101000' }).expect(201)).body.order;
    // The quantity is an estimate at the stop price until the fill sets it.
    expect(placed).toMatchObject({ status: 'open', sizedBy: 'quoteAmount', quantity: '0.00495049', reservedAsset: 'USD', reservedAmount: '500.50' });
    expect(await balance(buyer, 'USD')).toEqual({ available: '499.5', locked: '500.5' });

    await moveBtc('102000');
    await waitForStatus(buyer, placed.id, 'filled');
    // As a market buy of 500.50 at 102,000: notional 500.00, fee 0.50, quantity 500 ÷ 102,000 rounded down.
    expect(await getOrder(buyer, placed.id)).toMatchObject({
      sizedBy: 'quoteAmount',
      quantity: '0.004901960784313725',
      filledPrice: '102000.00',
      quoteAmount: '500.00',
      fee: '0.50',
      reservedAmount: null,
    });
    expect(await balance(buyer, 'USD')).toEqual({ available: '499.5', locked: '0' });
    expect(await balance(buyer, 'BTC')).toEqual({ available: '0.004901960784313725', locked: '0' });
  });

  it('converts limit and stop sells by USD amount at their own price, rounded down, and holds that quantity of the asset', async () => {
    await moveBtc('100000');
    const seller = await createUser(app, mail);
    await fund(app, admin, seller, 'BTC', '0.05');
    const limit = (await order(seller, { symbol: 'BTC', side: 'sell', type: 'limit', quoteAmount: '1000', limitPrice: '110000' }).expect(201)).body.order;
    expect(limit).toMatchObject({ quantity: '0.00909090', sizedBy: 'quantity', reservedAsset: 'BTC', reservedAmount: '0.00909090' });
    const stop = (await order(seller, { symbol: 'BTC', side: 'sell', type: 'stop', quoteAmount: '950', stopPrice: '95000' }).expect(201)).body.order;
    expect(stop).toMatchObject({ quantity: '0.01000000', sizedBy: 'quantity', reservedAsset: 'BTC', reservedAmount: '0.01000000' });
    expect(await balance(seller, 'BTC')).toEqual({ available: '0.0309091', locked: '0.0190909' });

    await moveBtc('94000');
    await waitForStatus(seller, stop.id, 'filled');
    expect(await getOrder(seller, stop.id)).toMatchObject({ quantity: '0.01000000', filledPrice: '94000.00', quoteAmount: '940.00', fee: '0.94' });
    await request(app.url).delete(`/api/orders/${limit.id}`).set(seller.auth).expect(200);
    expect(await balance(seller, 'BTC')).toEqual({ available: '0.04', locked: '0' });
    expect(await balance(seller, 'USD')).toEqual({ available: '939.06', locked: '0' });
  });

  it('releases a reservation exactly once however many cancels race, and a cancelled order never fills', async () => {
    await moveBtc('100000');
    const user = await createUser(app, mail);
    await fund(app, admin, user, 'USD', '3000');
    const limit = (await order(user, { symbol: 'BTC', side: 'buy', type: 'limit', quoteAmount: '1000', limitPrice: '90000' }).expect(201)).body.order;
    const stop = (await order(user, { symbol: 'BTC', side: 'buy', type: 'stop', quoteAmount: '1000', stopPrice: '120000' }).expect(201)).body.order;
    // The limit buy holds 0.01110001 BTC at 90,000 with its fee (999.0009 + 0.9990009); the stop buy holds its 1000.
    expect(await balance(user, 'USD')).toEqual({ available: '1000.0000991', locked: '1999.9999009' });

    for (const id of [limit.id, stop.id]) {
      const replies = await Promise.all(Array.from({ length: 6 }, () => request(app.url).delete(`/api/orders/${id}`).set(user.auth)));
      expect(replies.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
      expect(await journals(`order:${id}:cancel`)).toBe(1);
    }
    expect(await balance(user, 'USD')).toEqual({ available: '3000', locked: '0' });

    await moveBtc('89000');
    await moveBtc('121000');
    expect([(await getOrder(user, limit.id)).status, (await getOrder(user, stop.id)).status]).toEqual(['cancelled', 'cancelled']);
    expect(await journals(`order:${limit.id}:fill`)).toBe(0);
    expect(await journals(`order:${stop.id}:fill`)).toBe(0);
  });

  it('refuses with 422 an order the balance cannot pay and holds nothing', async () => {
    await moveBtc('100000');
    const user = await createUser(app, mail);
    await fund(app, admin, user, 'USD', '5000');
    for (const body of [
      { symbol: 'BTC', side: 'buy', type: 'limit', quoteAmount: '1000000', limitPrice: '100000' },
      { symbol: 'BTC', side: 'buy', type: 'stop', quoteAmount: '1000000', stopPrice: '110000' },
      { symbol: 'BTC', side: 'buy', type: 'stop', quoteAmount: '5000.01', stopPrice: '110000' },
      { symbol: 'BTC', side: 'sell', type: 'limit', quoteAmount: '1000', limitPrice: '100000' },
    ]) {
      const res = await order(user, body).expect(422);
      expect([body, res.body.error.code]).toEqual([body, 'INSUFFICIENT_FUNDS']);
    }
    expect(await balance(user, 'USD')).toEqual({ available: '5000', locked: '0' });
    expect((await request(app.url).get('/api/orders').set(user.auth).expect(200)).body.items).toEqual([]);
    // The whole balance is affordable: a stop buy of exactly 5000 holds all of it.
    await order(user, { symbol: 'BTC', side: 'buy', type: 'stop', quoteAmount: '5000', stopPrice: '110000' }).expect(201);
    expect(await balance(user, 'USD')).toEqual({ available: '0', locked: '5000' });
  });

  it('refuses an amount that buys too little, and a quantity with an amount', async () => {
    const user = await createUser(app, mail);
    await fund(app, admin, user, 'USD', '100');
    const small = await order(user, { symbol: 'BTC', side: 'buy', type: 'limit', quoteAmount: '0.5', limitPrice: '100000' }).expect(422);
    expect(small.body.error.code).toBe('MIN_NOTIONAL');
    const both = await order(user, { symbol: 'BTC', side: 'buy', type: 'limit', quantity: '0.001', quoteAmount: '10', limitPrice: '100000' }).expect(400);
    expect(both.body.error.details).toEqual([{ field: 'quantity', message: 'Enter a quantity or an amount in USD, not both' }]);
    // An amount at a price of a fraction of a cent would be more of the asset than any order takes.
    const huge = await order(user, { symbol: 'BTC', side: 'buy', type: 'limit', quoteAmount: '100', limitPrice: '0.000000000000000001' }).expect(400);
    expect(huge.body.error.details).toEqual([{ field: 'quoteAmount', message: 'At that price this amount is more than 100,000,000,000,000 BTC: enter less' }]);
    const neither = await order(user, { symbol: 'BTC', side: 'buy', type: 'stop', stopPrice: '100000' }).expect(400);
    expect(neither.body.error.details).toEqual([{ field: 'quantity', message: 'Enter a quantity or an amount in USD' }]);
    expect(await balance(user, 'USD')).toEqual({ available: '100', locked: '0' });
  });

  it('leaves the ledger reconciled', async () => {
    const { code, output } = await runReconcile(db.url);
    expect([code, output]).toEqual([0, expect.any(String)]);
  });
});
