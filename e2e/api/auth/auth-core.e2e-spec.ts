import { createHmac, randomUUID } from 'node:crypto';
import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { createUser, uniqueEmail, verificationCode } from '../../support/factories';
import { SmtpSink } from '../../support/smtp';
import { untilStatus } from '../../support/wait';

function cookies(res: request.Response): string[] {
  return (res.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
}
function cookieValue(res: request.Response, name: string): string | undefined {
  const c = cookies(res).find((x) => x.startsWith(`${name}=`));
  return c ? decodeURIComponent(c.split(';')[0].slice(name.length + 1)) : undefined;
}

/** An HS256 JWT signed with the app's secret, to probe what the guard accepts beyond signature checks. */
function signJwt(secret: string, payload: Record<string, unknown>): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

describe('auth core: signup, verification, login, refresh rotation, logout', () => {
  let db: TestDatabase;
  let mail: SmtpSink;
  let env: Record<string, string>;
  let app: RunningApp;

  beforeAll(async () => {
    [db, mail] = await Promise.all([createTestDatabase(), SmtpSink.start()]);
    env = suiteEnv(db.url, { SMTP_URL: mail.url });
    app = await startApp(env);
  });
  afterAll(async () => {
    await app?.stop();
    await mail?.stop();
    await db?.drop();
  });

  it('signs up, refuses login until the mailed code is entered, then signs in with tokens in the body and HttpOnly cookies', async () => {
    const email = uniqueEmail('ann');
    const password = 'Tangerine-Kayak-42';
    const signup = await request(app.url).post('/api/auth/signup').send({ email, password, name: 'Ann Example' }).expect(201);
    expect(signup.body).toEqual({
      user: {
        id: expect.any(String),
        email,
        name: 'Ann Example',
        role: 'user',
        emailVerified: false,
        twoFactorEnabled: false,
        securityHold: null,
        createdAt: expect.any(String),
      },
      verificationRequired: true,
    });

    const early = await request(app.url).post('/api/auth/login').send({ email, password }).expect(403);
    expect(early.body.error.code).toBe('EMAIL_NOT_VERIFIED');

    const code = await verificationCode(mail, email);
    const verified = await request(app.url).post('/api/auth/verify-email').send({ email, code }).expect(200);
    expect(verified.body).toMatchObject({ verified: true, user: { email, emailVerified: true } });

    const login = await request(app.url).post('/api/auth/login').send({ email, password }).expect(200);
    expect(login.body).toEqual({
      user: expect.objectContaining({ email, emailVerified: true }),
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 900,
    });
    const set = cookies(login).join('\n');
    expect(set).toMatch(/access_token=[^;]+; Max-Age=900; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax/);
    expect(set).toMatch(/refresh_token=[^;]+; Max-Age=604800; Path=\/api\/auth; Expires=[^;]+; HttpOnly; SameSite=Strict/);

    const me = await request(app.url).get('/api/auth/me').set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
    expect(me.body.user).toEqual(expect.objectContaining({ id: signup.body.user.id, email, role: 'user', emailVerified: true, twoFactorEnabled: false }));
    const viaCookie = await request(app.url).get('/api/auth/me').set('Cookie', `access_token=${login.body.accessToken}`).expect(200);
    expect(viaCookie.body.user.id).toBe(signup.body.user.id);
  });

  it('verifies an email with the link token from the mail', async () => {
    const email = uniqueEmail('link');
    await request(app.url).post('/api/auth/signup').send({ email, password: 'Link-Verify-77', name: 'Link User' }).expect(201);
    const message = await mail.waitFor(email);
    const token = /verify-email\?token=([A-Za-z0-9_-]+)/.exec(message.text)?.[1];
    expect(token).toBeDefined();
    await request(app.url).post('/api/auth/verify-email').send({ token }).expect(200);
    await request(app.url).post('/api/auth/login').send({ email, password: 'Link-Verify-77' }).expect(200);
    const again = await request(app.url).post('/api/auth/verify-email').send({ token }).expect(400);
    expect(again.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('allows 5 attempts at a verification code, then refuses even the right one', async () => {
    const email = uniqueEmail('guess');
    await request(app.url).post('/api/auth/signup').send({ email, password: 'Guess-Work-2024x', name: 'Guesser' }).expect(201);
    const code = await verificationCode(mail, email);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) await request(app.url).post('/api/auth/verify-email').send({ email, code: wrong }).expect(400);
    await request(app.url).post('/api/auth/verify-email').send({ email, code }).expect(400);
    // A new code (resend) works again.
    await request(app.url).post('/api/auth/resend-verification').send({ email }).expect(200);
    const fresh = await verificationCode(mail, email, 1);
    await request(app.url).post('/api/auth/verify-email').send({ email, code: fresh }).expect(200);
  });

  it('refuses a taken email with 409 EMAIL_TAKEN and a weak password with the failing rule', async () => {
    const user = await createUser(app, mail);
    const taken = await request(app.url)
      .post('/api/auth/signup')
      .send({ email: user.email.toUpperCase(), password: 'Another-Pass-1', name: 'Copy' })
      .expect(409);
    expect(taken.body.error.code).toBe('EMAIL_TAKEN');
    const weak = await request(app.url).post('/api/auth/signup').send({ email: uniqueEmail(), password: 'Password123', name: 'Weak' }).expect(400);
    expect(weak.body.error).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'That password is too common: choose one that is not on lists of breached passwords',
      details: [{ field: 'password', message: 'That password is too common: choose one that is not on lists of breached passwords' }],
    });
    const noDigit = await request(app.url).post('/api/auth/signup').send({ email: uniqueEmail(), password: 'no-digits-here', name: 'Weak' }).expect(400);
    expect(noDigit.body.error.details).toEqual([{ field: 'password', message: 'Add at least one digit' }]);
  });

  it('answers an unknown email exactly like a wrong password', async () => {
    const user = await createUser(app, mail);
    const wrong = await request(app.url).post('/api/auth/login').send({ email: user.email, password: 'Wrong-Password-1' }).expect(401);
    const unknown = await request(app.url)
      .post('/api/auth/login')
      .send({ email: uniqueEmail('nobody'), password: 'Wrong-Password-1' })
      .expect(401);
    expect(wrong.body.error).toEqual(unknown.body.error);
    expect(wrong.body.error).toEqual({ code: 'INVALID_CREDENTIALS', message: 'The email or the password is wrong' });
  });

  it('rotates the refresh token on every use, from the body or the cookie', async () => {
    const user = await createUser(app, mail);
    const first = await request(app.url).post('/api/auth/refresh').send({ refreshToken: user.refreshToken }).expect(200);
    expect(first.body.refreshToken).not.toBe(user.refreshToken);
    expect(first.body.accessToken).toEqual(expect.any(String));
    await request(app.url).get('/api/auth/me').set('Authorization', `Bearer ${first.body.accessToken}`).expect(200);
    const csrf = 'c'.repeat(32);
    const second = await request(app.url)
      .post('/api/auth/refresh')
      .set('Cookie', [`refresh_token=${first.body.refreshToken}`, `csrf_token=${csrf}`])
      .set('X-CSRF-Token', csrf)
      .expect(200);
    expect(cookieValue(second, 'refresh_token')).toBe(second.body.refreshToken);
    expect(second.body.refreshToken).not.toBe(first.body.refreshToken);
  });

  it('ends the whole session when a rotated refresh token is used again', async () => {
    const user = await createUser(app, mail);
    const rotated = await request(app.url).post('/api/auth/refresh').send({ refreshToken: user.refreshToken }).expect(200);
    const reuse = await request(app.url).post('/api/auth/refresh').send({ refreshToken: user.refreshToken }).expect(401);
    expect(reuse.body.error.code).toBe('TOKEN_REUSED');
    // The legitimate holder's newer tokens of that family are dead too.
    const newer = await request(app.url).post('/api/auth/refresh').send({ refreshToken: rotated.body.refreshToken }).expect(401);
    expect(newer.body.error.code).toBe('TOKEN_REVOKED');
    const access = await request(app.url).get('/api/auth/me').set('Authorization', `Bearer ${rotated.body.accessToken}`).expect(401);
    expect(access.body.error.code).toBe('TOKEN_REVOKED');
    await request(app.url).get('/api/auth/me').set(user.auth).expect(401);
    const [audit] = await db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM audit_logs WHERE user_id = $1 AND action = 'auth.refresh_token_reused'`,
      [user.id],
    );
    expect(audit.count).toBe(1);
  });

  it('refuses a refresh token used as an access token, and an access token used as a refresh token', async () => {
    const user = await createUser(app, mail);
    const asAccess = await request(app.url).get('/api/auth/me').set('Authorization', `Bearer ${user.refreshToken}`).expect(401);
    expect(asAccess.body.error.code).toBe('UNAUTHENTICATED');
    await request(app.url).get('/api/auth/me').set('Cookie', `access_token=${user.refreshToken}`).expect(401);
    const asRefresh = await request(app.url).post('/api/auth/refresh').send({ refreshToken: user.accessToken }).expect(401);
    expect(asRefresh.body.error.code).toBe('UNAUTHENTICATED');
    await request(app.url).get('/api/auth/me').expect(401);
  });

  it('refuses correctly signed tokens that are not access tokens, are expired, or predate a password reset', async () => {
    const user = await createUser(app, mail);
    const me = (await request(app.url).get('/api/auth/me').set(user.auth).expect(200)).body.user;
    const [, payloadPart] = user.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payloadPart, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toEqual({
      sub: me.id,
      email: user.email,
      role: 'user',
      sid: expect.any(String),
      jti: expect.any(String),
      typ: 'access',
      iat: expect.any(Number),
      exp: (claims.iat as number) + 900,
    });
    const now = Math.floor(Date.now() / 1000);
    const forged = (extra: Record<string, unknown>) => signJwt(app.env.JWT_SECRET, { ...claims, jti: randomUUID(), iat: now, exp: now + 600, ...extra });
    await request(app.url)
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${forged({})}`)
      .expect(200);
    const refreshTyp = await request(app.url)
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${forged({ typ: 'refresh' })}`)
      .expect(401);
    expect(refreshTyp.body.error.code).toBe('UNAUTHENTICATED');
    await request(app.url)
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${forged({ iat: now - 1000, exp: now - 100 })}`)
      .expect(401);
    await request(app.url)
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${signJwt('another-secret-entirely-0123456789', { ...claims, exp: now + 600 })}`)
      .expect(401);
    await db.query(`UPDATE users SET tokens_valid_after = now() + interval '5 seconds' WHERE id = $1`, [user.id]);
    const stale = await untilStatus(() => request(app.url).get('/api/auth/me').set(user.auth), 401, 'the revocation');
    expect(stale.body.error.code).toBe('TOKEN_REVOKED');
  });

  it('stops accepting a token the moment it expires, even one it has just accepted', async () => {
    const user = await createUser(app, mail);
    const [, payloadPart] = user.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payloadPart, 'base64url').toString()) as Record<string, unknown>;
    const now = Math.floor(Date.now() / 1000);
    const shortLived = signJwt(app.env.JWT_SECRET, { ...claims, jti: randomUUID(), iat: now, exp: now + 2 });
    await request(app.url).get('/api/auth/me').set('Authorization', `Bearer ${shortLived}`).expect(200);
    await request(app.url).get('/api/auth/me').set('Authorization', `Bearer ${shortLived}`).expect(200);
    await new Promise((r) => setTimeout(r, (now + 2) * 1000 - Date.now() + 50));
    const expired = await request(app.url).get('/api/auth/me').set('Authorization', `Bearer ${shortLived}`).expect(401);
    expect(expired.body.error).toMatchObject({ code: 'UNAUTHENTICATED', message: 'The access token is invalid or expired' });
  });

  it('logs out: the access token, the refresh token and the cookies all stop working', async () => {
    const user = await createUser(app, mail);
    const out = await request(app.url).post('/api/auth/logout').set(user.auth).expect(200);
    expect(cookies(out).join('\n')).toMatch(/access_token=;.*Expires=Thu, 01 Jan 1970/);
    expect(cookies(out).join('\n')).toMatch(/refresh_token=;.*Path=\/api\/auth/);
    const me = await request(app.url).get('/api/auth/me').set(user.auth).expect(401);
    expect(me.body.error.code).toBe('TOKEN_REVOKED');
    const refresh = await request(app.url).post('/api/auth/refresh').send({ refreshToken: user.refreshToken }).expect(401);
    expect(refresh.body.error.code).toBe('TOKEN_REVOKED');
    const actions = await db.query<{ action: string }>(`SELECT action FROM audit_logs WHERE user_id = $1 ORDER BY id`, [user.id]);
    expect(actions.map((a) => a.action)).toEqual(['auth.signup', 'auth.email_verified', 'auth.login', 'auth.logout']);
  });

  it('honours a logout on one instance at another instance sharing the database and Redis', async () => {
    const second = await startApp(env);
    try {
      const user = await createUser(app, mail);
      await request(second.url).get('/api/auth/me').set(user.auth).expect(200);
      await request(app.url).post('/api/auth/logout').set(user.auth).expect(200);
      const refused = await request(second.url).get('/api/auth/me').set(user.auth).expect(401);
      expect(refused.body.error.code).toBe('TOKEN_REVOKED');
    } finally {
      await second.stop();
    }
  });

  it('makes ready users for other suites: with 2FA on, and as the first admin', async () => {
    const secured = await createUser(app, mail, { twoFactor: true });
    expect(secured.backupCodes).toHaveLength(10);
    const status = await request(app.url).get('/api/auth/2fa/status').set(secured.auth).expect(200);
    expect(status.body).toEqual({ enabled: true, backupCodesRemaining: 10 });
    const admin = await createUser(app, mail, { admin: true });
    const me = await request(app.url).get('/api/auth/me').set(admin.auth).expect(200);
    expect(me.body.user.role).toBe('admin');
  });

  it('stores passwords as bcrypt hashes and tokens only as SHA-256 hashes', async () => {
    const user = await createUser(app, mail);
    const [row] = await db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [user.id]);
    expect(row.password_hash).toMatch(/^\$2b\$04\$/);
    const tokens = await db.query<{ token_hash: string }>(
      'SELECT rt.token_hash FROM refresh_tokens rt JOIN sessions s ON s.id = rt.session_id WHERE s.user_id = $1',
      [user.id],
    );
    expect(tokens.map((t) => t.token_hash)).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/)]);
    expect(JSON.stringify(tokens)).not.toContain(user.refreshToken);
  });
});
