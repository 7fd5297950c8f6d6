import Decimal from 'decimal.js';
import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { createUser, TestUser } from '../../support/factories';
import { FakeCoinGecko } from '../../support/fakes/coingecko';
import { balanceOf, fund, runReconcile, waitForPrices } from '../../support/money';
import { allPages } from '../../support/pages';
import { SmtpSink } from '../../support/smtp';

/**
 * Convert (API.md "Convert"): a quote locked for CONVERT_QUOTE_TTL_MS, settled once as one balanced journal.
 * Two instances of one deployment: `app` keeps quotes the default 10 s, `quick` (CONVERT_QUOTE_TTL_MS=300) lets a
 * quote expire without a long wait; a quote made on one instance is settled on the other.
 * Prices come from a local CoinGecko: BTC 104250, ETH 3870.25.
 */
jest.setTimeout(180_000);

const FEE_RATE = new Decimal('0.001');

/** An amount as the API writes it: at least 2 decimals for USD and 8 for crypto, every decimal it has. */
const amount = (d: Decimal.Value, asset: string): string => new Decimal(d).toFixed(Math.max(asset === 'USD' ? 2 : 8, new Decimal(d).decimalPlaces()));
const usd = (d: Decimal.Value): string => amount(d, 'USD');

interface Quote {
  id: string;
  from: string;
  to: string;
  give: string;
  fee: string;
  feeAsset: string;
  feeUsd: string;
  receive: string;
  rate: string;
  fromPrice: string;
  toPrice: string;
  spread: string;
  createdAt: string;
  expiresAt: string;
  validForMs: number;
}

describe('convert: swap one asset for another at a locked quote', () => {
  let db: TestDatabase;
  let app: RunningApp;
  let quick: RunningApp;
  let mail: SmtpSink;
  let cg: FakeCoinGecko;
  let admin: TestUser;

  const quote = (on: RunningApp, user: TestUser, body: Record<string, unknown>) => request(on.url).post('/api/convert/quotes').set(user.auth).send(body);
  const settle = (on: RunningApp, user: TestUser, quoteId: unknown, key?: string) => {
    const req = request(on.url).post('/api/convert').set(user.auth);
    if (key) void req.set('Idempotency-Key', key);
    return req.send({ quoteId });
  };
  const newUser = async (funds: Record<string, string> = {}): Promise<TestUser> => {
    const u = await createUser(app, mail);
    for (const [asset, amount] of Object.entries(funds)) await fund(app, admin, u, asset, amount);
    return u;
  };
  const journalsOf = async (quoteId: string) =>
    db.query<{ id: string; type: string; description: string }>(`SELECT id, type, description FROM ledger_journals WHERE reference = $1`, [
      `convert:${quoteId}`,
    ]);
  const feesIn = async (asset: string): Promise<Decimal> =>
    new Decimal(
      (await db.query<{ v: string }>(`SELECT coalesce(sum(available), 0)::text AS v FROM balances WHERE account = 'platform:fees' AND asset = $1`, [asset]))[0]
        .v,
    );

  /** What the platform's fee rule gives for `give` of `from` (total, fee included): the net converted and the fee, 8 decimals. */
  const expectedFromAmount = (amount: string) => {
    let net = new Decimal(amount).div(FEE_RATE.add(1)).toDecimalPlaces(8, Decimal.ROUND_DOWN);
    const feeOf = (n: Decimal) => n.mul(FEE_RATE).toDecimalPlaces(8, Decimal.ROUND_UP);
    while (net.add(feeOf(net)).gt(amount)) net = net.sub('0.00000001');
    return { net, fee: feeOf(net), give: net.add(feeOf(net)) };
  };

  beforeAll(async () => {
    [db, mail, cg] = await Promise.all([createTestDatabase(), SmtpSink.start(), new FakeCoinGecko().start()]);
    const env = suiteEnv(db.url, {
      SMTP_URL: mail.url,
      PRICE_SOURCES: 'coingecko',
      COINGECKO_BASE_URL: cg.url,
      COINGECKO_POLL_MS: '200',
      RATE_LIMIT_SCALE: '1000',
    });
    app = await startApp(env);
    quick = await startApp({ ...env, CONVERT_QUOTE_TTL_MS: '300' });
    admin = await createUser(app, mail, { admin: true });
    await Promise.all([waitForPrices(app), waitForPrices(quick)]);
  });
  afterAll(async () => {
    await Promise.all([app?.stop(), quick?.stop()]);
    await Promise.all([db?.drop(), mail?.stop(), cg?.stop()]);
  });

  it('converts USD to BTC and then BTC to ETH, moving balances exactly by the quotes and the fee to platform:fees', async () => {
    const alice = await newUser({ USD: '1000' });

    const q1 = (await quote(app, alice, { from: 'usd', to: 'btc', amount: '100' }).expect(201)).body.quote as Quote;
    const e1 = expectedFromAmount('100');
    const receive1 = e1.net.div('104250').toDecimalPlaces(8, Decimal.ROUND_DOWN);
    expect(q1).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      from: 'USD',
      to: 'BTC',
      give: usd(e1.give),
      fee: usd(e1.fee),
      feeAsset: 'USD',
      feeUsd: usd(e1.fee),
      receive: receive1.toFixed(8),
      rate: new Decimal(1).div('104250').toSignificantDigits(18).toFixed(),
      fromPrice: '1.00',
      toPrice: '104250.00',
      spread: '0',
      createdAt: expect.any(String),
      expiresAt: expect.any(String),
      validForMs: 10_000,
    });
    expect(q1.give).toBe('100.00');
    expect(new Date(q1.expiresAt).getTime() - new Date(q1.createdAt).getTime()).toBe(10_000);

    // Made on one instance, settled on the other: the quote lives in PostgreSQL.
    const s1 = await settle(quick, alice, q1.id).expect(201);
    expect(s1.body.conversion).toMatchObject({
      id: q1.id,
      from: 'USD',
      to: 'BTC',
      give: q1.give,
      fee: q1.fee,
      receive: q1.receive,
      settledAt: expect.any(String),
    });
    expect(await balanceOf(app, alice, 'USD')).toMatchObject({ available: usd(new Decimal(1000).sub(q1.give)), locked: '0.00' });
    expect(await balanceOf(app, alice, 'BTC')).toMatchObject({ available: q1.receive, locked: '0.00000000' });

    const btcFeesBefore = await feesIn('BTC');
    const q2 = (await quote(app, alice, { from: 'BTC', to: 'ETH', amount: q1.receive }).expect(201)).body.quote as Quote;
    const e2 = expectedFromAmount(q1.receive);
    const receive2 = e2.net.mul('104250').div('3870.25').toDecimalPlaces(8, Decimal.ROUND_DOWN);
    expect(q2).toMatchObject({
      give: e2.give.toFixed(8),
      fee: e2.fee.toFixed(8),
      feeAsset: 'BTC',
      feeUsd: usd(e2.fee.mul('104250').toDecimalPlaces(8, Decimal.ROUND_UP)),
      receive: receive2.toFixed(8),
      rate: new Decimal('104250').div('3870.25').toSignificantDigits(18).toFixed(),
      fromPrice: '104250.00',
      toPrice: '3870.25',
    });
    await settle(app, alice, q2.id).expect(201);
    // The whole BTC balance was given (a remainder under 2 satoshis would stay): the wallet lists what is left, if anything.
    expect(new Decimal((await balanceOf(app, alice, 'BTC')).available).toFixed()).toBe(new Decimal(q1.receive).sub(q2.give).toFixed());
    expect(await balanceOf(app, alice, 'ETH')).toMatchObject({ available: q2.receive });
    expect((await feesIn('BTC')).sub(btcFeesBefore).toFixed()).toBe(new Decimal(q2.fee).toFixed());

    // One journal each, balanced, with a description a person reads; listed in the transactions and the history.
    const [j2] = await journalsOf(q2.id);
    expect(j2.type).toBe('convert');
    expect(j2.description).toMatch(/^Converted ≈?[\d.,]+ BTC to ≈?[\d.,]+ ETH at 1 BTC [=≈] [\d.,]+ ETH \(fee ≈?[\d.,]+ BTC\)$/);
    const txs = await allPages<{ type: string; asset: string; amount: string; description: string; reference: string }>(app, alice, '/api/transactions');
    const ofQ2 = txs.filter((t) => t.reference === `convert:${q2.id}`);
    expect(ofQ2.map((t) => [t.type, t.asset, new Decimal(t.amount).toFixed()]).sort()).toEqual(
      [
        ['fee', 'BTC', new Decimal(q2.fee).neg().toFixed()],
        ['trade', 'BTC', e2.net.neg().toFixed()],
        ['trade', 'ETH', new Decimal(q2.receive).toFixed()],
      ].sort(),
    );
    expect(ofQ2.every((t) => t.description === j2.description)).toBe(true);
    const history = await allPages<{ id: string }>(app, alice, '/api/convert/history', { limit: 1 });
    expect(history.map((h) => h.id)).toEqual([q2.id, q1.id]);

    // Converting moved the cost basis: the ETH position costs what the BTC was worth.
    const [eth] = await db.query<{ quantity: string; cost: string }>(
      `SELECT quantity::text, cost::text FROM position_costs WHERE user_id = $1 AND asset = 'ETH'`,
      [alice.id],
    );
    expect(new Decimal(eth.quantity).toFixed()).toBe(new Decimal(q2.receive).toFixed());
    expect(new Decimal(eth.cost).toFixed()).toBe(new Decimal(q2.give).mul('104250').toDecimalPlaces(8, Decimal.ROUND_UP).toFixed());
  });

  it('converts BTC into dollars: the dollars credited at the quote, the fee in BTC to platform:fees', async () => {
    const ivan = await newUser({ BTC: '0.01' });
    const btcFeesBefore = await feesIn('BTC');
    const q = (await quote(app, ivan, { from: 'BTC', to: 'USD', amount: '0.01' }).expect(201)).body.quote as Quote;
    const e = expectedFromAmount('0.01');
    const receive = e.net.mul('104250').toDecimalPlaces(8, Decimal.ROUND_DOWN);
    expect(q).toMatchObject({
      from: 'BTC',
      to: 'USD',
      give: e.give.toFixed(8),
      fee: e.fee.toFixed(8),
      feeAsset: 'BTC',
      fromPrice: '104250.00',
      toPrice: '1.00',
      spread: '0',
    });
    expect(new Decimal(q.receive).eq(receive)).toBe(true);

    const settled = await settle(app, ivan, q.id).expect(201);
    expect(settled.body.conversion).toMatchObject({ id: q.id, from: 'BTC', to: 'USD', give: q.give, fee: q.fee, receive: q.receive });
    expect(new Decimal((await balanceOf(app, ivan, 'USD')).available).eq(q.receive)).toBe(true);
    expect(new Decimal((await balanceOf(app, ivan, 'BTC')).available).eq(new Decimal('0.01').sub(q.give))).toBe(true);
    expect((await feesIn('BTC')).sub(btcFeesBefore).eq(q.fee)).toBe(true);
    const [journal, ...more] = await journalsOf(q.id);
    expect(more).toEqual([]);
    expect(journal.description).toMatch(/^Converted ≈?[\d.,]+ BTC to ≈?\$[\d,]+\.\d\d at \$104,250\.00 \(fee ≈?[\d.,]+ BTC\)$/);
    // The dollars are spendable at once: converted straight back into ETH.
    const back = (await quote(app, ivan, { from: 'USD', to: 'ETH', amount: '50' }).expect(201)).body.quote as Quote;
    await settle(app, ivan, back.id).expect(201);
    expect(await balanceOf(app, ivan, 'ETH')).toMatchObject({ available: back.receive });
  });

  it('quotes by the amount to receive: exactly that arrives, and what it costs is given', async () => {
    const bob = await newUser({ USD: '100' });
    const q = (await quote(app, bob, { from: 'USD', to: 'ETH', receive: '0.01' }).expect(201)).body.quote as Quote;
    const net = new Decimal('0.01').mul('3870.25').toDecimalPlaces(8, Decimal.ROUND_UP);
    const fee = net.mul(FEE_RATE).toDecimalPlaces(8, Decimal.ROUND_UP);
    expect(q).toMatchObject({ receive: '0.01000000', fee: usd(fee), give: usd(net.add(fee)) });
    await settle(app, bob, q.id).expect(201);
    expect(await balanceOf(app, bob, 'ETH')).toMatchObject({ available: '0.01000000' });
    expect(await balanceOf(app, bob, 'USD')).toMatchObject({ available: usd(new Decimal(100).sub(q.give)) });
  });

  it('settles one quote exactly once when 30 settles race for it: one journal, balances moved once, every answer the same conversion', async () => {
    const carol = await newUser({ USD: '500' });
    const q = (await quote(app, carol, { from: 'USD', to: 'BTC', amount: '200' }).expect(201)).body.quote as Quote;
    const replies = await Promise.all(Array.from({ length: 30 }, (_, i) => settle(i % 2 ? quick : app, carol, q.id)));
    for (const r of replies) {
      expect([201, 409]).toContain(r.status);
      if (r.status === 201) expect(r.body.conversion).toMatchObject({ id: q.id, give: q.give, receive: q.receive });
    }
    expect(replies.filter((r) => r.status === 201).length).toBeGreaterThan(0);
    expect(await journalsOf(q.id)).toHaveLength(1);
    expect(await balanceOf(app, carol, 'USD')).toMatchObject({ available: usd(new Decimal(500).sub(q.give)) });
    expect(await balanceOf(app, carol, 'BTC')).toMatchObject({ available: q.receive });
    const audits = await db.query(`SELECT 1 FROM audit_logs WHERE action = 'convert.settled' AND user_id = $1`, [carol.id]);
    expect(audits).toHaveLength(1);
  });

  it('replays a settle with the same Idempotency-Key and refuses the key for another quote with 409', async () => {
    const dave = await newUser({ USD: '100' });
    const a = (await quote(app, dave, { from: 'USD', to: 'ETH', amount: '10' }).expect(201)).body.quote as Quote;
    const b = (await quote(app, dave, { from: 'USD', to: 'ETH', amount: '10' }).expect(201)).body.quote as Quote;
    const first = await settle(app, dave, a.id, 'convert-key-1').expect(201);
    const again = await settle(quick, dave, a.id, 'convert-key-1').expect(201);
    expect(again.body).toEqual(first.body);
    const other = await settle(app, dave, b.id, 'convert-key-1').expect(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(await journalsOf(b.id)).toHaveLength(0);
  });

  it('refuses a quote after its expiry with 409 QUOTE_EXPIRED and moves nothing', async () => {
    const erin = await newUser({ USD: '100' });
    const q = (await quote(quick, erin, { from: 'USD', to: 'BTC', amount: '50' }).expect(201)).body.quote as Quote;
    expect(q.validForMs).toBe(300);
    await new Promise((r) => setTimeout(r, 400));
    const res = await settle(app, erin, q.id).expect(409);
    expect(res.body.error).toEqual({ code: 'QUOTE_EXPIRED', message: 'This quote has expired: get a new quote' });
    expect(await journalsOf(q.id)).toHaveLength(0);
    expect(await balanceOf(app, erin, 'USD')).toMatchObject({ available: '100.00' });
    expect(new Decimal((await balanceOf(app, erin, 'BTC')).available).isZero()).toBe(true);
  });

  it('refuses with 422 INSUFFICIENT_FUNDS when the funds no longer suffice at settlement, and moves nothing', async () => {
    const frank = await newUser({ USD: '100' });
    const a = (await quote(app, frank, { from: 'USD', to: 'BTC', amount: '80' }).expect(201)).body.quote as Quote;
    const b = (await quote(app, frank, { from: 'USD', to: 'ETH', amount: '80' }).expect(201)).body.quote as Quote;
    await settle(app, frank, a.id).expect(201);
    const refused = await settle(app, frank, b.id).expect(422);
    expect(refused.body.error.code).toBe('INSUFFICIENT_FUNDS');
    expect(await journalsOf(b.id)).toHaveLength(0);
    expect(await balanceOf(app, frank, 'USD')).toMatchObject({ available: usd(new Decimal(100).sub(a.give)) });
    expect(new Decimal((await balanceOf(app, frank, 'ETH')).available).isZero()).toBe(true);
    // Asked for more than the balance: refused at the quote already.
    const tooMuch = await quote(app, frank, { from: 'USD', to: 'BTC', amount: '1000' }).expect(422);
    expect(tooMuch.body.error.code).toBe('INSUFFICIENT_FUNDS');
  });

  it("answers 404 for another user's quote and for a quote that does not exist, moving nothing", async () => {
    const grace = await newUser({ USD: '100' });
    const mallory = await newUser({ USD: '100' });
    const q = (await quote(app, grace, { from: 'USD', to: 'BTC', amount: '20' }).expect(201)).body.quote as Quote;
    const res = await settle(app, mallory, q.id).expect(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    await settle(app, mallory, '5f0c6a2e-4f5b-4a39-9a53-1b8f6c1f2d11').expect(404);
    expect(await journalsOf(q.id)).toHaveLength(0);
    expect(await balanceOf(app, mallory, 'USD')).toMatchObject({ available: '100.00' });
    expect(await balanceOf(app, grace, 'USD')).toMatchObject({ available: '100.00' });
    const history = await request(app.url).get('/api/convert/history').set(mallory.auth).expect(200);
    expect(history.body).toEqual({ items: [], nextCursor: null });
  });

  it('refuses bad input with 400 and a plain message per field, unknown assets and tiny amounts with 422', async () => {
    const henry = await newUser({ USD: '100' });
    const fields = async (body: Record<string, unknown>) => {
      const res = await quote(app, henry, body).expect(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      return res.body.error.details as { field: string; message: string }[];
    };
    expect(await fields({ from: 'BTC', to: 'btc', amount: '1' })).toEqual([{ field: 'to', message: 'Choose an asset other than the one you convert from' }]);
    expect(await fields({ from: 'USD', to: 'BTC' })).toEqual([{ field: 'amount', message: 'Enter an amount to convert or an amount to receive' }]);
    expect(await fields({ from: 'USD', to: 'BTC', amount: '1', receive: '1' })).toEqual([
      { field: 'amount', message: 'Enter an amount to convert or an amount to receive, not both' },
    ]);
    for (const amount of ['-1', '0', '1e3', 'abc', ' 1', 12, null]) {
      expect((await fields({ from: 'USD', to: 'BTC', amount })).map((d) => d.field)).toEqual(['amount']);
    }
    expect(await fields({ from: 'USD', to: 'BTC', amount: '10.123456789' })).toEqual([{ field: 'amount', message: 'Use at most 8 decimals' }]);
    expect(await fields({ from: 'USD', to: 'BTC', amount: '1'.repeat(40) })).toEqual([
      { field: 'amount', message: 'That number is too large (at most 100,000,000,000,000)' },
    ]);
    expect((await fields({ from: '$$', to: 'BTC', amount: '1', price: '1' })).map((d) => d.field).sort()).toEqual(['from', 'price']);

    const unknown = await quote(app, henry, { from: 'USD', to: 'NOPE', amount: '10' }).expect(422);
    expect(unknown.body.error.code).toBe('UNKNOWN_ASSET');
    const tiny = await quote(app, henry, { from: 'USD', to: 'BTC', amount: '0.5' }).expect(422);
    expect(tiny.body.error).toEqual({ code: 'MIN_NOTIONAL', message: 'Convert at least 1.00 USD worth' });

    for (const quoteId of ['nope', 42, null, undefined]) {
      const res = await settle(app, henry, quoteId).expect(400);
      expect(res.body.error.details).toEqual([{ field: 'quoteId', message: 'Choose a quote to convert (a quote id)' }]);
    }
    await request(app.url).post('/api/convert/quotes').send({ from: 'USD', to: 'BTC', amount: '10' }).expect(401);
  });

  it('leaves the ledger reconciled', async () => {
    const reconcile = await runReconcile(db.url);
    expect(reconcile.output).toContain('reconcile: ledger and balances agree');
    expect(reconcile.code).toBe(0);
  });
});
