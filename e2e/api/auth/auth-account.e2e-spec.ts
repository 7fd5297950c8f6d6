import request from 'supertest';
import type { RunningApp } from '../../support/app';
import type { TestDatabase } from '../../support/database';
import { createUser, stepUp, uniqueEmail } from '../../support/factories';
import { SmtpSink } from '../../support/smtp';
import { useAppSuite } from '../../support/suite';
import { untilStatus } from '../../support/wait';

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';
const SAFARI = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

describe('auth: lockout, suspension, passwords, profile and sessions', () => {
  let db: TestDatabase;
  let mail: SmtpSink;
  let app: RunningApp;
  const suite = useAppSuite();
  beforeAll(() => ({ db, mail, app } = suite));

  it('locks an account for 15 minutes after 5 failed logins, even for the right password, and audits it', async () => {
    const user = await createUser(app, mail);
    for (let i = 0; i < 5; i++) {
      const res = await request(app.url)
        .post('/api/auth/login')
        .send({ email: user.email, password: `Wrong-Guess-${i}` })
        .expect(401);
      expect(res.body.error.code).toBe('INVALID_CREDENTIALS');
    }
    const lockedOut = await request(app.url).post('/api/auth/login').send({ email: user.email, password: user.password }).expect(429);
    expect(lockedOut.body.error.code).toBe('ACCOUNT_LOCKED');
    expect(Number(lockedOut.headers['retry-after'])).toBeGreaterThan(890);
    expect(Number(lockedOut.headers['retry-after'])).toBeLessThanOrEqual(900);
    const actions = await db.query<{ action: string }>(
      `SELECT action FROM audit_logs WHERE user_id = $1 AND action IN ('auth.login_failed', 'auth.account_locked')`,
      [user.id],
    );
    expect(actions.filter((a) => a.action === 'auth.login_failed')).toHaveLength(5);
    expect(actions.filter((a) => a.action === 'auth.account_locked')).toHaveLength(1);
    // Once the 15 minutes are over, the right password works and the count starts again.
    await db.query(`UPDATE users SET locked_until = now() - interval '1 second' WHERE id = $1`, [user.id]);
    await request(app.url).post('/api/auth/login').send({ email: user.email, password: user.password }).expect(200);
    const [row] = await db.query<{ failed_logins: number; locked_until: Date | null }>('SELECT failed_logins, locked_until FROM users WHERE id = $1', [
      user.id,
    ]);
    expect(row).toEqual({ failed_logins: 0, locked_until: null });
  });

  it('locks unknown addresses the same way, so a lockout does not reveal that an account exists', async () => {
    const email = uniqueEmail('ghost');
    for (let i = 0; i < 5; i++) await request(app.url).post('/api/auth/login').send({ email, password: 'Whatever-123' }).expect(401);
    const res = await request(app.url).post('/api/auth/login').send({ email, password: 'Whatever-123' }).expect(429);
    expect(res.body.error.code).toBe('ACCOUNT_LOCKED');
  });

  it('refuses a suspended user at login, with an existing access token and at refresh', async () => {
    const user = await createUser(app, mail);
    await db.query('UPDATE users SET suspended_at = now() WHERE id = $1', [user.id]);
    const login = await request(app.url).post('/api/auth/login').send({ email: user.email, password: user.password }).expect(403);
    expect(login.body.error.code).toBe('ACCOUNT_SUSPENDED');
    const me = await untilStatus(() => request(app.url).get('/api/auth/me').set(user.auth), 403, 'the suspension');
    expect(me.body.error.code).toBe('ACCOUNT_SUSPENDED');
    const refresh = await request(app.url).post('/api/auth/refresh').send({ refreshToken: user.refreshToken }).expect(403);
    expect(refresh.body.error.code).toBe('ACCOUNT_SUSPENDED');
  });

  it('changes the password after a step-up and signs out every other session', async () => {
    const user = await createUser(app, mail);
    const other = await request(app.url).post('/api/auth/login').send({ email: user.email, password: user.password }).expect(200);
    const before = await request(app.url).post('/api/auth/change-password').set(user.auth).send({ newPassword: 'Brand-New-Pass-9' }).expect(401);
    expect(before.body.error.code).toBe('STEP_UP_REQUIRED');
    const wrong = await request(app.url).post('/api/auth/step-up').set(user.auth).send({ password: 'Not-It-123' }).expect(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    await stepUp(app, user);
    const weak = await request(app.url).post('/api/auth/change-password').set(user.auth).send({ newPassword: 'qwerty123' }).expect(400);
    expect(weak.body.error.details).toEqual([{ field: 'newPassword', message: expect.stringMatching(/^That password is too common/) }]);
    await request(app.url).post('/api/auth/change-password').set(user.auth).send({ newPassword: 'Brand-New-Pass-9' }).expect(200);
    await request(app.url).get('/api/auth/me').set(user.auth).expect(200);
    const otherMe = await request(app.url).get('/api/auth/me').set('Authorization', `Bearer ${other.body.accessToken}`).expect(401);
    expect(otherMe.body.error.code).toBe('TOKEN_REVOKED');
    await request(app.url).post('/api/auth/refresh').send({ refreshToken: other.body.refreshToken }).expect(401);
    await request(app.url).post('/api/auth/login').send({ email: user.email, password: user.password }).expect(401);
    await request(app.url).post('/api/auth/login').send({ email: user.email, password: 'Brand-New-Pass-9' }).expect(200);
  });

  it('resets a forgotten password with the mailed single-use link and ends every session', async () => {
    const user = await createUser(app, mail);
    const known = await request(app.url).post('/api/auth/forgot-password').send({ email: user.email }).expect(200);
    const unknown = await request(app.url)
      .post('/api/auth/forgot-password')
      .send({ email: uniqueEmail('nobody') })
      .expect(200);
    expect(known.body).toEqual(unknown.body);
    const message = await mail.waitFor(user.email, (m) => /reset/i.test(m.subject));
    const token = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(message.text)?.[1] as string;
    expect(token).toBeDefined();
    await request(app.url).get(`/api/auth/validate-reset-token/${token}`).expect(200, { valid: true });
    await request(app.url).get('/api/auth/validate-reset-token/not-a-real-token').expect(200, { valid: false });
    await request(app.url).post('/api/auth/reset-password').send({ token, newPassword: 'Reset-Fresh-Pass-3' }).expect(200);
    const again = await request(app.url).post('/api/auth/reset-password').send({ token, newPassword: 'Reset-Again-Pass-4' }).expect(400);
    expect(again.body.error.code).toBe('VALIDATION_FAILED');
    await request(app.url).get(`/api/auth/validate-reset-token/${token}`).expect(200, { valid: false });
    const me = await request(app.url).get('/api/auth/me').set(user.auth).expect(401);
    expect(me.body.error.code).toBe('TOKEN_REVOKED');
    await request(app.url).post('/api/auth/refresh').send({ refreshToken: user.refreshToken }).expect(401);
    await request(app.url).post('/api/auth/login').send({ email: user.email, password: user.password }).expect(401);
    await request(app.url).post('/api/auth/login').send({ email: user.email, password: 'Reset-Fresh-Pass-3' }).expect(200);
  });

  it('refuses an expired reset link', async () => {
    const user = await createUser(app, mail);
    await request(app.url).post('/api/auth/forgot-password').send({ email: user.email }).expect(200);
    const message = await mail.waitFor(user.email, (m) => /reset/i.test(m.subject));
    const token = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(message.text)?.[1] as string;
    await db.query(`UPDATE one_time_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1 AND purpose = 'password_reset'`, [user.id]);
    await request(app.url).post('/api/auth/reset-password').send({ token, newPassword: 'Too-Late-Pass-5' }).expect(400);
  });

  it('updates the profile name within 2 to 100 characters', async () => {
    const user = await createUser(app, mail);
    const res = await request(app.url).put('/api/auth/profile').set(user.auth).send({ name: '  Ada Lovelace ' }).expect(200);
    expect(res.body.user.name).toBe('Ada Lovelace');
    const short = await request(app.url).put('/api/auth/profile').set(user.auth).send({ name: 'A' }).expect(400);
    expect(short.body.error.details).toEqual([{ field: 'name', message: 'Enter a name of 2 to 100 characters' }]);
  });

  it('lists sessions with device, ip and the current one, and revokes another session', async () => {
    const user = await createUser(app, mail);
    const firefox = await request(app.url).post('/api/auth/login').set('User-Agent', FIREFOX).send({ email: user.email, password: user.password }).expect(200);
    const phone = await request(app.url).post('/api/auth/login').set('User-Agent', SAFARI).send({ email: user.email, password: user.password }).expect(200);
    const list = await request(app.url).get('/api/auth/sessions').set('Authorization', `Bearer ${firefox.body.accessToken}`).expect(200);
    expect(list.body.sessions).toHaveLength(3);
    const byDevice = Object.fromEntries((list.body.sessions as { id: string; device: string; current: boolean }[]).map((s) => [s.device, s]));
    expect(byDevice['Firefox on Windows']).toEqual({
      id: expect.any(String),
      device: 'Firefox on Windows',
      ip: expect.stringContaining('127.0.0.1'),
      createdAt: expect.any(String),
      lastUsedAt: expect.any(String),
      current: true,
    });
    expect(byDevice['Safari on iOS'].current).toBe(false);

    await request(app.url).delete(`/api/auth/sessions/${byDevice['Safari on iOS'].id}`).set('Authorization', `Bearer ${firefox.body.accessToken}`).expect(200);
    const dead = await request(app.url).get('/api/auth/me').set('Authorization', `Bearer ${phone.body.accessToken}`).expect(401);
    expect(dead.body.error.code).toBe('TOKEN_REVOKED');
    await request(app.url).post('/api/auth/refresh').send({ refreshToken: phone.body.refreshToken }).expect(401);
    const after = await request(app.url).get('/api/auth/sessions').set('Authorization', `Bearer ${firefox.body.accessToken}`).expect(200);
    expect(after.body.sessions).toHaveLength(2);

    const stranger = await createUser(app, mail);
    const notYours = await request(app.url).delete(`/api/auth/sessions/${byDevice['Firefox on Windows'].id}`).set(stranger.auth).expect(404);
    expect(notYours.body.error.code).toBe('NOT_FOUND');
    await request(app.url).delete('/api/auth/sessions/not-a-uuid').set(stranger.auth).expect(400);
  });

  it("never answers with a password hash, a secret, a token hash or another user's tokens", async () => {
    const bodies: string[] = [];
    const record = (res: request.Response) => {
      bodies.push(JSON.stringify(res.body ?? {}));
      bodies.push(JSON.stringify(res.headers['set-cookie'] ?? []));
      return res;
    };
    const alice = await createUser(app, mail, { twoFactor: true });
    const bob = await createUser(app, mail);
    const bobAuth = { Authorization: `Bearer ${bob.accessToken}` };
    record(await request(app.url).get('/api/auth/me').set(bobAuth));
    record(await request(app.url).put('/api/auth/profile').set(bobAuth).send({ name: 'Bob Two' }));
    record(await request(app.url).get('/api/auth/sessions').set(bobAuth));
    record(await request(app.url).get('/api/auth/2fa/status').set(bobAuth));
    record(await request(app.url).post('/api/auth/login').send({ email: alice.email, password: alice.password }));
    record(await request(app.url).post('/api/auth/login').send({ email: bob.email, password: bob.password }));
    record(await request(app.url).post('/api/auth/refresh').send({ refreshToken: bob.refreshToken }));
    record(await request(app.url).post('/api/auth/forgot-password').send({ email: alice.email }));
    record(await request(app.url).post('/api/auth/resend-verification').send({ email: alice.email }));
    record(await request(app.url).delete(`/api/auth/sessions/00000000-0000-4000-8000-000000000000`).set(bobAuth));
    record(await request(app.url).post('/api/auth/signup').send({ email: alice.email, password: 'Some-Pass-123', name: 'Copycat' }));
    const [secrets] = await db.query<{ password_hash: string; two_factor_secret: string }>('SELECT password_hash, two_factor_secret FROM users WHERE id = $1', [
      alice.id,
    ]);
    const tokenHashes = await db.query<{ token_hash: string }>('SELECT token_hash FROM refresh_tokens');
    const all = bodies.join('\n');
    for (const forbidden of [
      'passwordHash',
      'password_hash',
      '$2b$',
      'twoFactorSecret',
      'totpSecret',
      secrets.password_hash,
      secrets.two_factor_secret,
      alice.accessToken,
      alice.refreshToken,
    ]) {
      expect(all).not.toContain(forbidden);
    }
    for (const { token_hash } of tokenHashes) expect(all).not.toContain(token_hash);
  });
});
