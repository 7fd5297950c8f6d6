import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { createUser, TestUser } from '../../support/factories';
import { SmtpSink } from '../../support/smtp';
import { waitFor } from '../../support/wait';

/** Targets no simulated price reaches, so these alerts stay armed. */
const FAR_ABOVE = '999999999';

/**
 * Alerts and the watchlist through the API on one frozen simulated market (SIMULATED_VOLATILITY=0: every quote is the
 * bundled snapshot, backend/src/prices/market-snapshot.ts, BTC at $104,250.00 and +1.84 % in 24 h).
 */
describe('alerts: CRUD and validation', () => {
  let db: TestDatabase;
  let mail: SmtpSink;
  let app: RunningApp;
  let ann: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    [db, mail] = await Promise.all([createTestDatabase(), SmtpSink.start()]);
    app = await startApp(suiteEnv(db.url, { SMTP_URL: mail.url, SIMULATED_VOLATILITY: '0', ALERT_MIN_COOLDOWN_SECONDS: '60' }));
    [ann, bob] = await Promise.all([createUser(app, mail), createUser(app, mail)]);
  });
  afterAll(async () => {
    await app?.stop();
    await mail?.stop();
    await db?.drop();
  });

  const create = (u: TestUser, body: Record<string, unknown>) => request(app.url).post('/api/alerts').set(u.auth).send(body);

  it('creates, reads, lists, changes and deletes an alert', async () => {
    const created = await create(ann, { symbol: 'eth', condition: 'above', targetPrice: FAR_ABOVE }).expect(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      symbol: 'ETH',
      kind: 'price',
      condition: 'above',
      targetPrice: '999999999.00000000',
      movePct: null,
      cooldownSeconds: null,
      rearmAt: null,
      notifyEmail: false,
      notifyPush: true,
      active: true,
      triggeredAt: null,
      triggeredPrice: null,
      triggeredChange: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const id = created.body.id as string;
    await request(app.url).get(`/api/alerts/${id}`).set(ann.auth).expect(200, created.body);

    const list = await request(app.url).get('/api/alerts').set(ann.auth).expect(200);
    expect(list.body.items.map((a: { id: string }) => a.id)).toContain(id);

    const paused = await request(app.url).patch(`/api/alerts/${id}`).set(ann.auth).send({ active: false, notifyEmail: true }).expect(200);
    expect(paused.body).toMatchObject({ active: false, notifyEmail: true, targetPrice: '999999999.00000000' });
    const onlyPaused = await request(app.url).get('/api/alerts?active=false').set(ann.auth).expect(200);
    expect(onlyPaused.body.items.map((a: { id: string }) => a.id)).toEqual([id]);

    const moved = await request(app.url).patch(`/api/alerts/${id}`).set(ann.auth).send({ targetPrice: '888888888.12345678' }).expect(200);
    expect(moved.body).toMatchObject({ active: true, targetPrice: '888888888.12345678' });

    await request(app.url).delete(`/api/alerts/${id}`).set(ann.auth).expect(204);
    await request(app.url).get(`/api/alerts/${id}`).set(ann.auth).expect(404);
  });

  it('refuses a symbol that is not a listed asset with 422 UNKNOWN_ASSET and a malformed one with 400', async () => {
    const unknown = await create(ann, { symbol: 'NOPE', condition: 'above', targetPrice: '10' }).expect(422);
    expect(unknown.body.error).toEqual({ code: 'UNKNOWN_ASSET', message: 'NOPE is not a listed asset' });
    const malformed = await create(ann, { symbol: 'b t c', condition: 'above', targetPrice: '10' }).expect(400);
    expect(malformed.body.error.details).toEqual([{ field: 'symbol', message: 'Enter a ticker like BTC (up to 16 letters and digits)' }]);
  });

  it('refuses a target price that is not a positive decimal string with 400 VALIDATION_FAILED', async () => {
    for (const targetPrice of ['1e5', 'abc', 100, '-5', '0', '1.123456789', '']) {
      const res = await create(ann, { symbol: 'BTC', condition: 'above', targetPrice }).expect(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(['targetPrice']);
    }
    // A 40-digit target is too large (it used to be told "at most 8 decimals"); each case gets one plain message.
    const told = async (targetPrice: unknown) => (await create(ann, { symbol: 'BTC', condition: 'above', targetPrice }).expect(400)).body.error.details;
    expect(await told('1'.repeat(40))).toEqual([{ field: 'targetPrice', message: 'That number is too large (at most 1,000,000,000,000)' }]);
    expect(await told('abc')).toEqual([{ field: 'targetPrice', message: 'Enter a target price like 250 or 0.5' }]);
    expect(await told('')).toEqual([{ field: 'targetPrice', message: 'Enter a target price, like 70000' }]);
    expect(await told('0')).toEqual([{ field: 'targetPrice', message: 'Enter a target price more than 0' }]);
    expect(await told('1.123456789')).toEqual([{ field: 'targetPrice', message: 'Use at most 8 decimals' }]);
    const condition = await create(ann, { symbol: 'BTC', condition: 'sideways', targetPrice: '10' }).expect(400);
    expect(condition.body.error.details).toEqual([{ field: 'condition', message: 'Choose above or below' }]);
    const extra = await create(ann, { symbol: 'BTC', condition: 'above', targetPrice: FAR_ABOVE, userId: bob.id }).expect(400);
    expect(extra.body.error.details).toEqual([{ field: 'userId', message: 'userId is not an allowed field' }]);
    await request(app.url).patch('/api/alerts/not-a-uuid').set(ann.auth).send({ active: false }).expect(400);
  });

  it('allows 20 active alerts, refuses the 21st with 422 LIMIT_EXCEEDED, and counts a reactivation against the limit', async () => {
    const mine = await request(app.url).get('/api/alerts?active=true&limit=100').set(bob.auth).expect(200);
    expect(mine.body.items).toHaveLength(0);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await create(bob, { symbol: 'BTC', condition: 'above', targetPrice: `${FAR_ABOVE}.${i}` }).expect(201)).body.id);
    const refused = await create(bob, { symbol: 'BTC', condition: 'above', targetPrice: FAR_ABOVE }).expect(422);
    expect(refused.body.error.code).toBe('LIMIT_EXCEEDED');

    await request(app.url).patch(`/api/alerts/${ids[0]}`).set(bob.auth).send({ active: false }).expect(200);
    const twentieth = await create(bob, { symbol: 'SOL', condition: 'above', targetPrice: FAR_ABOVE }).expect(201);
    const reactivate = await request(app.url).patch(`/api/alerts/${ids[0]}`).set(bob.auth).send({ active: true }).expect(422);
    expect(reactivate.body.error.code).toBe('LIMIT_EXCEEDED');
    await request(app.url).delete(`/api/alerts/${twentieth.body.id}`).set(bob.auth).expect(204);
    await request(app.url).patch(`/api/alerts/${ids[0]}`).set(bob.auth).send({ active: true }).expect(200);

    const page1 = await request(app.url).get('/api/alerts?limit=15').set(bob.auth).expect(200);
    const page2 = await request(app.url).get(`/api/alerts?limit=15&cursor=${page1.body.nextCursor}`).set(bob.auth).expect(200);
    expect(page2.body.nextCursor).toBeNull();
    expect(new Set([...page1.body.items, ...page2.body.items].map((a: { id: string }) => a.id)).size).toBe(20);
  });

  it('answers 404 for another user’s alert on read, change and delete, and leaves it untouched', async () => {
    const annAlert = (await create(ann, { symbol: 'BTC', condition: 'below', targetPrice: '0.00000001' }).expect(201)).body;
    const notFound = { code: 'NOT_FOUND', message: 'No such alert' };
    expect((await request(app.url).get(`/api/alerts/${annAlert.id}`).set(bob.auth).expect(404)).body.error).toEqual(notFound);
    expect((await request(app.url).patch(`/api/alerts/${annAlert.id}`).set(bob.auth).send({ active: false }).expect(404)).body.error).toEqual(notFound);
    expect((await request(app.url).delete(`/api/alerts/${annAlert.id}`).set(bob.auth).expect(404)).body.error).toEqual(notFound);
    const bobs = await request(app.url).get('/api/alerts?limit=100').set(bob.auth).expect(200);
    expect(bobs.body.items.map((a: { id: string }) => a.id)).not.toContain(annAlert.id);
    await request(app.url).get(`/api/alerts/${annAlert.id}`).set(ann.auth).expect(200, annAlert);
  });

  it('creates an alert on a 24 h move, repeating, and changes its percentage and cooldown', async () => {
    const created = await create(ann, { symbol: 'sol', kind: 'move', condition: 'down', movePct: '12.5', cooldownSeconds: 86400 }).expect(201);
    expect(created.body).toMatchObject({
      symbol: 'SOL',
      kind: 'move',
      condition: 'down',
      targetPrice: null,
      movePct: '12.50',
      cooldownSeconds: 86400,
      active: true,
    });
    const changed = await request(app.url).patch(`/api/alerts/${created.body.id}`).set(ann.auth).send({ movePct: '20', cooldownSeconds: null }).expect(200);
    expect(changed.body).toMatchObject({ kind: 'move', movePct: '20.00', cooldownSeconds: null, active: true });
    const repeating = await create(ann, { symbol: 'BTC', condition: 'above', targetPrice: FAR_ABOVE, cooldownSeconds: 3600 }).expect(201);
    expect(repeating.body).toMatchObject({ kind: 'price', cooldownSeconds: 3600, rearmAt: null });
  });

  it('tells the fields each kind of alert takes, and a cooldown shorter than the deployment allows, one message per field', async () => {
    const details = async (body: Record<string, unknown>) => (await create(ann, { symbol: 'BTC', ...body }).expect(400)).body.error.details;
    expect(await details({ kind: 'move', condition: 'above', movePct: '5' })).toEqual([{ field: 'condition', message: 'Choose up or down' }]);
    expect(await details({ kind: 'move', condition: 'up' })).toEqual([{ field: 'movePct', message: 'Enter a move in percent, like 5' }]);
    expect(await details({ kind: 'move', condition: 'up', movePct: '5', targetPrice: '10' })).toEqual([
      { field: 'targetPrice', message: 'Leave out the target price: an alert on a 24 h move has none' },
    ]);
    expect(await details({ condition: 'up', targetPrice: '10' })).toEqual([{ field: 'condition', message: 'Choose above or below' }]);
    expect(await details({ condition: 'above', targetPrice: FAR_ABOVE, movePct: '5' })).toEqual([
      { field: 'movePct', message: 'Leave out the move in percent: it is only for alerts on a 24 h move' },
    ]);
    expect(await details({ kind: 'sideways', condition: 'above', targetPrice: FAR_ABOVE })).toEqual([{ field: 'kind', message: 'Choose price or move' }]);
    expect(await details({ kind: 'move', condition: 'up', movePct: '0' })).toEqual([{ field: 'movePct', message: 'Enter a move in percent more than 0' }]);
    expect(await details({ kind: 'move', condition: 'up', movePct: '1000.01' })).toEqual([
      { field: 'movePct', message: 'That number is too large (at most 1,000)' },
    ]);
    expect(await details({ condition: 'above', targetPrice: FAR_ABOVE, cooldownSeconds: 1.5 })).toEqual([
      { field: 'cooldownSeconds', message: 'Choose a cooldown in seconds from 1 to 2,592,000' },
    ]);
    // ALERT_MIN_COOLDOWN_SECONDS is 60 here.
    expect(await details({ condition: 'above', targetPrice: FAR_ABOVE, cooldownSeconds: 59 })).toEqual([
      { field: 'cooldownSeconds', message: 'Choose a cooldown in seconds from 60 to 2,592,000' },
    ]);
    const moveAlert = (await create(ann, { symbol: 'BTC', kind: 'move', condition: 'up', movePct: '900' }).expect(201)).body;
    const patched = await request(app.url).patch(`/api/alerts/${moveAlert.id}`).set(ann.auth).send({ targetPrice: '5', condition: 'below' }).expect(400);
    expect(patched.body.error.details).toEqual([
      { field: 'condition', message: 'Choose up or down' },
      { field: 'targetPrice', message: 'Leave out the target price: an alert on a 24 h move has none' },
    ]);
  });

  it('asks before creating an alert the price already reaches: 409 ALERT_ALREADY_CROSSED with the price now, then creates it when confirmed', async () => {
    const carl = await createUser(app, mail);
    const refused = await create(carl, { symbol: 'BTC', condition: 'above', targetPrice: '100000' }).expect(409);
    expect(refused.body.error).toEqual({
      code: 'ALERT_ALREADY_CROSSED',
      message: 'BTC already trades at $104,250.00, at or above $100,000.00: the alert would fire at once',
    });
    const german = await create(carl, { symbol: 'BTC', condition: 'above', targetPrice: '100000' }).set('Accept-Language', 'de').expect(409);
    expect(german.body.error.message).toBe('BTC notiert bereits bei $104,250.00, auf oder über $100,000.00: Der Alarm würde sofort auslösen');
    const moved = await create(carl, { symbol: 'BTC', kind: 'move', condition: 'up', movePct: '1.5' }).expect(409);
    expect(moved.body.error).toEqual({
      code: 'ALERT_ALREADY_CROSSED',
      message: 'BTC is already up 1.84% in 24 hours (at least 1.50%) at $104,250.00: the alert would fire at once',
    });
    const mine = await request(app.url).get('/api/alerts?limit=100').set(carl.auth).expect(200);
    expect(mine.body.items.filter((a: { targetPrice: string; movePct: string }) => a.targetPrice === '100000.00000000' || a.movePct === '1.50')).toEqual([]);

    // Not reached: created without a question (the other side of the price, a move the other way).
    await create(carl, { symbol: 'BTC', kind: 'move', condition: 'down', movePct: '1.5' }).expect(201);

    const confirmed = await create(carl, { symbol: 'BTC', condition: 'above', targetPrice: '100000', confirmCrossed: true }).expect(201);
    expect(confirmed.body).toMatchObject({ condition: 'above', targetPrice: '100000.00000000' });
    // It fires at once, as the owner was told (the frozen price reaches it).
    await waitFor(
      async () => (await request(app.url).get(`/api/alerts/${confirmed.body.id}`).set(carl.auth)).body.active === false,
      10_000,
      'the confirmed alert to fire',
    );
    const fired = await request(app.url).get(`/api/alerts/${confirmed.body.id}`).set(carl.auth).expect(200);
    expect(fired.body).toMatchObject({ active: false, triggeredPrice: expect.stringMatching(/^104250\.0+$/), triggeredChange: '1.8400' });

    // Re-arming it (or moving it) where the price already is asks again.
    const rearm = await request(app.url).patch(`/api/alerts/${confirmed.body.id}`).set(carl.auth).send({ active: true }).expect(409);
    expect(rearm.body.error.code).toBe('ALERT_ALREADY_CROSSED');
    await request(app.url).patch(`/api/alerts/${confirmed.body.id}`).set(carl.auth).send({ targetPrice: '110000' }).expect(200);
    const down = await request(app.url).patch(`/api/alerts/${confirmed.body.id}`).set(carl.auth).send({ condition: 'below' }).expect(409);
    expect(down.body.error.message).toBe('BTC already trades at $104,250.00, at or below $110,000.00: the alert would fire at once');
    // A change that does not re-arm it (email only) asks nothing.
    await request(app.url).patch(`/api/alerts/${confirmed.body.id}`).set(carl.auth).send({ active: false }).expect(200);
    await request(app.url).patch(`/api/alerts/${confirmed.body.id}`).set(carl.auth).send({ notifyEmail: true }).expect(200);
    await request(app.url).patch(`/api/alerts/${confirmed.body.id}`).set(carl.auth).send({ condition: 'below', confirmCrossed: true }).expect(200);
  });

  it('requires a signed-in user', async () => {
    const res = await request(app.url).get('/api/alerts').expect(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
    await request(app.url).post('/api/alerts').send({ symbol: 'BTC', condition: 'above', targetPrice: '1' }).expect(401);
  });

  describe('the watchlist', () => {
    const watchlist = (u: TestUser) => request(app.url).get('/api/watchlist').set(u.auth);
    const star = (u: TestUser, symbol: string) => request(app.url).put(`/api/watchlist/${symbol}`).set(u.auth);
    const unstar = (u: TestUser, symbol: string) => request(app.url).delete(`/api/watchlist/${symbol}`).set(u.auth);

    it('stars assets in order with their price and 24 h change, idempotently, and unstars them idempotently', async () => {
      const dee = await createUser(app, mail);
      expect((await watchlist(dee).expect(200)).body).toEqual({ items: [], max: 50 });
      await star(dee, 'sol').expect(200);
      const twice = await star(dee, 'BTC').expect(200);
      expect(twice.body).toEqual({
        items: [
          { symbol: 'SOL', name: 'Solana', price: expect.stringMatching(/^198\.35/), change24h: expect.any(String), listed: true, addedAt: expect.any(String) },
          { symbol: 'BTC', name: 'Bitcoin', price: expect.stringMatching(/^104250(\.0+)?$/), change24h: '1.8400', listed: true, addedAt: expect.any(String) },
        ],
        max: 50,
      });
      expect((await star(dee, 'btc').expect(200)).body).toEqual(twice.body);
      expect((await watchlist(dee).expect(200)).body).toEqual(twice.body);
      const removed = await unstar(dee, 'sol').expect(200);
      expect(removed.body.items.map((i: { symbol: string }) => i.symbol)).toEqual(['BTC']);
      expect((await unstar(dee, 'SOL').expect(200)).body).toEqual(removed.body);
      expect((await unstar(dee, 'NOPE').expect(200)).body).toEqual(removed.body);
    });

    it('stars only listed assets: 404 for an unlisted ticker, 400 for something that is not a ticker', async () => {
      const res = await star(ann, 'NOPE').expect(404);
      expect(res.body.error).toEqual({ code: 'NOT_FOUND', message: 'No asset with symbol NOPE' });
      for (const bad of ['b%20t%20c', 'X'.repeat(17), 'BTC-USD']) {
        const refused = await star(ann, bad).expect(400);
        expect(refused.body.error.details).toEqual([{ field: 'symbol', message: 'Enter a ticker like BTC (up to 16 letters and digits)' }]);
        await unstar(ann, bad).expect(400);
      }
      expect((await watchlist(ann).expect(200)).body.items).toEqual([]);
    });

    it('holds at most 50 assets, also when stars arrive together, and still answers a star of one already there', async () => {
      const eve = await createUser(app, mail);
      // The same star ten times at once: one row.
      const same = await Promise.all(Array.from({ length: 10 }, () => star(eve, 'ETH')));
      expect(same.map((r) => r.status)).toEqual(Array(10).fill(200));
      expect((await watchlist(eve).expect(200)).body.items.map((i: { symbol: string }) => i.symbol)).toEqual(['ETH']);
      // 44 more straight in the table (the catalogue lists fewer than 50 assets), then ten new stars at once: five fit.
      await db.query(`INSERT INTO watchlist_items (user_id, symbol) SELECT $1, 'X' || g FROM generate_series(1, 44) AS g`, [eve.id]);
      const listed = ((await request(app.url).get('/api/crypto').expect(200)).body.cryptocurrencies as { symbol: string }[]).map((c) => c.symbol);
      const ten = listed.filter((sym) => sym !== 'ETH').slice(0, 10);
      const answers = await Promise.all(ten.map((sym) => star(eve, sym)));
      expect(answers.filter((a) => a.status === 200)).toHaveLength(5);
      const refusals = answers.filter((a) => a.status === 422);
      expect(refusals).toHaveLength(5);
      expect(refusals[0].body.error).toEqual({ code: 'LIMIT_EXCEEDED', message: 'At most 50 assets fit in a watchlist; remove one first' });
      const full = (await watchlist(eve).expect(200)).body.items as { symbol: string; price: string | null; listed: boolean }[];
      expect(full).toHaveLength(50);
      expect(full.find((i) => i.symbol === 'X1')).toMatchObject({ price: null, change24h: null, listed: false });
      // Full: a star of an asset already on it answers the list; unstarring one makes room for another.
      expect((await star(eve, 'ETH').expect(200)).body.items).toHaveLength(50);
      const out = ten.find((sym) => !full.some((i) => i.symbol === sym))!;
      await star(eve, out).expect(422);
      await unstar(eve, 'X1').expect(200);
      expect((await star(eve, out).expect(200)).body.items.at(-1)).toMatchObject({ symbol: out, listed: true });
    });

    it('keeps each user to their own watchlist', async () => {
      const [fay, gus] = await Promise.all([createUser(app, mail), createUser(app, mail)]);
      await star(fay, 'ETH').expect(200);
      expect((await watchlist(gus).expect(200)).body.items).toEqual([]);
      await unstar(gus, 'ETH').expect(200);
      expect((await watchlist(fay).expect(200)).body.items.map((i: { symbol: string }) => i.symbol)).toEqual(['ETH']);
      await request(app.url).get('/api/watchlist').expect(401);
      await request(app.url).put('/api/watchlist/BTC').expect(401);
    });
  });
});
