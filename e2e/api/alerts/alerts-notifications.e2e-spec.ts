import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { createUser, TestUser } from '../../support/factories';
import { SmtpSink } from '../../support/smtp';
import { waitFor } from '../../support/wait';
import { TestSocket, wsUrl } from '../../support/ws-client';

describe('notifications and the /ws/user socket', () => {
  let db: TestDatabase;
  let mail: SmtpSink;
  let app: RunningApp;
  let ann: TestUser;
  let bob: TestUser;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    [db, mail] = await Promise.all([createTestDatabase(), SmtpSink.start()]);
    app = await startApp(suiteEnv(db.url, { SMTP_URL: mail.url, SIMULATED_VOLATILITY: '0', WS_HEARTBEAT_MS: '400' }));
    [ann, bob] = await Promise.all([createUser(app, mail), createUser(app, mail)]);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await app?.stop();
    await mail?.stop();
    await db?.drop();
  });

  const open = async (headers: Record<string, string> = {}, autoPong = true): Promise<TestSocket> => {
    const ws = await TestSocket.open(wsUrl(app.url, '/ws/user'), { headers, autoPong });
    sockets.push(ws);
    return ws;
  };

  /** An alert the current (frozen, positive) price already reaches, confirmed as such: it fires at once. */
  const fireAlert = async (u: TestUser): Promise<string> => {
    const res = await request(app.url)
      .post('/api/alerts')
      .set(u.auth)
      .send({ symbol: 'BTC', condition: 'above', targetPrice: '0.00000001', confirmCrossed: true })
      .expect(201);
    await waitFor(async () => (await request(app.url).get(`/api/alerts/${res.body.id}`).set(u.auth)).body.active === false, 10_000, 'the alert to fire');
    // The in-app notification is written right after the alert's state changes: wait for it too.
    const notified = async () =>
      ((await request(app.url).get('/api/notifications').set(u.auth)).body.items as { data: { alert?: { id: string } } }[]).some(
        (n) => n.data.alert?.id === res.body.id,
      );
    await waitFor(notified, 10_000, 'the alert notification');
    return res.body.id as string;
  };

  it('lists a user’s notifications newest first, filters unread, marks one and then all read', async () => {
    await fireAlert(ann);
    await fireAlert(ann);
    const unread = await request(app.url).get('/api/notifications?unread=true').set(ann.auth).expect(200);
    expect(unread.body.unreadCount).toBe(2);
    expect(unread.body.items).toHaveLength(2);
    expect(unread.body.items[0]).toEqual({
      id: expect.any(String),
      type: 'alert_triggered',
      // A price below a cent keeps its significant digits rather than reading "$0.00".
      title: 'BTC is above $0.00000001',
      body: expect.stringMatching(
        /^Your alert “BTC above \$0\.00000001” fired: BTC traded at \$[\d,]+\.\d\d on [A-Z][a-z]{2} \d{1,2}, \d{4}, \d\d:\d\d UTC\.$/,
      ),
      data: { alert: expect.objectContaining({ symbol: 'BTC', active: false }) },
      read: false,
      readAt: null,
      createdAt: expect.any(String),
    });
    expect(unread.body.items[0].createdAt >= unread.body.items[1].createdAt).toBe(true);

    const first = unread.body.items[1].id as string;
    const marked = await request(app.url).post(`/api/notifications/${first}/read`).set(ann.auth).expect(200);
    expect(marked.body).toMatchObject({ id: first, read: true, readAt: expect.any(String) });
    const afterOne = await request(app.url).get('/api/notifications?unread=true').set(ann.auth).expect(200);
    expect(afterOne.body).toMatchObject({ unreadCount: 1, items: [{ id: unread.body.items[0].id }] });
    const readOnes = await request(app.url).get('/api/notifications?unread=false').set(ann.auth).expect(200);
    expect(readOnes.body.items.map((n: { id: string }) => n.id)).toEqual([first]);

    await request(app.url).post('/api/notifications/read-all').set(ann.auth).expect(200, { updated: 1 });
    const none = await request(app.url).get('/api/notifications?unread=true').set(ann.auth).expect(200);
    expect(none.body).toEqual({ items: [], nextCursor: null, unreadCount: 0 });
  });

  it('answers 404 when marking another user’s notification read, and 400 for a bad filter', async () => {
    await fireAlert(bob);
    const bobs = await request(app.url).get('/api/notifications').set(bob.auth).expect(200);
    const res = await request(app.url).post(`/api/notifications/${bobs.body.items[0].id}/read`).set(ann.auth).expect(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    const still = await request(app.url).get('/api/notifications?unread=true').set(bob.auth).expect(200);
    expect(still.body.unreadCount).toBe(1);
    await request(app.url).get('/api/notifications?unread=maybe').set(ann.auth).expect(400);
    await request(app.url).get('/api/notifications').expect(401);
  });

  it('authenticates a socket by the access_token cookie and pushes only that user’s events', async () => {
    const annWs = await open({ Cookie: `access_token=${ann.accessToken}` });
    await annWs.next((m) => m.type === 'authenticated', 5_000);
    const bobWs = await open({ Cookie: `access_token=${bob.accessToken}` });
    await bobWs.next((m) => m.type === 'authenticated', 5_000);
    const alertId = await fireAlert(ann);
    const event = await annWs.next((m) => m.type === 'alert_triggered', 5_000);
    expect(event).toMatchObject({ data: { alert: { id: alertId } }, notification: { type: 'alert_triggered' }, timestamp: expect.any(String) });
    await new Promise((r) => setTimeout(r, 300));
    expect(bobWs.messages.filter((e) => e.msg.type === 'alert_triggered')).toEqual([]);
  });

  it('authenticates a socket by a first {type:"auth"} message, answers ping, and reports malformed messages without closing', async () => {
    const ws = await open();
    await ws.next((m) => m.type === 'connection' && m.status === 'awaiting_auth', 5_000);
    expect(await ws.ask('{not json', 'error')).toMatchObject({ type: 'error', code: 'INVALID_MESSAGE' });
    expect(await ws.ask([1, 2], 'error')).toMatchObject({ code: 'INVALID_MESSAGE' });
    expect(await ws.ask({ type: 'dance' }, 'error')).toMatchObject({ code: 'UNKNOWN_MESSAGE' });
    expect(await ws.ask({ type: 'auth' }, 'error')).toMatchObject({ code: 'INVALID_MESSAGE' });
    await ws.ask({ type: 'ping' }, 'pong');

    expect(await ws.ask({ type: 'auth', token: bob.accessToken }, 'authenticated')).toMatchObject({ userId: bob.id });
    expect(ws.closed).toBeUndefined();
    await fireAlert(bob);
    await ws.next((m) => m.type === 'alert_triggered', 5_000);
  });

  it('refuses a refresh token, a forged token and a logged-out token on the socket', async () => {
    const ws = await open();
    expect(await ws.ask({ type: 'auth', token: bob.refreshToken }, 'error')).toMatchObject({ code: 'UNAUTHENTICATED' });
    const [header, payload] = bob.accessToken.split('.');
    expect(await ws.ask({ type: 'auth', token: `${header}.${payload}.${'A'.repeat(43)}` }, 'error')).toMatchObject({ code: 'UNAUTHENTICATED' });

    const carl = await createUser(app, mail);
    await request(app.url).post('/api/auth/logout').set(carl.auth).expect(200);
    expect(await ws.ask({ type: 'auth', token: carl.accessToken }, 'error')).toMatchObject({ code: 'TOKEN_REVOKED' });
    expect(ws.messages.some((e) => e.msg.type === 'authenticated')).toBe(false);

    const cookieWs = await open({ Cookie: `access_token=${carl.accessToken}` });
    expect(await cookieWs.next((m) => m.type === 'error', 5_000)).toMatchObject({ code: 'TOKEN_REVOKED' });
    await cookieWs.next((m) => m.type === 'connection' && m.status === 'awaiting_auth', 5_000);
  });

  it('drops a signed-in socket that stops answering pings and keeps the one that answers', async () => {
    const cookie = { Cookie: `access_token=${ann.accessToken}` };
    const dead = await open(cookie, false);
    const alive = await open(cookie);
    await dead.next((m) => m.type === 'authenticated', 5_000);
    await alive.next((m) => m.type === 'authenticated', 5_000);
    expect((await dead.waitClosed(5_000)).code).toBe(1006);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(alive.closed).toBeUndefined();
    expect(await alive.ask({ type: 'ping' }, 'pong')).toMatchObject({ type: 'pong' });
  });
  it('pushes order_filled for a market buy and order_cancelled for a cancel to the owner’s sockets only, without filling the in-app list', async () => {
    const admin = await createUser(app, mail, { admin: true });
    await request(app.url)
      .post('/api/admin/ledger/adjustments')
      .set(admin.auth)
      .send({ userId: bob.id, asset: 'USD', amount: '5000', reason: 'test funding' })
      .expect(201);
    const bobWs = await open({ Cookie: `access_token=${bob.accessToken}` });
    const annWs = await open({ Cookie: `access_token=${ann.accessToken}` });
    await bobWs.next((m) => m.type === 'authenticated', 5_000);
    await annWs.next((m) => m.type === 'authenticated', 5_000);
    const before = (await request(app.url).get('/api/notifications').set(bob.auth).expect(200)).body.items.length as number;

    const buy = await request(app.url).post('/api/orders').set(bob.auth).send({ symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '100' }).expect(201);
    const filled = await bobWs.next((m) => m.type === 'order_filled', 5_000);
    expect(filled).toMatchObject({ type: 'order_filled', data: { order: { id: buy.body.order.id, status: 'filled', symbol: 'BTC' } } });

    const limit = await request(app.url)
      .post('/api/orders')
      .set(bob.auth)
      .send({ symbol: 'BTC', side: 'buy', type: 'limit', quantity: '0.001', limitPrice: '1000' })
      .expect(201);
    await request(app.url).delete(`/api/orders/${limit.body.order.id}`).set(bob.auth).expect(200);
    const cancelled = await bobWs.next((m) => m.type === 'order_cancelled', 5_000);
    expect(cancelled).toMatchObject({ data: { order: { id: limit.body.order.id, status: 'cancelled' }, reason: 'cancelled' } });

    await new Promise((r) => setTimeout(r, 300));
    expect(annWs.messages.some((e) => e.msg.type === 'order_filled' || e.msg.type === 'order_cancelled')).toBe(false);
    const after = (await request(app.url).get('/api/notifications').set(bob.auth).expect(200)).body.items.length as number;
    expect(after).toBe(before);
  });
});
