import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { createUser, enableTwoFactor, stepUp, TestUser } from '../../support/factories';
import { fund, waitForPrices } from '../../support/money';
import { SmtpSink } from '../../support/smtp';
import { waitFor } from '../../support/wait';
import { TestSocket, wsUrl } from '../../support/ws-client';

const SOME_UUID = '00000000-0000-4000-8000-000000000000';
const FORBIDDEN_KEYS = /hash|secret|token|password/i;

/** Every key anywhere in a JSON value. */
function keysOf(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => keysOf(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      keysOf(v, out);
    }
  }
  return out;
}

describe('admin: back office access, users, suspension, audit logs and stats', () => {
  let db: TestDatabase;
  let mail: SmtpSink;
  let app: RunningApp;
  let admin: TestUser;
  let ann: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    [db, mail] = await Promise.all([createTestDatabase(), SmtpSink.start()]);
    app = await startApp(suiteEnv(db.url, { SMTP_URL: mail.url }));
    admin = await createUser(app, mail, { admin: true, name: 'Ada Admin' });
    [ann, bob] = await Promise.all([createUser(app, mail, { name: 'Ann Example' }), createUser(app, mail, { name: 'Bob Example', twoFactor: true })]);
  });
  afterAll(async () => {
    await app?.stop();
    await mail?.stop();
    await db?.drop();
  });

  it('answers 403 to a signed-in non-admin and 401 to an anonymous caller on every /api/admin route in the OpenAPI document', async () => {
    const spec = await request(app.url).get('/openapi.json').expect(200);
    const routes: [string, string][] = [];
    for (const [path, ops] of Object.entries(spec.body.paths as Record<string, Record<string, unknown>>)) {
      if (!path.startsWith('/api/admin') || path === '/api/admin/setup-first-admin') continue;
      for (const method of Object.keys(ops)) routes.push([method, path.replace(/\{[^}]+\}/g, SOME_UUID)]);
    }
    expect(routes.map(([m, p]) => `${m} ${p}`)).toEqual(
      expect.arrayContaining(['get /api/admin/stats', 'get /api/admin/users', `patch /api/admin/users/${SOME_UUID}`, 'get /api/admin/audit-logs']),
    );
    for (const [method, path] of routes) {
      const call = (r: request.Agent | ReturnType<typeof request>) => (r as unknown as Record<string, (p: string) => request.Test>)[method](path);
      const asUser = await call(request(app.url)).set(ann.auth).send({});
      expect([`${method} ${path}`, asUser.status, asUser.body.error?.code]).toEqual([`${method} ${path}`, 403, 'FORBIDDEN']);
      const anonymous = await call(request(app.url)).send({});
      expect([`${method} ${path}`, anonymous.status]).toEqual([`${method} ${path}`, 401]);
    }
  });

  it('refuses first-admin setup without the setup token (403) and once an admin exists (409)', async () => {
    const noToken = await request(app.url).post('/api/admin/setup-first-admin').send({ email: ann.email }).expect(403);
    expect(noToken.body.error.code).toBe('FORBIDDEN');
    await request(app.url).post('/api/admin/setup-first-admin').set('X-Setup-Token', 'wrong-token-wrong-token').send({ email: ann.email }).expect(403);
    const again = await request(app.url)
      .post('/api/admin/setup-first-admin')
      .set('X-Setup-Token', app.env.ADMIN_SETUP_TOKEN)
      .send({ email: ann.email })
      .expect(409);
    expect(again.body.error.code).toBe('ALREADY_EXISTS');
  });

  it('lists and searches users for an admin without ever returning a hash, secret or token', async () => {
    const all = await request(app.url).get('/api/admin/users').set(admin.auth).expect(200);
    expect(all.body.items.map((u: { email: string }) => u.email)).toEqual(expect.arrayContaining([admin.email, ann.email, bob.email]));
    const found = await request(app.url).get('/api/admin/users?search=bob example').set(admin.auth).expect(200);
    expect(found.body.items).toEqual([
      {
        id: bob.id,
        email: bob.email,
        name: 'Bob Example',
        role: 'user',
        emailVerified: true,
        twoFactorEnabled: true,
        suspended: false,
        suspendedAt: null,
        lockedUntil: null,
        lastActiveAt: expect.any(String),
        createdAt: expect.any(String),
      },
    ]);
    const page1 = await request(app.url).get('/api/admin/users?limit=2').set(admin.auth).expect(200);
    const page2 = await request(app.url).get(`/api/admin/users?limit=2&cursor=${page1.body.nextCursor}`).set(admin.auth).expect(200);
    expect(new Set([...page1.body.items, ...page2.body.items].map((u: { id: string }) => u.id)).size).toBe(3);

    const [secrets] = await db.query<{ password_hash: string; two_factor_secret: string }>('SELECT password_hash, two_factor_secret FROM users WHERE id = $1', [
      bob.id,
    ]);
    for (const body of [all.body, found.body, page1.body, page2.body]) {
      expect(keysOf(body).filter((k) => FORBIDDEN_KEYS.test(k))).toEqual([]);
      const text = JSON.stringify(body);
      expect(text).not.toContain(secrets.password_hash);
      expect(text).not.toContain(secrets.two_factor_secret);
      expect(text).not.toContain(bob.accessToken);
    }
  });

  it('suspends a user: their existing access and refresh tokens and open sockets stop working at once and they cannot sign in; reinstating lets them sign in again', async () => {
    const carl = await createUser(app, mail, { name: 'Carl Suspended' });
    await request(app.url).get('/api/auth/me').set(carl.auth).expect(200);
    const socket = await TestSocket.open(wsUrl(app.url, '/ws/user'), { headers: { Cookie: `access_token=${carl.accessToken}` } });
    await socket.next((m) => m.type === 'authenticated', 5_000);
    const suspended = await request(app.url).patch(`/api/admin/users/${carl.id}`).set(admin.auth).send({ suspended: true }).expect(200);
    expect(suspended.body).toMatchObject({ id: carl.id, suspended: true, suspendedAt: expect.any(String) });

    // Closed at the first change the instance hears of: the suspension itself (ACCOUNT_SUSPENDED) or the end of the session (TOKEN_REVOKED).
    const closed = await socket.waitClosed();
    expect(closed.code).toBe(4401);
    expect(['ACCOUNT_SUSPENDED', 'TOKEN_REVOKED']).toContain(closed.reason);
    expect(socket.messages.at(-1)?.msg).toMatchObject({ type: 'error', code: closed.reason });
    const me = await request(app.url).get('/api/auth/me').set(carl.auth);
    expect([me.status, me.body.error.code]).toEqual([401, 'TOKEN_REVOKED']);
    const alerts = await request(app.url).get('/api/alerts').set(carl.auth);
    expect(alerts.status).toBe(401);
    const refresh = await request(app.url).post('/api/auth/refresh').send({ refreshToken: carl.refreshToken });
    expect([401, 403]).toContain(refresh.status);
    const login = await request(app.url).post('/api/auth/login').send({ email: carl.email, password: carl.password }).expect(403);
    expect(login.body.error.code).toBe('ACCOUNT_SUSPENDED');

    const reinstated = await request(app.url).patch(`/api/admin/users/${carl.id}`).set(admin.auth).send({ suspended: false }).expect(200);
    expect(reinstated.body).toMatchObject({ suspended: false, suspendedAt: null });
    await request(app.url).get('/api/auth/me').set(carl.auth).expect(401);
    const back = await request(app.url).post('/api/auth/login').send({ email: carl.email, password: carl.password }).expect(200);
    await request(app.url).get('/api/auth/me').set('Authorization', `Bearer ${back.body.accessToken}`).expect(200);

    const audit = await request(app.url).get(`/api/admin/audit-logs?userId=${carl.id}&action=admin.`).set(admin.auth).expect(200);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['admin.user_reinstated', 'admin.user_sessions_ended', 'admin.user_suspended']);
    expect(audit.body.items.every((e: { actorId: string }) => e.actorId === admin.id)).toBe(true);
  });

  /** `by` asks to give `user` `role` (POST /api/admin/users/:id/role), with the server's setup token when `token`. */
  function askRole(by: TestUser, user: TestUser, role: 'admin' | 'user', token?: string): request.Test {
    const req = request(app.url).post(`/api/admin/users/${user.id}/role`).set(by.auth);
    return (token ? req.set('X-Setup-Token', token) : req).send({ role });
  }
  const decide = (by: TestUser, id: string, decision: 'approve' | 'reject') => request(app.url).post(`/api/admin/role-changes/${id}/${decision}`).set(by.auth);

  it('grants and revokes the admin role under dual control: a step-up, two-factor on the account, a second admin (the setup token while there is none)', async () => {
    // The one-call PATCH of a role is gone.
    const patched = await request(app.url).patch(`/api/admin/users/${bob.id}`).set(admin.auth).send({ role: 'admin' }).expect(400);
    expect(patched.body.error.details).toEqual([{ field: 'role', message: expect.stringContaining('POST /api/admin/users/:id/role') }]);
    expect((await askRole(admin, bob, 'admin').expect(401)).body.error.code).toBe('STEP_UP_REQUIRED');
    await stepUp(app, admin);
    expect((await askRole(admin, ann, 'admin').expect(403)).body.error.code).toBe('TWO_FACTOR_NOT_ENABLED');
    expect((await askRole(admin, admin, 'user').expect(409)).body.error.code).toBe('INVALID_STATE');
    expect((await askRole(admin, ann, 'user').expect(409)).body.error.code).toBe('INVALID_STATE');
    // The only admin: nobody else can approve, so the server's setup token is asked for, and with it the grant is made at once.
    expect((await askRole(admin, bob, 'admin').expect(403)).body.error.code).toBe('SETUP_TOKEN_REQUIRED');
    expect((await askRole(admin, bob, 'admin', 'not-the-setup-token').expect(403)).body.error.code).toBe('SETUP_TOKEN_REQUIRED');
    await request(app.url).get('/api/admin/stats').set(bob.auth).expect(403);
    const granted = await askRole(admin, bob, 'admin', app.env.ADMIN_SETUP_TOKEN).expect(200);
    expect(granted.body.change).toMatchObject({
      user: { id: bob.id, email: bob.email, name: 'Bob Example' },
      role: 'admin',
      status: 'approved',
      requestedBy: { id: admin.id, email: admin.email },
      decidedBy: null,
    });
    await request(app.url).get('/api/admin/stats').set(bob.auth).expect(200);

    // Two admins: a grant waits for the other one, whatever token comes with it.
    await enableTwoFactor(app, ann);
    const asked = await askRole(admin, ann, 'admin', app.env.ADMIN_SETUP_TOKEN).expect(202);
    const id = asked.body.change.id as string;
    expect(asked.body.change).toMatchObject({ status: 'pending', role: 'admin', decidedBy: null, decidedAt: null });
    expect((await askRole(admin, ann, 'admin').expect(409)).body.error.code).toBe('ALREADY_EXISTS');
    await request(app.url).get('/api/admin/stats').set(ann.auth).expect(403);
    expect((await decide(admin, id, 'approve').expect(403)).body.error.code).toBe('FORBIDDEN');
    expect((await decide(bob, id, 'approve').expect(401)).body.error.code).toBe('STEP_UP_REQUIRED');
    await stepUp(app, bob, { secondFactor: 'backup' });
    const pending = await request(app.url).get('/api/admin/role-changes?status=pending').set(bob.auth).expect(200);
    expect(pending.body.items.map((c: { id: string }) => c.id)).toEqual([id]);
    const approved = await decide(bob, id, 'approve').expect(200);
    expect(approved.body.change).toMatchObject({ status: 'approved', decidedBy: { id: bob.id, email: bob.email } });
    await request(app.url).get('/api/admin/stats').set(ann.auth).expect(200);
    expect((await decide(bob, id, 'approve').expect(409)).body.error.code).toBe('INVALID_STATE');
    // Neither can an admin be put out of action alone by a suspension, nor drop the two-factor the role was granted on.
    const suspendAdmin = await request(app.url).patch(`/api/admin/users/${bob.id}`).set(admin.auth).send({ suspended: true }).expect(403);
    expect(suspendAdmin.body.error.message).toContain('remove the admin role first');
    const off = await request(app.url).post('/api/auth/2fa/disable').set(bob.auth).expect(403);
    expect(off.body.error.message).toContain('An admin cannot turn two-factor authentication off');

    // A revocation waits too: the account concerned cannot decide it; another admin rejects it.
    const revoke = await askRole(admin, ann, 'user').expect(202);
    await stepUp(app, ann, { secondFactor: 'backup' });
    expect((await decide(ann, revoke.body.change.id, 'reject').expect(403)).body.error.code).toBe('FORBIDDEN');
    expect((await decide(bob, revoke.body.change.id, 'reject').expect(200)).body.change).toMatchObject({ status: 'rejected', decidedBy: { id: bob.id } });
    await request(app.url).get('/api/admin/stats').set(ann.auth).expect(200);

    const audit = await request(app.url).get(`/api/admin/audit-logs?userId=${ann.id}&action=admin.`).set(admin.auth).expect(200);
    const roleChange = (e: { action: string }) => e.action.startsWith('admin.role_change');
    // Every refused step is on record too (its own transaction rolled back): who tried what, and why it was refused.
    type Entry = { action: string; actorId: string; details: { step?: string; reason?: string } };
    expect(audit.body.items.filter(roleChange).map((e: Entry) => [e.action, e.actorId, e.details.step, e.details.reason])).toEqual([
      ['admin.role_change_rejected', bob.id, undefined, undefined],
      ['admin.role_change_refused', ann.id, 'reject', 'FORBIDDEN'],
      ['admin.role_change_requested', admin.id, undefined, undefined],
      ['admin.role_change_refused', bob.id, 'approve', 'INVALID_STATE'],
      ['admin.role_change_refused', admin.id, 'approve', 'FORBIDDEN'],
      ['admin.role_change_refused', admin.id, 'request', 'ALREADY_EXISTS'],
      ['admin.role_change_requested', admin.id, undefined, undefined],
      ['admin.role_change_refused', admin.id, 'request', 'INVALID_STATE'],
      ['admin.role_change_refused', admin.id, 'request', 'TWO_FACTOR_NOT_ENABLED'],
    ]);
    const changed = await request(app.url).get(`/api/admin/audit-logs?action=admin.user_role_changed`).set(admin.auth).expect(200);
    expect(
      changed.body.items.map((e: { userId: string; actorId: string; details: { to: string; by?: string } }) => [
        e.userId,
        e.actorId,
        e.details.to,
        e.details.by,
      ]),
    ).toEqual([
      [ann.id, bob.id, 'admin', undefined],
      [bob.id, admin.id, 'admin', 'setup_token'],
    ]);

    // The log names the accounts by their email too, for people to read.
    expect(changed.body.items[0]).toMatchObject({ userId: ann.id, userEmail: ann.email, actorId: bob.id, actorEmail: bob.email });
    // And so are the accounts its details name by id (who asked for the change), each once.
    expect(changed.body.items[0].details.requestedBy).toBe(admin.id);
    expect(changed.body.items[0].accounts).toEqual([{ id: admin.id, email: admin.email }]);
    expect(changed.body.items[1].accounts).toEqual([]);
    // What an admin looked at names its account filter by id (the query as sent); the entry names that account too.
    const viewed = await request(app.url).get(`/api/admin/audit-logs?action=admin.viewed&limit=100`).set(admin.auth).expect(200);
    const looked = viewed.body.items.find((e: { details: { query?: { userId?: string } } }) => e.details.query?.userId === ann.id);
    expect(looked).toMatchObject({ actorId: admin.id, actorEmail: admin.email, accounts: [{ id: ann.id, email: ann.email }] });

    const self = await request(app.url).patch(`/api/admin/users/${admin.id}`).set(admin.auth).send({ suspended: true }).expect(409);
    expect(self.body.error.code).toBe('INVALID_STATE');
    await request(app.url).patch(`/api/admin/users/${SOME_UUID}`).set(admin.auth).send({ suspended: true }).expect(404);
    await request(app.url).patch(`/api/admin/users/${ann.id}`).set(admin.auth).send({}).expect(400);
    await askRole(admin, ann, 'root' as 'user').expect(400);
    await request(app.url).post(`/api/admin/users/${SOME_UUID}/role`).set(admin.auth).send({ role: 'admin' }).expect(404);
  });

  it('keeps an admin from before two-factor was required an admin, but closes the back office to them until they turn it on', async () => {
    const dora = await createUser(app, mail, { name: 'Dora Earlier' });
    // An admin made by an earlier release, without two-factor.
    await db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [dora.id]);
    const me = await request(app.url).get('/api/auth/me').set(dora.auth).expect(200);
    expect(me.body.user).toMatchObject({ role: 'admin', twoFactorEnabled: false });
    const refused = await request(app.url).get('/api/admin/stats').set(dora.auth).expect(403);
    expect(refused.body.error).toEqual({
      code: 'TWO_FACTOR_ENROLMENT_REQUIRED',
      message: 'Admins must turn on two-factor authentication (in Settings) before using the back office',
    });
    await enableTwoFactor(app, dora);
    // The change reaches the auth cache at once (a PostgreSQL notification), not after its lifetime.
    await waitFor(async () => (await request(app.url).get('/api/admin/stats').set(dora.auth)).status === 200, 2_000, 'the back office once enrolled');
    await db.query(`UPDATE users SET role = 'user' WHERE id = $1`, [dora.id]);
  });

  it('applies a role change made on one instance to requests another instance serves, though that one had the old role cached', async () => {
    const { PORT: _port, APP_URL: _url, ...shared } = app.env;
    // Ann is an admin (the test above); admin asks, bob approves (both stepped up above, for STEP_UP_TTL_SECONDS).
    const setAnnRole = async (role: 'admin' | 'user') => {
      const asked = await askRole(admin, ann, role).expect(202);
      await decide(bob, asked.body.change.id, 'approve').expect(200);
    };
    await setAnnRole('user');
    const other = await startApp(shared);
    try {
      const statsOnOther = () => request(other.url).get('/api/admin/stats').set(ann.auth);
      // The other instance reads ann's state (role user) and caches it.
      await statsOnOther().expect(403);
      await statsOnOther().expect(403);
      await setAnnRole('admin');
      // PostgreSQL notifies every instance at the commit: well within the cache's 30 s lifetime.
      await waitFor(async () => (await statsOnOther()).status === 200, 2_000, 'the promotion on the other instance');
      await setAnnRole('user');
      await waitFor(async () => (await statsOnOther()).status === 403, 2_000, 'the demotion on the other instance');
      // Suspension through SQL, not the app: the trigger notifies all the same.
      await db.query('UPDATE users SET suspended_at = now() WHERE id = $1', [ann.id]);
      await waitFor(async () => (await request(other.url).get('/api/auth/me').set(ann.auth)).status === 403, 2_000, 'the suspension on the other instance');
      await db.query('UPDATE users SET suspended_at = NULL WHERE id = $1', [ann.id]);
      await waitFor(async () => (await request(other.url).get('/api/auth/me').set(ann.auth)).status === 200, 2_000, 'the reinstatement on the other instance');
    } finally {
      await other.stop();
    }
  });

  it('pages and filters the audit log by user, action and time', async () => {
    const everything = await request(app.url).get('/api/admin/audit-logs?limit=3').set(admin.auth).expect(200);
    expect(everything.body.items).toHaveLength(3);
    const next = await request(app.url).get(`/api/admin/audit-logs?limit=3&cursor=${everything.body.nextCursor}`).set(admin.auth).expect(200);
    expect(Number(next.body.items[0].id)).toBeLessThan(Number(everything.body.items[2].id));

    const future = new Date(Date.now() + 60_000).toISOString();
    const none = await request(app.url)
      .get(`/api/admin/audit-logs?from=${encodeURIComponent(future)}`)
      .set(admin.auth)
      .expect(200);
    expect(none.body).toEqual({ items: [], nextCursor: null });
    const past = await request(app.url)
      .get(`/api/admin/audit-logs?to=${encodeURIComponent(future)}&action=admin.setup_first_admin`)
      .set(admin.auth)
      .expect(200);
    expect(past.body.items).toEqual([expect.objectContaining({ action: 'admin.setup_first_admin', userId: admin.id })]);

    const views = await request(app.url).get(`/api/admin/audit-logs?action=admin.viewed&limit=100`).set(admin.auth).expect(200);
    expect(views.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ actorId: admin.id, details: { route: '/api/admin/users', query: { search: 'bob example' } } })]),
    );
    await request(app.url).get('/api/admin/audit-logs?userId=nope').set(admin.auth).expect(400);
    await request(app.url).get('/api/admin/audit-logs?from=yesterday').set(admin.auth).expect(400);
    await request(app.url).get('/api/admin/audit-logs?cursor=garbage').set(admin.auth).expect(400);
  });

  it('lists every user’s orders with who placed them, filtered by user, symbol, status and side', async () => {
    await waitForPrices(app);
    await fund(app, admin, ann, 'USD', '1000');
    const buy = await request(app.url)
      .post('/api/orders')
      .set(ann.auth)
      .set('Idempotency-Key', 'admin-trades-1')
      .send({ symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '100.10' }) // total with the fee: 100.00 of BTC + 0.10
      .expect(201);
    const orderId = buy.body.order.id as string;

    const mine = await request(app.url).get(`/api/admin/trades?userId=${ann.id}`).set(admin.auth).expect(200);
    expect(mine.body.items).toEqual([{ ...buy.body.order, status: 'filled', userId: ann.id, userEmail: ann.email }]);
    const filtered = await request(app.url).get('/api/admin/trades?symbol=btc&status=filled&side=buy&type=market').set(admin.auth).expect(200);
    expect(filtered.body.items.map((o: { id: string }) => o.id)).toContain(orderId);
    const none = await request(app.url).get('/api/admin/trades?side=sell').set(admin.auth).expect(200);
    expect(none.body).toEqual({ items: [], nextCursor: null });
    await request(app.url).get('/api/admin/trades?status=lost').set(admin.auth).expect(400);
    await request(app.url).get('/api/admin/trades').set(ann.auth).expect(403);
  });

  it('gives an admin the dashboard figures', async () => {
    const stats = await request(app.url).get('/api/admin/stats').set(admin.auth).expect(200);
    const [{ count }] = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM users');
    expect(stats.body).toMatchObject({
      users: { total: count, verified: count, suspended: 0, active7d: expect.any(Number) },
      generatedAt: expect.any(String),
    });
    expect(stats.body.users.active7d).toBeGreaterThanOrEqual(3);
    expect(Object.keys(stats.body).sort()).toEqual(['deposits', 'feeRevenue', 'generatedAt', 'trades', 'users', 'withdrawals']);
    expect(stats.body.trades.count24h).toBe(1);
    expect(stats.body.trades.volume24hUsd).toMatch(/^(99|100)\.\d{2}$/);
    expect(stats.body.feeRevenue).toEqual([{ asset: 'USD', amount: expect.stringMatching(/^0\.1\d*$/) }]);
  });
});
