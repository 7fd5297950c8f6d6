import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { createUser, TestUser } from '../../support/factories';
import { SmtpSink } from '../../support/smtp';

/** Targets no simulated price reaches, so these alerts stay armed. */
const FAR_ABOVE = '999999999';

describe('alerts: CRUD and validation', () => {
  let db: TestDatabase;
  let mail: SmtpSink;
  let app: RunningApp;
  let ann: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    [db, mail] = await Promise.all([createTestDatabase(), SmtpSink.start()]);
    app = await startApp(suiteEnv(db.url, { SMTP_URL: mail.url, SIMULATED_VOLATILITY: '0' }));
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
      condition: 'above',
      targetPrice: '999999999.00000000',
      notifyEmail: false,
      notifyPush: true,
      active: true,
      triggeredAt: null,
      triggeredPrice: null,
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

  it('requires a signed-in user', async () => {
    const res = await request(app.url).get('/api/alerts').expect(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
    await request(app.url).post('/api/alerts').send({ symbol: 'BTC', condition: 'above', targetPrice: '1' }).expect(401);
  });
});
