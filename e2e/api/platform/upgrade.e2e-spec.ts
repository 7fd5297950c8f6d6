import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { migrations } from '../../../backend/src/database/migrations';
import { FIXTURE_ENV, FIXTURE_RELEASE, FIXTURE_USERS, type FixtureExpectations, type FixtureUserName, SEEN_PATHS } from '../../fixtures/previous-release';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createEmptyDatabase, TestDatabase } from '../../support/database';
import { enableTwoFactor, totpCode } from '../../support/factories';
import { runReconcile } from '../../support/money';
import { SmtpSink } from '../../support/smtp';
import { waitFor } from '../../support/wait';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const expected = JSON.parse(readFileSync(join(FIXTURES, 'previous-release.expected.json'), 'utf8')) as FixtureExpectations;

/**
 * Values that depend on the moment of the read, not on the stored data: the wallet's `updatedAt`
 * is the time of the read; the admin's user list shows `lastActiveAt`, which the sign-ins of this
 * suite move, and the admin's own `twoFactorEnabled`, which the admin turns on after the upgrade
 * (admins need it for the back office now). Everything else a user saw must be there unchanged.
 */
function stable(path: string, body: unknown): unknown {
  if (path === '/api/wallet/balance') {
    const { updatedAt: _now, ...wallet } = (body as { wallet: Record<string, unknown> }).wallet;
    return { wallet };
  }
  if (path === '/api/auth/me' && (body as { user: { email: string } }).user.email === FIXTURE_USERS.admin.email) {
    const { twoFactorEnabled: _enrolled, ...user } = (body as { user: Record<string, unknown> }).user;
    return { user };
  }
  if (path.startsWith('/api/admin/users')) {
    const { items, ...rest } = body as { items: Record<string, unknown>[] };
    return {
      ...rest,
      items: items.map(({ lastActiveAt: _signedIn, ...user }) => {
        if (user.email !== FIXTURE_USERS.admin.email) return user;
        const { twoFactorEnabled: _enrolled, ...admin } = user;
        return admin;
      }),
    };
  }
  return body;
}

/**
 * Upgrades keep data (docs/UPGRADES.md): a database made by the previous release (seeded through its
 * API: users, one with 2FA, sandbox deposits, market and limit orders, withdrawals pending, completed
 * and rejected, alerts and notifications) migrates to this build's schema at boot, the ledger
 * reconciles, and every user signs in and sees what they saw before.
 */
describe(`upgrade from the previous release (${FIXTURE_RELEASE}): the data survives`, () => {
  let db: TestDatabase;
  let mail: SmtpSink;
  let app: RunningApp;
  const auth = {} as Record<FixtureUserName, { Authorization: string }>;

  beforeAll(async () => {
    [db, mail] = await Promise.all([createEmptyDatabase(), SmtpSink.start()]);
    await promisify(execFile)('psql', ['-q', '-v', 'ON_ERROR_STOP=1', '-f', join(FIXTURES, 'previous-release.sql'), db.url], {
      env: { PATH: process.env.PATH ?? '' },
    });
    app = await startApp(suiteEnv(db.url, { ...FIXTURE_ENV, SMTP_URL: mail.url }));
  });
  afterAll(async () => {
    await app?.stop();
    await Promise.all([mail?.stop(), db?.drop()]);
  });

  it('boots on the old database and applies every migration of this build on top of the old ones', async () => {
    const applied = (await db.query<{ name: string }>(`SELECT name FROM migrations ORDER BY id`)).map((r) => r.name);
    expect(applied).toEqual(expect.arrayContaining(migrations.map((m) => (m as { name: string }).name)));
    expect(applied).toHaveLength(migrations.length);
    // Ready, not degraded, once its first prices are in: on a loaded machine that can be a moment after it listens.
    let health: { status?: string } = {};
    const ready = await waitFor(
      async () => {
        health = (await request(app.url).get('/api/health')).body as { status?: string };
        return health.status === 'ok';
      },
      20_000,
      'readiness ok',
    ).catch(() => false);
    expect({ ready, health }).toMatchObject({ ready: true, health: { status: 'ok' } });
  });

  it('reconciles clean: the ledger of the previous release balances under this build', async () => {
    const { code, output } = await runReconcile(db.url);
    expect({ code, output }).toEqual({ code: 0, output: expect.not.stringMatching(/violation|FAIL/i) });
  });

  it('signs every user in with their old password; the 2FA user needs a code from the seeded secret', async () => {
    for (const name of ['admin', 'bob'] as const) {
      const { email, password } = FIXTURE_USERS[name];
      const res = await request(app.url).post('/api/auth/login').send({ email, password }).expect(200);
      auth[name] = { Authorization: `Bearer ${res.body.accessToken}` };
    }
    // The admin of the previous release had no two-factor: still an admin, but the back office waits for the enrolment.
    const me = await request(app.url).get('/api/auth/me').set(auth.admin).expect(200);
    expect(me.body.user).toMatchObject({ role: 'admin', twoFactorEnabled: false });
    const closed = await request(app.url).get('/api/admin/users?limit=100').set(auth.admin).expect(403);
    expect(closed.body.error.code).toBe('TWO_FACTOR_ENROLMENT_REQUIRED');
    await enableTwoFactor(app, { id: me.body.user.id, ...FIXTURE_USERS.admin, accessToken: '', refreshToken: '', auth: auth.admin });
    await waitFor(async () => (await request(app.url).get('/api/admin/users?limit=1').set(auth.admin)).status === 200, 2_000, 'the back office once enrolled');
    const { email, password } = FIXTURE_USERS.alice;
    const missing = await request(app.url).post('/api/auth/login').send({ email, password }).expect(401);
    expect(missing.body.error.code).toBe('TWO_FACTOR_REQUIRED');
    await request(app.url)
      .post('/api/auth/login')
      .send({ email, password: `${password}x`, twoFactorCode: totpCode(expected.totpSecret) })
      .expect(401);
    const res = await request(app.url)
      .post('/api/auth/login')
      .send({ email, password, twoFactorCode: totpCode(expected.totpSecret) })
      .expect(200);
    expect(res.body.user).toMatchObject({ email, twoFactorEnabled: true });
    auth.alice = { Authorization: `Bearer ${res.body.accessToken}` };
  });

  it.each((Object.keys(SEEN_PATHS) as FixtureUserName[]).flatMap((name) => SEEN_PATHS[name].map((path) => [name, path] as const)))(
    '%s sees the same %s as before the upgrade',
    async (name, path) => {
      expect(auth[name]).toBeDefined();
      const res = await request(app.url).get(path).set(auth[name]).expect(200);
      // New fields may appear; every old one keeps its value (balances to the last digit, ids, statuses, dates).
      expect(stable(path, res.body)).toMatchObject(stable(path, expected.seen[name]![path]) as object);
    },
  );

  it('keeps trading on the upgraded data: the resting limit order cancels and releases its hold', async () => {
    const orders = expected.seen.alice!['/api/orders?limit=100'] as { items: { id: string; type: string; status: string; symbol: string }[] };
    const resting = orders.items.find((o) => o.type === 'limit' && o.status === 'open' && o.symbol === 'BTC')!;
    const cancelled = await request(app.url).delete(`/api/orders/${resting.id}`).set(auth.alice).expect(200);
    expect(cancelled.body.order).toMatchObject({ id: resting.id, status: 'cancelled' });
    const after = await request(app.url).get('/api/wallet/balance').set(auth.alice).expect(200);
    const usd = (after.body.wallet.balances as { asset: string; locked: string }[]).find((b) => b.asset === 'USD')!;
    expect(usd.locked).toBe('0.00');
    expect(await runReconcile(db.url)).toMatchObject({ code: 0 });
  });
});
