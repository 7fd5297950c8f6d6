import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { createUser, TestUser } from '../../support/factories';
import { FakeCoinGecko } from '../../support/fakes/coingecko';
import { balanceOf, fund, runReconcile, waitForPrices } from '../../support/money';
import { SmtpSink } from '../../support/smtp';
import { waitFor } from '../../support/wait';

jest.setTimeout(180_000);

/**
 * Two instances against one PostgreSQL and one Redis: one of them leads
 * (ingests prices and runs the trigger engine); orders are placed through
 * both. Prices move through the local CoinGecko.
 */
describe('money: the trigger engine fills resting orders exactly once', () => {
  let db: TestDatabase;
  let a: RunningApp;
  let b: RunningApp;
  let mail: SmtpSink;
  let cg: FakeCoinGecko;
  let admin: TestUser;
  let trader: TestUser;

  const place = (app: RunningApp, u: TestUser, body: Record<string, unknown>) => request(app.url).post('/api/orders').set(u.auth).send(body).expect(201);
  const statusOf = async (id: string): Promise<string> => (await db.query<{ status: string }>(`SELECT status FROM orders WHERE id = $1`, [id]))[0].status;
  const fills = async (id: string): Promise<number> =>
    Number((await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ledger_journals WHERE reference = $1`, [`order:${id}:fill`]))[0].n);
  /** The description of an order's journal (`hold`, `fill`, `cancel`, `reject`), as the activity page shows it. */
  const journalText = async (id: string, step: string): Promise<string> =>
    (await db.query<{ description: string }>(`SELECT description FROM ledger_journals WHERE reference = $1`, [`order:${id}:${step}`]))[0].description;
  /** The in-app notification about an order, once the trigger engine has sent it. */
  const noticeAbout = async (app: RunningApp, u: TestUser, id: string): Promise<{ type: string; title: string; body: string }> => {
    let found: { type: string; title: string; body: string } | undefined;
    await waitFor(
      async () => {
        const items = (await request(app.url).get('/api/notifications').set(u.auth).expect(200)).body.items as {
          type: string;
          title: string;
          body: string;
          data: { order?: { id: string } };
        }[];
        found = items.find((n) => n.data.order?.id === id);
        return !!found;
      },
      10_000,
      `the notification about order ${id}`,
    );
    return found!;
  };
  /** Prose a person would write: no UUID, no ISO 8601 timestamp, no raw long decimal, no "123.45 USD". */
  const HUMAN = /[0-9a-f]{8}-[0-9a-f]{4}-|\d{4}-\d\d-\d\dT|\d\.\d{9,}|\d USD\b/i;
  /** Moves BTC and waits until both instances quote the new price. */
  const moveBtc = async (price: string): Promise<void> => {
    cg.setPrice('bitcoin', price);
    for (const app of [a, b]) {
      await waitFor(
        async () => {
          const res = await request(app.url).get('/api/portfolio').set(trader.auth);
          return res.body.portfolio.holdings.find((h: { symbol: string; source: string }) => h.symbol === 'BTC')?.currentPrice === `${price}.00`;
        },
        10_000,
        `BTC at ${price} on ${app.url}`,
      );
    }
  };

  beforeAll(async () => {
    [db, mail, cg] = await Promise.all([createTestDatabase(), SmtpSink.start(), new FakeCoinGecko().start()]);
    const env = suiteEnv(db.url, {
      SMTP_URL: mail.url,
      PRICE_SOURCES: 'coingecko',
      COINGECKO_BASE_URL: cg.url,
      COINGECKO_POLL_MS: '100',
      PRICE_MAX_AGE_MS: '3000',
      // One batch at a time: whatever one tick crosses is filled together (one transaction, one journal statement for
      // the fills of distinct users), so every test here goes through that path, the refused statement included.
      TRIGGER_FIRE_CONCURRENCY: '1',
    });
    [a, b] = await Promise.all([startApp(env), startApp(env)]);
    admin = await createUser(a, mail, { admin: true });
    trader = await createUser(b, mail);
    await Promise.all([waitForPrices(a), waitForPrices(b)]);
    // The trader holds a little BTC so the portfolio shows its quote on each instance.
    await fund(a, admin, trader, 'BTC', '0.001');
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await Promise.all([db?.drop(), mail?.stop(), cg?.stop()]);
  });

  it('fills limit buys placed through either instance once, at the tick that crosses them, refunding the unused reservation', async () => {
    await moveBtc('104250');
    const buyer = await createUser(b, mail);
    await fund(a, admin, buyer, 'USD', '2002');
    const viaA = (await place(a, buyer, { symbol: 'BTC', side: 'buy', type: 'limit', quantity: '0.01', limitPrice: '100000' })).body.order.id as string;
    const viaB = (await place(b, buyer, { symbol: 'BTC', side: 'buy', type: 'limit', quantity: '0.01', limitPrice: '100000' })).body.order.id as string;
    expect(await balanceOf(b, buyer, 'USD')).toMatchObject({ available: '0.00', locked: '2002.00' });

    await moveBtc('100001');
    expect([await statusOf(viaA), await statusOf(viaB)]).toEqual(['open', 'open']);

    await moveBtc('99000');
    await waitFor(async () => (await statusOf(viaA)) === 'filled' && (await statusOf(viaB)) === 'filled', 10_000, 'both limit buys filled');
    const order = await request(a.url).get(`/api/orders/${viaB}`).set(buyer.auth).expect(200);
    expect(order.body.order).toMatchObject({ status: 'filled', filledPrice: '99000.00', quoteAmount: '990.00', fee: '0.99', filledAt: expect.any(String) });
    // The owner is told in words, with dollars and cents; the journals read the same way.
    const notice = await noticeAbout(a, buyer, viaB);
    expect(notice).toMatchObject({
      type: 'order_filled',
      title: 'Your limit buy of BTC filled',
      body: 'Your limit buy of 0.01 BTC filled at $99,000.00 for $990.00 (fee $0.99).',
    });
    expect(`${notice.title} ${notice.body}`).not.toMatch(HUMAN);
    expect(await journalText(viaB, 'hold')).toBe('Reserved $1,001.00 for a limit buy of 0.01 BTC at $100,000.00');
    expect(await journalText(viaB, 'fill')).toBe('Bought 0.01 BTC at $99,000.00 (fee $0.99)');

    // Later ticks that cross again change nothing: still one fill journal each.
    await moveBtc('98000');
    await new Promise((r) => setTimeout(r, 500));
    expect([await fills(viaA), await fills(viaB)]).toEqual([1, 1]);
    // Reserved 2 × 1001.00; paid 2 × 990.99; the rest is available again.
    expect(await balanceOf(a, buyer, 'USD')).toMatchObject({ available: '20.02', locked: '0.00' });
    expect(await balanceOf(a, buyer, 'BTC')).toMatchObject({ available: '0.02000000' });
  });

  it('fires limit sells on a rise, stop sells on a fall and never fills a cancelled order', async () => {
    await moveBtc('100000');
    const seller = await createUser(a, mail);
    await fund(a, admin, seller, 'BTC', '0.03');
    const limitSell = (await place(b, seller, { symbol: 'BTC', side: 'sell', type: 'limit', quantity: '0.01', limitPrice: '105000' })).body.order.id as string;
    const stopSell = (await place(a, seller, { symbol: 'BTC', side: 'sell', type: 'stop', quantity: '0.01', stopPrice: '95000' })).body.order.id as string;
    const cancelled = (await place(b, seller, { symbol: 'BTC', side: 'sell', type: 'limit', quantity: '0.01', limitPrice: '101000' })).body.order.id as string;
    await request(b.url).delete(`/api/orders/${cancelled}`).set(seller.auth).expect(200);

    await moveBtc('106000');
    await waitFor(async () => (await statusOf(limitSell)) === 'filled', 10_000, 'limit sell filled');
    expect(await statusOf(stopSell)).toBe('open');
    await moveBtc('94000');
    await waitFor(async () => (await statusOf(stopSell)) === 'filled', 10_000, 'stop sell filled');
    expect(await statusOf(cancelled)).toBe('cancelled');
    expect(await journalText(cancelled, 'hold')).toBe('Reserved 0.01 BTC for a limit sell at $101,000.00');
    expect(await journalText(cancelled, 'cancel')).toBe('Released 0.01 BTC: cancelled limit sell of BTC');
    expect(await journalText(stopSell, 'fill')).toBe('Sold 0.01 BTC at $94,000.00 (fee $0.94)');

    const filled = await request(a.url).get('/api/orders?status=filled').set(seller.auth).expect(200);
    expect(filled.body.items.map((o: { filledPrice: string }) => o.filledPrice).sort()).toEqual(['106000.00', '94000.00'].sort());
    // 1060 − 1.06 + 940 − 0.94
    expect(await balanceOf(b, seller, 'USD')).toMatchObject({ available: '1998.00', locked: '0.00' });
    expect(await balanceOf(b, seller, 'BTC')).toMatchObject({ available: '0.01000000', locked: '0.00000000' });
  });

  it('fills a stop buy at the market when funds cover the move, and rejects it and releases the hold when they do not', async () => {
    await moveBtc('100000');
    const [rich, tight] = await Promise.all([createUser(a, mail), createUser(b, mail)]);
    await fund(a, admin, rich, 'USD', '5000');
    await fund(a, admin, tight, 'USD', '1011.01');
    const richStop = (await place(a, rich, { symbol: 'BTC', side: 'buy', type: 'stop', quantity: '0.01', stopPrice: '101000' })).body.order.id as string;
    const tightStop = (await place(b, tight, { symbol: 'BTC', side: 'buy', type: 'stop', quantity: '0.01', stopPrice: '101000' })).body.order.id as string;
    expect(await balanceOf(a, tight, 'USD')).toMatchObject({ available: '0.00', locked: '1011.01' });

    await moveBtc('120000');
    await waitFor(async () => (await statusOf(richStop)) === 'filled' && (await statusOf(tightStop)) === 'rejected', 10_000, 'stop buys settled');
    // 5000 − (1200 + 1.20)
    expect(await balanceOf(a, rich, 'USD')).toMatchObject({ available: '3798.80', locked: '0.00' });
    expect(await balanceOf(a, tight, 'USD')).toMatchObject({ available: '1011.01', locked: '0.00' });
    expect(await journalText(tightStop, 'reject')).toBe('Rejected stop buy of 0.01 BTC: insufficient funds at $120,000.00');
    const rejected = await noticeAbout(b, tight, tightStop);
    expect(rejected).toMatchObject({ type: 'order_cancelled', title: 'Your stop buy of BTC was rejected' });
    expect(rejected.body).toMatch(/^Your stop buy of 0\.01 BTC reached its trigger/);
    expect(rejected.body).not.toMatch(HUMAN);
    await request(b.url).delete(`/api/orders/${tightStop}`).set(tight.auth).expect(409);
  });

  it('fills what one tick crosses for several users together, each order exactly as on its own', async () => {
    await moveBtc('101000');
    const buyer = await createUser(a, mail);
    const seller = await createUser(b, mail);
    const byAmount = await createUser(a, mail);
    await fund(a, admin, buyer, 'USD', '3003');
    await fund(a, admin, seller, 'BTC', '0.02');
    await fund(a, admin, byAmount, 'USD', '1000');
    // A fall to 99,000 crosses the buyer's two limit buys (the second, the same user's, is filled after the statement) and the seller's stop sell.
    const buy1 = (await place(a, buyer, { symbol: 'BTC', side: 'buy', type: 'limit', quantity: '0.01', limitPrice: '100000' })).body.order.id as string;
    const buy2 = (await place(b, buyer, { symbol: 'BTC', side: 'buy', type: 'limit', quantity: '0.02', limitPrice: '100000' })).body.order.id as string;
    const stopSell = (await place(a, seller, { symbol: 'BTC', side: 'sell', type: 'stop', quantity: '0.01', stopPrice: '99500' })).body.order.id as string;
    await moveBtc('99000');
    await waitFor(async () => (await Promise.all([buy1, buy2, stopSell].map(statusOf))).every((s) => s === 'filled'), 10_000, 'the crossed orders filled');
    expect(await Promise.all([buy1, buy2, stopSell].map(fills))).toEqual([1, 1, 1]);
    expect(await journalText(buy2, 'fill')).toBe('Bought 0.02 BTC at $99,000.00 (fee $1.98)');
    expect(await journalText(stopSell, 'fill')).toBe('Sold 0.01 BTC at $99,000.00 (fee $0.99)');
    // Reserved 1001.00 + 2002.00; paid 990.99 + 1981.98.
    expect(await balanceOf(a, buyer, 'USD')).toMatchObject({ available: '30.03', locked: '0.00' });
    expect(await balanceOf(a, buyer, 'BTC')).toMatchObject({ available: '0.03000000', locked: '0.00000000' });
    expect(await balanceOf(b, seller, 'USD')).toMatchObject({ available: '989.01', locked: '0.00' });
    expect(await balanceOf(b, seller, 'BTC')).toMatchObject({ available: '0.01000000', locked: '0.00000000' });
    expect((await noticeAbout(a, seller, stopSell)).body).toBe('Your stop sell of 0.01 BTC filled at $99,000.00 for $990.00 (fee $0.99).');

    // A rise to 102,000 crosses the seller's limit sell and a stop buy by USD amount, which buys what its hold pays for.
    const limitSell = (await place(b, seller, { symbol: 'BTC', side: 'sell', type: 'limit', quantity: '0.01', limitPrice: '101000' })).body.order.id as string;
    const amountStop = (await place(a, byAmount, { symbol: 'BTC', side: 'buy', type: 'stop', quoteAmount: '500.50', stopPrice: '101000' })).body.order
      .id as string;
    await moveBtc('102000');
    await waitFor(async () => (await statusOf(limitSell)) === 'filled' && (await statusOf(amountStop)) === 'filled', 10_000, 'the crossed orders filled');
    const byAmountOrder = await request(a.url).get(`/api/orders/${amountStop}`).set(byAmount.auth).expect(200);
    expect(byAmountOrder.body.order).toMatchObject({
      sizedBy: 'quoteAmount',
      quantity: '0.004901960784313725',
      filledPrice: '102000.00',
      quoteAmount: '500.00',
      fee: '0.50',
      reservedAmount: null,
    });
    expect(await balanceOf(a, byAmount, 'USD')).toMatchObject({ available: '499.50', locked: '0.00' });
    // 989.01 + 1020 − 1.02
    expect(await balanceOf(b, seller, 'USD')).toMatchObject({ available: '2007.99', locked: '0.00' });
    // Sold out: the wallet no longer lists BTC.
    expect(await balanceOf(b, seller, 'BTC')).toMatchObject({ available: '0', locked: '0' });
    expect(await Promise.all([limitSell, amountStop].map(fills))).toEqual([1, 1]);
  });

  it('picks up resting orders from the database when an instance restarts', async () => {
    await moveBtc('100000');
    const patient = await createUser(a, mail);
    await fund(a, admin, patient, 'USD', '1001');
    const id = (await place(b, patient, { symbol: 'BTC', side: 'buy', type: 'limit', quantity: '0.01', limitPrice: '99500' })).body.order.id as string;
    await Promise.all([a.stop(), b.stop()]);
    [a, b] = await Promise.all([startApp(a.env), startApp(b.env)]);
    await Promise.all([waitForPrices(a), waitForPrices(b)]);
    await moveBtc('99400');
    await waitFor(async () => (await statusOf(id)) === 'filled', 15_000, 'limit buy filled after restart');
    expect(await fills(id)).toBe(1);
  });

  it('refuses market orders with 422 PRICE_STALE once the quote is older than PRICE_MAX_AGE_MS, on every instance', async () => {
    const buyer = await createUser(a, mail);
    await fund(a, admin, buyer, 'USD', '100');
    cg.setFailure(500);
    for (const app of [a, b]) {
      // Probe with an order the buyer cannot afford: refused either way, so nothing is spent while the quote is still fresh.
      await waitFor(
        async () =>
          (await request(app.url).post('/api/orders').set(buyer.auth).send({ symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '1000' })).body.error
            ?.code === 'PRICE_STALE',
        15_000,
        'stale price',
      );
      const res = await request(app.url)
        .post('/api/orders')
        .set(buyer.auth)
        .send({ symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '10' })
        .expect(422);
      expect(res.body.error.code).toBe('PRICE_STALE');
    }
    expect(await balanceOf(a, buyer, 'USD')).toMatchObject({ available: '100.00' });

    const reconcile = await runReconcile(db.url);
    expect(reconcile.code).toBe(0);
  });
});
