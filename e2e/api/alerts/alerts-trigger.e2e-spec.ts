import request from 'supertest';
import { formatDateTime } from '../../../backend/src/common/money/prose-format';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { createUser, TestUser } from '../../support/factories';
import { FakeCoinGecko } from '../../support/fakes/coingecko';
import { fund } from '../../support/money';
import { SmtpSink } from '../../support/smtp';
import { waitFor } from '../../support/wait';
import { TestSocket, wsUrl } from '../../support/ws-client';

const LEADER_LINE = 'this instance ingests prices';

/** Moves a fake CoinGecko price and waits until the app serves it. */
async function movePrice(cg: FakeCoinGecko, app: RunningApp, id: string, symbol: string, price: string): Promise<void> {
  cg.setPrice(id, price);
  await waitFor(
    async () => {
      const res = await request(app.url).get(`/api/prices/${symbol}`);
      return res.status === 200 && Number(res.body.price) === Number(price);
    },
    10_000,
    `${symbol} at ${price}`,
  );
}

describe('alerts: firing once across two instances, with the realtime event, notification and email', () => {
  let db: TestDatabase;
  let mail: SmtpSink;
  let cg: FakeCoinGecko;
  let leader: RunningApp;
  let follower: RunningApp;
  let user: TestUser;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    [db, mail, cg] = await Promise.all([createTestDatabase(), SmtpSink.start(), new FakeCoinGecko().start()]);
    cg.setPrice('bitcoin', '100000');
    cg.setPrice('ethereum', '4000');
    const env = suiteEnv(db.url, {
      SMTP_URL: mail.url,
      PRICE_SOURCES: 'coingecko',
      COINGECKO_BASE_URL: cg.url,
      COINGECKO_POLL_MS: '150',
      ALERT_MIN_COOLDOWN_SECONDS: '1',
    });
    leader = await startApp(env);
    await waitFor(() => leader.output().includes(LEADER_LINE), 15_000, 'the first instance to lead ingestion');
    follower = await startApp(env);
    user = await createUser(follower, mail);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await Promise.all([leader?.stop(), follower?.stop()]);
    await Promise.all([mail?.stop(), cg?.stop()]);
    await db?.drop();
  });

  const connect = async (app: RunningApp, u: TestUser): Promise<TestSocket> => {
    const ws = await TestSocket.open(wsUrl(app.url, '/ws/user'), { headers: { Cookie: `access_token=${u.accessToken}` } });
    sockets.push(ws);
    await ws.next((m) => m.type === 'authenticated', 10_000);
    return ws;
  };

  it('fires an alert crossed by a tick exactly once, and the user hears it on a socket of the non-leader instance, in the list and by email', async () => {
    expect(follower.output()).not.toContain(LEADER_LINE);
    const ws = await connect(follower, user);
    const created = await request(follower.url)
      .post('/api/alerts')
      .set(user.auth)
      .send({ symbol: 'btc', condition: 'above', targetPrice: '105000.5', notifyEmail: true })
      .expect(201);
    expect(created.body).toMatchObject({
      symbol: 'BTC',
      condition: 'above',
      targetPrice: '105000.50000000',
      active: true,
      notifyEmail: true,
      triggeredAt: null,
    });
    const untouched = await request(follower.url)
      .post('/api/alerts')
      .set(user.auth)
      .send({ symbol: 'BTC', condition: 'below', targetPrice: '90000' })
      .expect(201);

    // Let both instances index the alert at the current price: nothing may fire yet.
    await new Promise((r) => setTimeout(r, 600));
    expect(ws.messages.filter((e) => e.msg.type === 'alert_triggered')).toEqual([]);

    cg.setPrice('bitcoin', '105200.25');
    const event = await ws.next((m) => m.type === 'alert_triggered', 10_000);
    expect(event).toMatchObject({
      type: 'alert_triggered',
      data: { alert: { id: created.body.id, symbol: 'BTC', active: false, triggeredPrice: '105200.25000000' } },
      notification: { type: 'alert_triggered', read: false, title: 'BTC is above $105,000.50' },
    });

    const mailed = await mail.waitFor(user.email, (m) => m.subject === 'BTC is above $105,000.50');
    expect(mailed.text).toContain('BTC traded at $105,200.25 on ');

    // Ticks keep coming (the price moves again, higher): the alert stays fired once.
    cg.setPrice('bitcoin', '106000');
    await new Promise((r) => setTimeout(r, 800));
    expect(ws.messages.filter((e) => e.msg.type === 'alert_triggered')).toHaveLength(1);
    const notifications = await request(leader.url).get('/api/notifications').set(user.auth).expect(200);
    expect(notifications.body.items.filter((n: { type: string }) => n.type === 'alert_triggered')).toHaveLength(1);
    expect(notifications.body.unreadCount).toBe(1);
    expect(mail.messages.filter((m) => m.subject === 'BTC is above $105,000.50')).toHaveLength(1);

    const stored = await request(leader.url).get(`/api/alerts/${created.body.id}`).set(user.auth).expect(200);
    expect(stored.body).toMatchObject({ active: false, triggeredPrice: '105200.25000000', triggeredAt: expect.any(String) });
    // In words: dollars and cents, the time as "Dec 3, 2026, 10:05 UTC", and no ISO timestamp or id.
    expect(mailed.text.trim()).toBe(
      `Your alert “BTC above $105,000.50” fired: BTC traded at $105,200.25 on ${formatDateTime(stored.body.triggeredAt as string)}.`,
    );
    expect(mailed.text).not.toContain(created.body.id as string);
    const other = await request(leader.url).get(`/api/alerts/${untouched.body.id}`).set(user.auth).expect(200);
    expect(other.body).toMatchObject({ active: true, triggeredAt: null });
  });

  it('re-arms a fired alert when it is reactivated, and fires it again on the next crossing', async () => {
    await movePrice(cg, leader, 'ethereum', 'ETH', '4000');
    const ws = await connect(follower, user);
    const alert = await request(follower.url).post('/api/alerts').set(user.auth).send({ symbol: 'ETH', condition: 'below', targetPrice: '3500' }).expect(201);
    cg.setPrice('ethereum', '3400');
    await ws.next((m) => m.type === 'alert_triggered' && (m.data as { alert: { id: string } }).alert.id === alert.body.id, 10_000);
    await movePrice(cg, leader, 'ethereum', 'ETH', '3800');

    const rearmed = await request(follower.url).patch(`/api/alerts/${alert.body.id}`).set(user.auth).send({ active: true }).expect(200);
    expect(rearmed.body).toMatchObject({ active: true, triggeredAt: null, triggeredPrice: null });
    await new Promise((r) => setTimeout(r, 500));
    cg.setPrice('ethereum', '3450');
    await waitFor(() => ws.messages.filter((e) => e.msg.type === 'alert_triggered').length === 2, 10_000, 'second firing');
    const after = await request(follower.url).get(`/api/alerts/${alert.body.id}`).set(user.auth).expect(200);
    expect(after.body).toMatchObject({ active: false, triggeredPrice: '3450.00000000' });
  });

  it('asks before creating an alert the price already reaches (409 with the price now), and fires it at once when confirmed', async () => {
    await movePrice(cg, leader, 'ethereum', 'ETH', '3450');
    const ws = await connect(follower, user);
    const body = { symbol: 'ETH', condition: 'above', targetPrice: '3000' };
    const asked = await request(follower.url).post('/api/alerts').set(user.auth).send(body).expect(409);
    expect(asked.body.error).toEqual({
      code: 'ALERT_ALREADY_CROSSED',
      message: 'ETH already trades at $3,450.00, at or above $3,000.00: the alert would fire at once',
    });
    await new Promise((r) => setTimeout(r, 400));
    expect(ws.messages.filter((e) => e.msg.type === 'alert_triggered')).toEqual([]);
    const alert = await request(follower.url)
      .post('/api/alerts')
      .set(user.auth)
      .send({ ...body, confirmCrossed: true })
      .expect(201);
    const event = await ws.next((m) => m.type === 'alert_triggered' && (m.data as { alert: { id: string } }).alert.id === alert.body.id, 10_000);
    expect(event.data).toMatchObject({ alert: { triggeredPrice: '3450.00000000', active: false } });
  });

  it('fires an alert on a 24 h move once, when the change reaches it, with the change in its notification', async () => {
    cg.setChange24h('solana', '1.5');
    await movePrice(cg, leader, 'solana', 'SOL', '198.35');
    const ws = await connect(follower, user);
    const alert = await request(follower.url)
      .post('/api/alerts')
      .set(user.auth)
      .send({ symbol: 'SOL', kind: 'move', condition: 'down', movePct: '5' })
      .expect(201);
    expect(alert.body).toMatchObject({ kind: 'move', condition: 'down', movePct: '5.00', targetPrice: null });
    // The price falls, the 24 h change not yet far enough: nothing.
    cg.setChange24h('solana', '-4.99');
    await movePrice(cg, leader, 'solana', 'SOL', '180');
    await new Promise((r) => setTimeout(r, 400));
    expect(ws.messages.filter((e) => e.msg.type === 'alert_triggered')).toEqual([]);

    cg.setChange24h('solana', '-6.25');
    const event = await ws.next((m) => m.type === 'alert_triggered', 10_000);
    expect(event).toMatchObject({
      data: { alert: { id: alert.body.id, kind: 'move', active: false, triggeredChange: '-6.2500', triggeredPrice: '180.00000000' } },
      notification: { type: 'alert_triggered', title: 'SOL is down 6.25% in 24 hours' },
    });
    expect((event.notification as { body: string }).body).toMatch(
      /^Your alert “SOL down 5.00% in 24 hours” fired: SOL traded at \$180\.00, -6\.25% in 24 hours, on .+ UTC\.$/,
    );
    // It keeps falling: fired once.
    cg.setChange24h('solana', '-9');
    await new Promise((r) => setTimeout(r, 800));
    expect(ws.messages.filter((e) => e.msg.type === 'alert_triggered')).toHaveLength(1);
  });

  it('fires a repeating alert, re-arms it after its cooldown and fires it again, never twice within a cooldown (two instances)', async () => {
    await movePrice(cg, leader, 'litecoin', 'LTC', '100');
    const ws = await connect(follower, user);
    const alert = await request(follower.url)
      .post('/api/alerts')
      .set(user.auth)
      .send({ symbol: 'LTC', condition: 'above', targetPrice: '110', cooldownSeconds: 2 })
      .expect(201);
    expect(alert.body).toMatchObject({ cooldownSeconds: 2, rearmAt: null });
    const firings = () => ws.messages.filter((e) => e.msg.type === 'alert_triggered' && (e.msg.data as { alert: { id: string } }).alert.id === alert.body.id);

    // Above the target and staying there, ticks every 150 ms on the leader: fires, waits out the cooldown, fires again.
    cg.setPrice('litecoin', '111');
    await waitFor(() => firings().length >= 1, 10_000, 'the first firing');
    const first = firings()[0].msg as unknown as { data: { alert: { active: boolean; rearmAt: string; triggeredAt: string } }; notification: { body: string } };
    expect(first.data.alert).toMatchObject({ active: true, rearmAt: expect.any(String) });
    expect(Date.parse(first.data.alert.rearmAt) - Date.parse(first.data.alert.triggeredAt)).toBe(2000);
    expect(first.notification.body).toMatch(/ It is armed again from .+ UTC\.$/);
    const cooling = await request(leader.url).get(`/api/alerts/${alert.body.id}`).set(user.auth).expect(200);
    expect(cooling.body).toMatchObject({ active: true, rearmAt: first.data.alert.rearmAt });

    await waitFor(() => firings().length >= 3, 15_000, 'two more firings');
    await request(follower.url).patch(`/api/alerts/${alert.body.id}`).set(user.auth).send({ active: false }).expect(200);
    // Every firing the database recorded, on the database's clock: a cooldown apart at least, never closer.
    await new Promise((r) => setTimeout(r, 300));
    const stored = (
      await db.query<{ fired_at: Date }>(
        `SELECT (data->'alert'->>'triggeredAt')::timestamptz AS fired_at FROM notifications
        WHERE user_id = $1 AND data->'alert'->>'id' = $2 ORDER BY 1`,
        [user.id, alert.body.id],
      )
    ).map((r) => new Date(r.fired_at).getTime());
    expect(stored.length).toBeGreaterThanOrEqual(3);
    expect(new Set(stored).size).toBe(stored.length);
    for (let i = 1; i < stored.length; i++) expect(stored[i] - stored[i - 1]).toBeGreaterThanOrEqual(2000);
    expect(firings()).toHaveLength(stored.length);
    cg.setPrice('litecoin', '100');
  });

  it('tells the owner of a limit order the trigger engine filled, on the non-leader socket and in the list', async () => {
    const admin = await createUser(follower, mail, { admin: true });
    await fund(follower, admin, user, 'USD', '1000');
    await movePrice(cg, leader, 'bitcoin', 'BTC', '106000');
    const ws = await connect(follower, user);
    const placed = await request(follower.url)
      .post('/api/orders')
      .set(user.auth)
      .set('Idempotency-Key', 'alerts-trigger-limit-1')
      .send({ symbol: 'BTC', side: 'buy', type: 'limit', quantity: '0.001', limitPrice: '100000' })
      .expect(201);
    expect(placed.body.order.status).toBe('open');
    await new Promise((r) => setTimeout(r, 500));
    cg.setPrice('bitcoin', '99000');
    const event = await ws.next((m) => m.type === 'order_filled', 10_000);
    expect(event).toMatchObject({
      data: { order: { id: placed.body.order.id, status: 'filled', filledPrice: expect.stringMatching(/^99000(\.0+)?$/) } },
      notification: { type: 'order_filled', title: 'Your limit buy of BTC filled' },
    });
    const list = await request(follower.url).get('/api/notifications?unread=true').set(user.auth).expect(200);
    expect(list.body.items.map((n: { type: string }) => n.type)).toContain('order_filled');
  });
});
