import Decimal from 'decimal.js';
import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { createUser, TestUser } from '../../support/factories';
import { FakeCoinGecko } from '../../support/fakes/coingecko';
import { balanceOf, fund, runReconcile, waitForPrices } from '../../support/money';
import { allPages } from '../../support/pages';
import { SmtpSink } from '../../support/smtp';
import { waitFor } from '../../support/wait';

/** Prices come from a local CoinGecko the test controls: BTC 104250, ETH 3870.25. */
jest.setTimeout(180_000);

describe('money: market, limit and stop orders on the ledger', () => {
  let db: TestDatabase;
  let app: RunningApp;
  let mail: SmtpSink;
  let cg: FakeCoinGecko;
  let admin: TestUser;
  let alice: TestUser;
  let bob: TestUser;

  const order = (user: TestUser, body: Record<string, unknown>) => request(app.url).post('/api/orders').set(user.auth).send(body);
  const platformFees = async (): Promise<string> =>
    (
      await db.query<{ available: string }>(
        `SELECT coalesce(sum(available), 0)::text AS available FROM balances WHERE account = 'platform:fees' AND asset = 'USD'`,
      )
    )[0].available;

  beforeAll(async () => {
    [db, mail, cg] = await Promise.all([createTestDatabase(), SmtpSink.start(), new FakeCoinGecko().start()]);
    app = await startApp(
      suiteEnv(db.url, {
        CANDLE_HISTORY_BACKFILL: 'true',
        SMTP_URL: mail.url,
        PRICE_SOURCES: 'coingecko',
        COINGECKO_BASE_URL: cg.url,
        COINGECKO_POLL_MS: '200',
        RATE_LIMIT_SCALE: '1000',
      }),
    );
    admin = await createUser(app, mail, { admin: true });
    [alice, bob] = await Promise.all([createUser(app, mail), createUser(app, mail)]);
    await waitForPrices(app);
  });
  afterAll(async () => {
    await app?.stop();
    await Promise.all([db?.drop(), mail?.stop(), cg?.stop()]);
  });

  it('fills a market buy at the live quote, debits notional plus the 0.1 % fee and credits the fee to platform:fees', async () => {
    await fund(app, admin, alice, 'USD', '10000');
    const feesBefore = await platformFees();
    const res = await order(alice, { symbol: 'btc', side: 'buy', type: 'market', quantity: '0.01' }).expect(201);
    expect(res.body).toEqual({
      order: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        symbol: 'BTC',
        side: 'buy',
        type: 'market',
        status: 'filled',
        quantity: '0.01000000',
        quoteAmount: '1042.50',
        limitPrice: null,
        stopPrice: null,
        filledPrice: '104250.00',
        fee: '1.0425',
        feeAsset: 'USD',
        createdAt: expect.any(String),
        filledAt: expect.any(String),
        sizedBy: 'quantity',
        reservedAsset: null,
        reservedAmount: null,
      },
    });
    expect(await balanceOf(app, alice, 'USD')).toMatchObject({ available: '8956.4575', locked: '0.00' });
    expect(await balanceOf(app, alice, 'BTC')).toMatchObject({ available: '0.01000000', total: '0.01000000' });
    expect(new Decimal(await platformFees()).sub(feesBefore).toFixed()).toBe('1.0425');
  });

  it('never takes a price from the client: a market order with a price is refused with 400', async () => {
    const res = await order(alice, { symbol: 'BTC', side: 'buy', type: 'market', quantity: '1', limitPrice: '1' }).expect(400);
    expect(res.body.error.details).toEqual([{ field: 'limitPrice', message: 'Leave out a limit price: it is only for limit orders' }]);
    const extra = await order(alice, { symbol: 'BTC', side: 'buy', type: 'market', quantity: '1', price: '1' }).expect(400);
    expect(extra.body.error.details).toEqual([{ field: 'price', message: 'price is not an allowed field' }]);
  });

  it('fills a market sell: the asset leaves, notional minus fee arrives', async () => {
    const res = await order(alice, { symbol: 'BTC', side: 'sell', type: 'market', quantity: '0.004' }).expect(201);
    expect(res.body.order).toMatchObject({ status: 'filled', quantity: '0.00400000', quoteAmount: '417.00', fee: '0.417', filledPrice: '104250.00' });
    expect(await balanceOf(app, alice, 'BTC')).toMatchObject({ available: '0.00600000' });
    expect(await balanceOf(app, alice, 'USD')).toMatchObject({ available: '9373.0405' });
  });

  it('buys by quote amount as the total spend: notional + fee = 100, the quantity rounded down at 18 decimals', async () => {
    const res = await order(alice, { symbol: 'ETH', side: 'buy', type: 'market', quoteAmount: '100' }).expect(201);
    expect(res.body.order).toMatchObject({ quantity: '0.025812311840320392', quoteAmount: '99.9000999', fee: '0.0999001', filledPrice: '3870.25' });
  });

  it('refuses unknown assets, orders under 1 USD and orders the balance cannot pay with 422 and their codes', async () => {
    const unknown = await order(alice, { symbol: 'NOPE', side: 'buy', type: 'market', quantity: '1' }).expect(422);
    expect(unknown.body.error.code).toBe('UNKNOWN_ASSET');
    const usd = await order(alice, { symbol: 'USD', side: 'buy', type: 'market', quantity: '1' }).expect(422);
    expect(usd.body.error.code).toBe('UNKNOWN_ASSET');
    const small = await order(alice, { symbol: 'BTC', side: 'buy', type: 'market', quantity: '0.000001' }).expect(422);
    expect(small.body.error).toEqual({ code: 'MIN_NOTIONAL', message: 'The order value must be at least 1.00 USD' });
    const broke = await order(bob, { symbol: 'BTC', side: 'buy', type: 'market', quantity: '0.001' }).expect(422);
    expect(broke.body.error.code).toBe('INSUFFICIENT_FUNDS');
    const noCoins = await order(bob, { symbol: 'BTC', side: 'sell', type: 'market', quantity: '0.001' }).expect(422);
    expect(noCoins.body.error.code).toBe('INSUFFICIENT_FUNDS');
  });

  it.each([['-1'], ['0'], ['0.0'], ['NaN'], ['Infinity'], ['1e3'], ['abc'], ['0x10'], [' 1'], ['1.0000000000000000001'], [12], [null], [true]])(
    'answers quantity %p with 400 VALIDATION_FAILED',
    async (quantity) => {
      const res = await order(alice, { symbol: 'BTC', side: 'buy', type: 'market', quantity }).expect(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain('quantity');
    },
  );

  it('keeps 0.1 + 0.2, dust and 18-decimal quantities exact through the ledger', async () => {
    const carol = await createUser(app, mail);
    await fund(app, admin, carol, 'USD', '0.1');
    await fund(app, admin, carol, 'USD', '0.2');
    expect(await balanceOf(app, carol, 'USD')).toMatchObject({ available: '0.30' });
    await fund(app, admin, carol, 'BTC', '0.000000000000000001');
    expect(await balanceOf(app, carol, 'BTC')).toMatchObject({ available: '0.000000000000000001' });
    await fund(app, admin, carol, 'USD', '12883.2406248');
    const res = await order(carol, { symbol: 'BTC', side: 'buy', type: 'market', quantity: '0.123456789012345678' }).expect(201);
    expect(res.body.order).toMatchObject({ quantity: '0.123456789012345678', quoteAmount: '12870.37025454', fee: '12.87037026' });
    expect(await balanceOf(app, carol, 'BTC')).toMatchObject({ available: '0.123456789012345679' });
    expect(await balanceOf(app, carol, 'USD')).toMatchObject({ available: '0.30' });
  });

  it('handles a ten-billion-dollar notional to the last digit', async () => {
    const whale = await createUser(app, mail);
    await fund(app, admin, whale, 'USD', '10435425000');
    const res = await order(whale, { symbol: 'BTC', side: 'buy', type: 'market', quantity: '100000' }).expect(201);
    expect(res.body.order).toMatchObject({ quoteAmount: '10425000000.00', fee: '10425000.00' });
    expect(await balanceOf(app, whale, 'USD')).toMatchObject({ available: '0.00' });
    expect(await balanceOf(app, whale, 'BTC')).toMatchObject({ available: '100000.00000000' });
  });

  it('reserves funds for a limit order, releases them on cancel and refuses a second cancel with 409', async () => {
    const before = await balanceOf(app, alice, 'USD');
    const res = await order(alice, { symbol: 'BTC', side: 'buy', type: 'limit', quantity: '0.01', limitPrice: '50000' }).expect(201);
    expect(res.body.order).toMatchObject({ status: 'open', limitPrice: '50000.00', quoteAmount: null, fee: null, filledAt: null });
    const held = await balanceOf(app, alice, 'USD');
    expect(held.locked).toBe('500.50');
    expect(new Decimal(before.available).sub(held.available).toFixed()).toBe('500.5');
    const cancelled = await request(app.url).delete(`/api/orders/${res.body.order.id}`).set(alice.auth).expect(200);
    expect(cancelled.body.order.status).toBe('cancelled');
    expect(await balanceOf(app, alice, 'USD')).toEqual(before);
    const again = await request(app.url).delete(`/api/orders/${res.body.order.id}`).set(alice.auth).expect(409);
    expect(again.body.error.code).toBe('INVALID_STATE');
  });

  it('reserves the asset for a stop sell and needs the matching price field on resting orders', async () => {
    const res = await order(alice, { symbol: 'BTC', side: 'sell', type: 'stop', quantity: '0.002', stopPrice: '90000' }).expect(201);
    expect(res.body.order).toMatchObject({ status: 'open', stopPrice: '90000.00' });
    expect(await balanceOf(app, alice, 'BTC')).toMatchObject({ locked: '0.00200000', available: '0.00400000' });
    await request(app.url).delete(`/api/orders/${res.body.order.id}`).set(alice.auth).expect(200);
    const missing = await order(alice, { symbol: 'BTC', side: 'buy', type: 'limit', quantity: '0.01' }).expect(400);
    expect(missing.body.error.details).toEqual([{ field: 'limitPrice', message: 'Enter a limit price for a limit order' }]);
  });

  it('tells a person what is wrong with an amount in one plain message: too large, not a number, too many decimals', async () => {
    const refused = async (body: Record<string, unknown>) =>
      (await order(alice, { symbol: 'BTC', side: 'buy', type: 'market', ...body }).expect(400)).body.error as {
        code: string;
        message: string;
        details: unknown[];
      };
    // 40 digits: too large, whatever its decimals (not "at most 18 decimals").
    expect(await refused({ quantity: '1'.repeat(40) })).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'That number is too large (at most 100,000,000,000,000)',
      details: [{ field: 'quantity', message: 'That number is too large (at most 100,000,000,000,000)' }],
    });
    expect((await refused({ quoteAmount: `${'9'.repeat(40)}.123456789` })).details).toEqual([
      { field: 'quoteAmount', message: 'That number is too large (at most 100,000,000,000,000)' },
    ]);
    // Malformed: one message showing what a number looks like, no rule names, no regex.
    for (const quantity of ['1e5', 'abc', '1,5', ' 1']) {
      expect((await refused({ quantity })).details).toEqual([{ field: 'quantity', message: 'Enter a quantity like 250 or 0.5' }]);
    }
    expect((await refused({ quantity: '-1' })).details).toEqual([{ field: 'quantity', message: 'Enter a quantity more than 0' }]);
    expect((await refused({ quoteAmount: '10.123456789' })).details).toEqual([{ field: 'quoteAmount', message: 'Use at most 8 decimals' }]);
    // Several rules failing on one field (not a ticker, too long): one message for it; one message a field in all.
    const several = await refused({ symbol: '$'.repeat(40), side: 'hold', quantity: '' });
    expect(several).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'Some fields are invalid',
      details: [
        { field: 'symbol', message: 'Enter a ticker like BTC (up to 16 letters and digits)' },
        { field: 'side', message: 'Choose buy or sell' },
        { field: 'quantity', message: 'Enter a quantity, like 0.5' },
      ],
    });
  });

  it("answers 404 for another user's order and for ids that are not ids", async () => {
    const mine = await order(alice, { symbol: 'ETH', side: 'buy', type: 'limit', quantity: '1', limitPrice: '100' }).expect(201);
    const id = mine.body.order.id as string;
    const get = await request(app.url).get(`/api/orders/${id}`).set(bob.auth).expect(404);
    expect(get.body.error.code).toBe('NOT_FOUND');
    await request(app.url).delete(`/api/orders/${id}`).set(bob.auth).expect(404);
    await request(app.url).get('/api/orders/not-a-uuid').set(alice.auth).expect(400);
    await request(app.url).get(`/api/orders/${id}`).set(alice.auth).expect(200);
    await request(app.url).delete(`/api/orders/${id}`).set(alice.auth).expect(200);
  });

  it('lists orders newest first with status and symbol filters and a cursor that pages without gaps or repeats', async () => {
    const dave = await createUser(app, mail);
    await fund(app, admin, dave, 'USD', '1000');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await order(dave, { symbol: i % 2 ? 'ETH' : 'BTC', side: 'buy', type: 'market', quoteAmount: '5' }).expect(201)).body.order.id);
    const open = await order(dave, { symbol: 'BTC', side: 'buy', type: 'limit', quantity: '0.001', limitPrice: '10000' }).expect(201);
    const seen = (await allPages(app, dave, '/api/orders', { limit: 2 })).map((o) => o.id);
    expect(seen).toEqual([open.body.order.id, ...ids.reverse()]);
    const eth = await request(app.url).get('/api/orders?symbol=eth').set(dave.auth).expect(200);
    expect(eth.body.items).toHaveLength(2);
    const opened = await request(app.url).get('/api/orders?status=open').set(dave.auth).expect(200);
    expect(opened.body.items.map((o: { id: string }) => o.id)).toEqual([open.body.order.id]);
    await request(app.url).get('/api/orders?status=nope').set(dave.auth).expect(400);
    await request(app.url).get('/api/orders?cursor=garbage').set(dave.auth).expect(400);
  });

  it('filters orders by side (with symbol and status), pages within the filter and refuses an unknown side with 400', async () => {
    const erin = await createUser(app, mail);
    await fund(app, admin, erin, 'USD', '1000');
    const buys: string[] = [];
    const sells: string[] = [];
    for (let i = 0; i < 3; i++) buys.push((await order(erin, { symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '20' }).expect(201)).body.order.id);
    for (let i = 0; i < 3; i++) sells.push((await order(erin, { symbol: 'BTC', side: 'sell', type: 'market', quoteAmount: '5' }).expect(201)).body.order.id);
    const ethBuy = (await order(erin, { symbol: 'ETH', side: 'buy', type: 'market', quoteAmount: '5' }).expect(201)).body.order.id;
    const sold = await allPages<{ id: string; side: string }>(app, erin, '/api/orders', { side: 'sell', limit: 2 });
    expect(sold.map((o) => o.side)).toEqual(['sell', 'sell', 'sell']);
    expect(sold.map((o) => o.id)).toEqual([...sells].reverse());
    const btcBuys = await request(app.url).get('/api/orders').query({ side: 'buy', symbol: 'btc', status: 'filled' }).set(erin.auth).expect(200);
    expect(btcBuys.body.items.map((o: { id: string }) => o.id)).toEqual([...buys].reverse());
    const allBuys = await request(app.url).get('/api/orders').query({ side: 'buy' }).set(erin.auth).expect(200);
    expect(allBuys.body.items.map((o: { id: string }) => o.id)).toEqual([ethBuy, ...[...buys].reverse()]);
    const bad = await request(app.url).get('/api/orders').query({ side: 'hold' }).set(erin.auth).expect(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'side', message: expect.any(String) }] });
  });

  it('creates one order for 50 parallel replays of an Idempotency-Key and answers every replay with the first response', async () => {
    const erin = await createUser(app, mail);
    await fund(app, admin, erin, 'USD', '1000');
    const body = { symbol: 'ETH', side: 'buy', type: 'market', quoteAmount: '20' };
    const replies = await Promise.all(
      Array.from({ length: 50 }, () => request(app.url).post('/api/orders').set(erin.auth).set('Idempotency-Key', 'erin-order-1').send(body)),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(50).fill(201));
    expect(new Set(replies.map((r) => JSON.stringify(r.body))).size).toBe(1);
    const count = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM orders WHERE user_id = $1`, [erin.id]);
    expect(count[0].n).toBe('1');
    expect(await balanceOf(app, erin, 'USD')).toMatchObject({ available: '980.00' }); // quoteAmount is the total, fee included

    const other = await request(app.url)
      .post('/api/orders')
      .set(erin.auth)
      .set('Idempotency-Key', 'erin-order-1')
      .send({ ...body, quoteAmount: '30' })
      .expect(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_CONFLICT');
    // Keys are per user: the same key from someone else is a new request.
    await request(app.url).post('/api/orders').set(alice.auth).set('Idempotency-Key', 'erin-order-1').send(body).expect(201);
  });

  it('replays a refused request with the same refusal', async () => {
    const first = await request(app.url)
      .post('/api/orders')
      .set(bob.auth)
      .set('Idempotency-Key', 'bob-broke')
      .send({ symbol: 'BTC', side: 'buy', type: 'market', quantity: '1' })
      .expect(422);
    await fund(app, admin, bob, 'USD', '200000');
    const replay = await request(app.url)
      .post('/api/orders')
      .set(bob.auth)
      .set('Idempotency-Key', 'bob-broke')
      .send({ symbol: 'BTC', side: 'buy', type: 'market', quantity: '1' })
      .expect(422);
    expect(replay.body.error).toEqual(first.body.error);
  });

  it('fills exactly 50 of 200 parallel market buys whose balance covers 50, refusing 150 with INSUFFICIENT_FUNDS', async () => {
    const frank = await createUser(app, mail);
    await fund(app, admin, frank, 'USD', '500'); // 50 × 10.00: quoteAmount is the total, fee included
    const replies = await Promise.all(Array.from({ length: 200 }, () => order(frank, { symbol: 'ETH', side: 'buy', type: 'market', quoteAmount: '10' })));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(50);
    expect(statuses.filter((s) => s === 422)).toHaveLength(150);
    expect(new Set(replies.filter((r) => r.status === 422).map((r) => r.body.error.code))).toEqual(new Set(['INSUFFICIENT_FUNDS']));
    expect(await balanceOf(app, frank, 'USD')).toMatchObject({ available: '0.00', locked: '0.00' });
    const negative = await db.query(`SELECT * FROM balances WHERE account LIKE 'user:%' AND (available < 0 OR locked < 0)`);
    expect(negative).toEqual([]);
    const reconcile = await runReconcile(db.url);
    expect(reconcile.output).toContain('reconcile: ledger and balances agree');
    expect(reconcile.code).toBe(0);
  });

  it('reports the wallet with totals, values at the latest quotes and every asset held', async () => {
    const res = await request(app.url).get('/api/wallet/balance').set(alice.auth).expect(200);
    expect(Object.keys(res.body.wallet).sort()).toEqual(['balances', 'totalUsd', 'updatedAt']);
    const btc = res.body.wallet.balances.find((b: { asset: string }) => b.asset === 'BTC');
    expect(btc).toEqual({ asset: 'BTC', available: '0.00600000', locked: '0.00000000', total: '0.00600000', usdValue: '625.50' });
    const fresh = await createUser(app, mail);
    const empty = await request(app.url).get('/api/wallet/balance').set(fresh.auth).expect(200);
    expect(empty.body.wallet).toEqual({
      balances: [{ asset: 'USD', available: '0.00', locked: '0.00', total: '0.00', usdValue: '0.00' }],
      totalUsd: '0.00',
      updatedAt: null,
    });
    await request(app.url).get('/api/wallet/balance').expect(401);
  });

  it('lets only admins adjust the ledger, refuses zero and overdrafts, and audits every adjustment', async () => {
    const denied = await request(app.url)
      .post('/api/admin/ledger/adjustments')
      .set(alice.auth)
      .send({ userId: alice.id, asset: 'USD', amount: '5', reason: 'gift' })
      .expect(403);
    expect(denied.body.error.code).toBe('FORBIDDEN');
    await request(app.url)
      .post('/api/admin/ledger/adjustments')
      .set(admin.auth)
      .send({ userId: alice.id, asset: 'USD', amount: '0', reason: 'nothing' })
      .expect(400);
    await request(app.url)
      .post('/api/admin/ledger/adjustments')
      .set(admin.auth)
      .send({ userId: alice.id, asset: 'USD', amount: '1e3', reason: 'exp' })
      .expect(400);
    const over = await request(app.url)
      .post('/api/admin/ledger/adjustments')
      .set(admin.auth)
      .send({ userId: bob.id, asset: 'BTC', amount: '-1', reason: 'claw back' })
      .expect(422);
    expect(over.body.error.code).toBe('INSUFFICIENT_FUNDS');
    const nobody = await request(app.url)
      .post('/api/admin/ledger/adjustments')
      .set(admin.auth)
      .send({ userId: '00000000-0000-4000-8000-000000000000', asset: 'USD', amount: '1', reason: 'ghost' })
      .expect(404);
    expect(nobody.body.error.code).toBe('NOT_FOUND');
    const ok = await request(app.url)
      .post('/api/admin/ledger/adjustments')
      .set(admin.auth)
      .send({ userId: bob.id, asset: 'USD', amount: '-0.5', reason: 'correction' })
      .expect(201);
    const audit = await db.query<{ actor_id: string; details: { journalId: string; amount: string } }>(
      `SELECT actor_id, details FROM audit_logs WHERE action = 'ledger.adjustment' AND user_id = $1 ORDER BY id DESC LIMIT 1`,
      [bob.id],
    );
    expect(audit[0]).toMatchObject({ actor_id: admin.id, details: { journalId: ok.body.journalId, amount: '-0.50' } });
  });

  it('values the portfolio from the same balances, with average cost, P&L and tracked holdings labelled', async () => {
    const gina = await createUser(app, mail);
    await fund(app, admin, gina, 'USD', '2000');
    await order(gina, { symbol: 'BTC', side: 'buy', type: 'market', quantity: '0.01' }).expect(201);
    cg.setPrice('bitcoin', '110000');
    await waitFor(
      async () => (await request(app.url).get('/api/portfolio').set(gina.auth)).body.portfolio.holdings[0]?.currentPrice === '110000.00',
      10_000,
      'BTC at 110000',
    );
    await order(gina, { symbol: 'BTC', side: 'sell', type: 'market', quantity: '0.004' }).expect(201);
    const res = await request(app.url).get('/api/portfolio').set(gina.auth).expect(200);
    const p = res.body.portfolio;
    const btc = p.holdings.find((h: { symbol: string }) => h.symbol === 'BTC');
    // Bought 0.01 for 1042.50 + 1.0425 fee: avg cost 104354.25; 0.006 left at 110000.
    expect(btc).toMatchObject({
      name: 'Bitcoin',
      amount: '0.00600000',
      avgCost: '104354.25',
      currentPrice: '110000.00',
      value: '660.00',
      pnl: '33.87',
      source: 'account',
    });
    // Sold 0.004 for 440 − 0.44 fee against a cost of 417.417: realised 22.143.
    expect(p.realizedPnl).toBe('22.14');
    // 2000 − 1043.5425 + 439.56
    expect(p.cash).toBe('1396.02');

    await request(app.url).post('/api/portfolio/holding').set(gina.auth).send({ symbol: 'eth', amount: '1', avgCost: '3000' }).expect(201);
    const added = await request(app.url).post('/api/portfolio/holding').set(gina.auth).send({ symbol: 'ETH', amount: '1', avgCost: '4000' }).expect(201);
    expect(added.body.holding).toMatchObject({ symbol: 'ETH', amount: '2.00000000', avgCost: '3500.00', source: 'tracked' });
    const one = await request(app.url).get('/api/portfolio/holding/eth').set(gina.auth).expect(200);
    expect(one.body.holding.source).toBe('tracked');
    await request(app.url).post('/api/portfolio/holding').set(gina.auth).send({ symbol: 'NOPE', amount: '1' }).expect(422);
    await request(app.url).post('/api/portfolio/holding').set(gina.auth).send({ symbol: 'ETH', amount: '-1' }).expect(400);
    await request(app.url).delete('/api/portfolio/holding/ETH').set(gina.auth).expect(204);
    await request(app.url).delete('/api/portfolio/holding/ETH').set(gina.auth).expect(404);
    await request(app.url).get('/api/portfolio/holding/ETH').set(gina.auth).expect(404);

    const history = await request(app.url).get('/api/portfolio/history?days=7').set(gina.auth).expect(200);
    expect(history.body.points.length).toBeGreaterThan(20);
    expect(history.body.points[0].value).toBe('0.00');
    expect(Number(history.body.points.at(-1).value)).toBeGreaterThan(2000);
    expect(['candles', 'current', 'mixed']).toContain(history.body.valuation);
    await request(app.url).get('/api/portfolio/history?days=0').set(gina.auth).expect(400);
    cg.setPrice('bitcoin', '104250');
  });

  it('lists the ledger as transactions by type, gets one, summarises them and exports CSV', async () => {
    const hank = await createUser(app, mail);
    await fund(app, admin, hank, 'USD', '1000');
    // quoteAmount is the total with the fee: 100.10 buys 100.00 of ETH plus 0.10 fee.
    await order(hank, { symbol: 'ETH', side: 'buy', type: 'market', quoteAmount: '100.10' }).expect(201);
    const limit = await order(hank, { symbol: 'ETH', side: 'buy', type: 'limit', quantity: '0.1', limitPrice: '100' }).expect(201);
    await request(app.url).delete(`/api/orders/${limit.body.order.id}`).set(hank.auth).expect(200);
    const all = await request(app.url).get('/api/transactions').set(hank.auth).expect(200);
    // Holds and releases are not shown: adjustment, then the trade's USD, fee and ETH.
    expect(all.body.items.map((t: { type: string; asset: string; amount: string }) => `${t.type} ${t.asset} ${t.amount}`).sort()).toEqual(
      ['adjustment USD 1000.00', 'fee USD -0.10', 'trade ETH 0.025838124152186551', 'trade USD -100.00'].sort(),
    );
    const fees = await request(app.url).get('/api/transactions?type=fee').set(hank.auth).expect(200);
    expect(fees.body.items).toEqual([
      {
        id: expect.any(String),
        type: 'fee',
        asset: 'USD',
        amount: '-0.10',
        status: 'completed',
        description: expect.stringContaining('ETH'),
        reference: expect.stringMatching(/^order:.*:fill$/),
        createdAt: expect.any(String),
      },
    ]);
    const page1 = await request(app.url).get('/api/transactions?limit=3').set(hank.auth).expect(200);
    const page2 = await request(app.url).get(`/api/transactions?limit=3&cursor=${page1.body.nextCursor}`).set(hank.auth).expect(200);
    expect([...page1.body.items, ...page2.body.items].map((t: { id: string }) => t.id).sort()).toEqual(all.body.items.map((t: { id: string }) => t.id).sort());
    expect(page2.body.nextCursor).toBeNull();
    const one = await request(app.url).get(`/api/transactions/${fees.body.items[0].id}`).set(hank.auth).expect(200);
    expect(one.body.transaction).toEqual(fees.body.items[0]);
    await request(app.url).get(`/api/transactions/${fees.body.items[0].id}`).set(bob.auth).expect(404);
    await request(app.url).get('/api/transactions/abc').set(hank.auth).expect(400);
    await request(app.url).get('/api/transactions?type=bogus').set(hank.auth).expect(400);

    const stats = await request(app.url).get('/api/transactions/summary/stats').set(hank.auth).expect(200);
    expect(stats.body.stats.count).toBe(4);
    expect(stats.body.stats.byAsset.find((a: { asset: string }) => a.asset === 'USD')).toEqual({
      asset: 'USD',
      credited: '1000.00',
      debited: '100.10',
      net: '899.90',
      fees: '0.10',
    });

    await request(app.url)
      .post('/api/admin/ledger/adjustments')
      .set(admin.auth)
      .send({ userId: hank.id, asset: 'USD', amount: '1', reason: '=cmd, "quoted"\nnext' })
      .expect(201);
    const csv = await request(app.url).get('/api/transactions/export.csv').set(hank.auth).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.split('\r\n');
    // The list's columns first; the event's follow (e2e/api/transactions/activity covers them).
    expect(lines[0]).toMatch(/^id,type,asset,amount,status,description,reference,createdAt,/);
    expect(csv.text).toContain(`,adjustment,USD,1.00,completed,"'=cmd, ""quoted""\nnext",adjustment:`);
    expect(csv.text).toContain(',fee,USD,-0.10,completed,');
  });

  it('describes a trade as a person would: the quantity at most 8 decimals, dollars and cents, not 18 raw decimals', async () => {
    const ida = await createUser(app, mail);
    await fund(app, admin, ida, 'USD', '1000');
    await order(ida, { symbol: 'ETH', side: 'buy', type: 'market', quoteAmount: '100.10' }).expect(201); // 100.00 of ETH + 0.10 fee
    await order(ida, { symbol: 'BTC', side: 'buy', type: 'market', quantity: '0.004' }).expect(201);
    const trades = await request(app.url).get('/api/transactions').query({ type: 'trade' }).set(ida.auth).expect(200);
    const eth = trades.body.items.find((t: { asset: string }) => t.asset === 'ETH');
    expect(eth.amount).toBe('0.025838124152186551');
    // The ledger keeps every digit; the description rounds down to 8 decimals and says so.
    expect(eth.description).toBe('Bought ≈0.02583812 ETH at $3,870.25 (fee $0.10)');
    // 0.004 × 104,250 = 417.00; the 0.1% fee 0.417 is shown to the cent and marked as rounded.
    expect(trades.body.items.find((t: { asset: string }) => t.asset === 'BTC').description).toBe('Bought 0.004 BTC at $104,250.00 (fee ≈$0.42)');
    for (const t of trades.body.items as { description: string }[]) {
      expect(t.description).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|\d{4}-\d\d-\d\dT|\d\.\d{9,}| USD\b/);
    }
  });

  it('filters transactions by asset and time range, pages within the filters, exports the same rows as CSV and refuses bad filters with 400', async () => {
    const ivy = await createUser(app, mail);
    await fund(app, admin, ivy, 'USD', '1000');
    await order(ivy, { symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '10' }).expect(201);
    await order(ivy, { symbol: 'ETH', side: 'buy', type: 'market', quoteAmount: '10' }).expect(201);
    await order(ivy, { symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '20' }).expect(201);
    type Tx = { id: string; type: string; asset: string; createdAt: string };
    const list = (query: Record<string, string | number>) => allPages<Tx>(app, ivy, '/api/transactions', query);
    const all = await list({ limit: 100 });
    expect(all).toHaveLength(10);
    const ids = (rows: Tx[]) => rows.map((t) => t.id);

    expect(ids(await list({ asset: 'usd', limit: 2 }))).toEqual(ids(all.filter((t) => t.asset === 'USD')));
    const btc = await list({ asset: 'BTC', limit: 1 });
    expect(btc.map((t) => t.type)).toEqual(['trade', 'trade']);
    expect(ids(await list({ asset: 'USD', type: 'fee', limit: 1 }))).toEqual(ids(all.filter((t) => t.asset === 'USD' && t.type === 'fee')));

    // From the first BTC buy (inclusive) to the second (exclusive): that buy and the ETH buy, three rows each.
    const [second, first] = btc.map((t) => t.createdAt);
    const window = all.filter((t) => t.createdAt >= first && t.createdAt < second);
    expect(window).toHaveLength(6);
    expect(ids(await list({ from: first, to: second, limit: 4 }))).toEqual(ids(window));
    expect(ids(await list({ from: second }))).toEqual(ids(all.filter((t) => t.createdAt >= second)));
    expect(ids(await list({ to: first }))).toEqual(ids(all.filter((t) => t.createdAt < first)));

    const csv = await request(app.url).get('/api/transactions/export.csv').query({ asset: 'usd', from: first, to: second }).set(ivy.auth).expect(200);
    const lines = csv.text.split('\r\n').filter(Boolean);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(ids(window.filter((t) => t.asset === 'USD')));
    expect(lines.slice(1).every((l) => l.split(',')[2] === 'USD')).toBe(true);

    for (const [query, field] of [
      [{ asset: 'B-T' }, 'asset'],
      [{ from: 'yesterday' }, 'from'],
      [{ to: '2026-13-01T00:00:00Z' }, 'to'],
      [{ from: second, to: first }, 'to'],
    ] as const) {
      for (const path of ['/api/transactions', '/api/transactions/export.csv']) {
        const res = await request(app.url).get(path).query(query).set(ivy.auth).expect(400);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field, message: expect.any(String) }] });
      }
    }
    await request(app.url).get('/api/transactions/export.csv').query({ limit: 5 }).set(ivy.auth).expect(400);
  });

  it('proves the ledger with the reconcile command and names a balance that disagrees with its entries', async () => {
    const clean = await runReconcile(db.url);
    expect(clean.code).toBe(0);
    await db.query(`UPDATE balances SET available = available + 1 WHERE account = $1 AND asset = 'USD'`, [`user:${bob.id}`]);
    const broken = await runReconcile(db.url);
    expect(broken.code).toBe(1);
    expect(broken.output).toContain(`FAIL balances equal the sum of their entries (1 violation)`);
    expect(broken.output).toContain(`user:${bob.id} USD`);
    await db.query(`UPDATE balances SET available = available - 1 WHERE account = $1 AND asset = 'USD'`, [`user:${bob.id}`]);
  });
});
