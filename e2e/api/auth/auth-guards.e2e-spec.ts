import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { createUser, uniqueEmail, verificationCode } from '../../support/factories';
import { SmtpSink } from '../../support/smtp';
import { useAppSuite } from '../../support/suite';

const AUTH_PATHS: [method: string, path: string, body: boolean][] = [
  ['post', '/api/auth/signup', true],
  ['post', '/api/auth/login', true],
  ['post', '/api/auth/logout', false],
  ['post', '/api/auth/logout-all', false],
  ['post', '/api/auth/refresh', true],
  ['get', '/api/auth/me', false],
  ['put', '/api/auth/profile', true],
  ['post', '/api/auth/change-password', true],
  ['post', '/api/auth/change-email', true],
  ['post', '/api/auth/confirm-email-change', true],
  ['post', '/api/auth/step-up', true],
  ['post', '/api/auth/verify-email', true],
  ['post', '/api/auth/resend-verification', true],
  ['post', '/api/auth/forgot-password', true],
  ['get', '/api/auth/validate-reset-token/{token}', false],
  ['post', '/api/auth/reset-password', true],
  ['post', '/api/auth/2fa/setup', false],
  ['post', '/api/auth/2fa/verify', true],
  ['get', '/api/auth/2fa/status', false],
  ['post', '/api/auth/2fa/disable', false],
  ['post', '/api/auth/2fa/backup-codes', false],
  ['get', '/api/auth/sessions', false],
  ['delete', '/api/auth/sessions/{id}', false],
  ['post', '/api/admin/setup-first-admin', true],
];

describe('auth: CSRF, validation, first-admin setup and the OpenAPI contract', () => {
  let db: TestDatabase;
  let mail: SmtpSink;
  let app: RunningApp;
  const suite = useAppSuite();
  beforeAll(() => ({ db, mail, app } = suite));

  it('promotes only an existing, verified account (before any admin exists)', async () => {
    const email = uniqueEmail('unverified');
    await request(app.url).post('/api/auth/signup').send({ email, password: 'Not-Yet-Verified-1', name: 'Pending' }).expect(201);
    await verificationCode(mail, email);
    const token = app.env.ADMIN_SETUP_TOKEN;
    const unverified = await request(app.url).post('/api/admin/setup-first-admin').set('X-Setup-Token', token).send({ email }).expect(403);
    expect(unverified.body.error.code).toBe('EMAIL_NOT_VERIFIED');
    const unknown = await request(app.url)
      .post('/api/admin/setup-first-admin')
      .set('X-Setup-Token', token)
      .send({ email: uniqueEmail('nobody') })
      .expect(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    const [{ count }] = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM users WHERE role = 'admin'`);
    expect(count).toBe(0);
  });

  it('makes exactly one first admin when two calls race, and answers 409 ALREADY_EXISTS afterwards', async () => {
    const [a, b] = await Promise.all([createUser(app, mail), createUser(app, mail)]);
    const token = app.env.ADMIN_SETUP_TOKEN;
    const results = await Promise.all([
      request(app.url).post('/api/admin/setup-first-admin').set('X-Setup-Token', token).send({ email: a.email }),
      request(app.url).post('/api/admin/setup-first-admin').set('X-Setup-Token', token).send({ email: b.email }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.status === 200) as request.Response;
    expect(winner.body.user.role).toBe('admin');
    expect(results.find((r) => r.status === 409)?.body.error.code).toBe('ALREADY_EXISTS');
    const [{ count }] = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM users WHERE role = 'admin'`);
    expect(count).toBe(1);
    const later = await request(app.url).post('/api/admin/setup-first-admin').set('X-Setup-Token', token).send({ email: a.email }).expect(409);
    expect(later.body.error.code).toBe('ALREADY_EXISTS');
    const [audit] = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM audit_logs WHERE action = 'admin.setup_first_admin'`);
    expect(audit.count).toBe(1);
  });

  it('refuses first-admin setup without the setup token or with a wrong one', async () => {
    const user = await createUser(app, mail);
    const none = await request(app.url).post('/api/admin/setup-first-admin').send({ email: user.email }).expect(403);
    expect(none.body.error.code).toBe('FORBIDDEN');
    const wrong = await request(app.url)
      .post('/api/admin/setup-first-admin')
      .set('X-Setup-Token', `${app.env.ADMIN_SETUP_TOKEN}x`)
      .send({ email: user.email })
      .expect(403);
    expect(wrong.body.error.code).toBe('FORBIDDEN');
    await request(app.url)
      .get('/api/auth/me')
      .set(user.auth)
      .expect(200)
      .expect((r) => expect(r.body.user.role).toBe('user'));
  });

  it('requires the CSRF header for a cookie-authenticated POST and accepts it when echoed', async () => {
    const user = await createUser(app, mail);
    const cookie = `access_token=${user.accessToken}`;
    const missing = await request(app.url).put('/api/auth/profile').set('Cookie', cookie).send({ name: 'Cookie Monster' }).expect(403);
    expect(missing.body.error.code).toBe('CSRF_INVALID');
    // The token of this session (the client fetches it holding its cookies).
    const csrf = await request(app.url).get('/api/csrf').set('Cookie', cookie).expect(200);
    const token = csrf.body.csrfToken as string;
    const mismatch = await request(app.url)
      .post('/api/auth/logout')
      .set('Cookie', [cookie, `csrf_token=${token}`])
      .set('X-CSRF-Token', `${token.slice(1)}x`)
      .expect(403);
    expect(mismatch.body.error.code).toBe('CSRF_INVALID');
    await request(app.url)
      .put('/api/auth/profile')
      .set('Cookie', [cookie, `csrf_token=${token}`])
      .set('X-CSRF-Token', token)
      .send({ name: 'Cookie Monster' })
      .expect(200);
    await request(app.url)
      .post('/api/auth/logout')
      .set('Cookie', [cookie, `csrf_token=${token}`])
      .set('X-CSRF-Token', token)
      .expect(200);
  });

  it('answers unknown fields, wrong types and oversized bodies with 400/413 in the error shape', async () => {
    const extra = await request(app.url)
      .post('/api/auth/signup')
      .send({ email: uniqueEmail(), password: 'Good-Pass-123', name: 'Eve', role: 'admin' })
      .expect(400);
    expect(extra.body).toEqual({
      statusCode: 400,
      error: { code: 'VALIDATION_FAILED', message: 'role is not an allowed field', details: [{ field: 'role', message: 'role is not an allowed field' }] },
      requestId: expect.any(String),
    });
    const types = await request(app.url)
      .post('/api/auth/login')
      .send({ email: 42, password: ['x'] })
      .expect(400);
    expect(types.body.error.code).toBe('VALIDATION_FAILED');
    expect((types.body.error.details as { field: string }[]).map((d) => d.field).sort()).toEqual(['email', 'password']);
    const code = await request(app.url).post('/api/auth/verify-email').send({ email: uniqueEmail(), code: '12ab56' }).expect(400);
    expect(code.body.error.details).toEqual([{ field: 'code', message: 'Enter the 6-digit code from the email' }]);
    const big = await request(app.url)
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(1_100_000) }))
      .expect(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const long = await request(app.url)
      .post('/api/auth/login')
      .send({ email: 'a@b.co', password: 'x'.repeat(129) })
      .expect(400);
    expect(long.body.error.details[0].field).toBe('password');
  });

  it('documents every Auth endpoint in /openapi.json with request and response schemas and error answers', async () => {
    const spec = (await request(app.url).get('/openapi.json').expect(200)).body;
    for (const [method, path, hasBody] of AUTH_PATHS) {
      const op = spec.paths[path]?.[method];
      expect({ path, method, documented: Boolean(op) }).toEqual({ path, method, documented: true });
      if (hasBody)
        expect({ path, schema: op.requestBody?.content?.['application/json']?.schema?.$ref }).toEqual({
          path,
          schema: expect.stringMatching(/^#\/components\/schemas\//),
        });
      const ok = op.responses['200'] ?? op.responses['201'];
      expect({ path, schema: ok?.content?.['application/json']?.schema?.$ref }).toEqual({ path, schema: expect.stringMatching(/^#\/components\/schemas\//) });
      const errors = Object.keys(op.responses).filter((s) => Number(s) >= 400);
      expect({ path, errors: errors.length > 0 }).toEqual({ path, errors: true });
      for (const s of errors) expect(op.responses[s].content['application/json'].schema.$ref).toBe('#/components/schemas/ErrorResponseDto');
    }
    expect(spec.paths['/api/auth/me'].get.security).toEqual(expect.arrayContaining([{ bearer: [] }]));
    expect(spec.components.schemas.UserDto.properties.role.$ref ?? spec.components.schemas.UserDto.properties.role.allOf?.[0]?.$ref).toBe(
      '#/components/schemas/UserRole',
    );
    expect(JSON.stringify(spec.components.schemas.UserDto)).not.toMatch(/password|secret/i);
  });
});

describe('auth: rate limits at their real values', () => {
  let db: TestDatabase;
  let mail: SmtpSink;
  let app: RunningApp;

  beforeAll(async () => {
    [db, mail] = await Promise.all([createTestDatabase(), SmtpSink.start()]);
    app = await startApp(suiteEnv(db.url, { SMTP_URL: mail.url, RATE_LIMIT_SCALE: '1', TRUST_PROXY: 'loopback' }));
  });
  afterAll(async () => {
    await app?.stop();
    await mail?.stop();
    await db?.drop();
  });

  /** Requests from one client address of their own (TRUST_PROXY: the suite's X-Forwarded-For is believed). */
  const from = (ip: string) => ({
    post: (path: string, body: object) => request(app.url).post(path).set('X-Forwarded-For', ip).send(body),
  });

  it('counts only accepted signups, 20 an hour per address: invalid ones and taken addresses do not use the budget', async () => {
    const office = from('203.0.113.10');
    const taken = await createUser(app, mail);
    const signup = (email: string) => office.post('/api/auth/signup', { email, password: 'Rate-Limited-42', name: 'Rate' });
    for (let i = 0; i < 5; i++) expect((await signup(`not-an-address-${i}`)).status).toBe(400);
    for (let i = 0; i < 3; i++) expect((await signup(taken.email)).status).toBe(409);
    for (let i = 0; i < 20; i++) expect((await signup(uniqueEmail('rl'))).status).toBe(201);
    const res = await signup(uniqueEmail('rl')).expect(429);
    expect(res.body.error.code).toBe('RATE_LIMITED');
    expect(res.body.error.message).toMatch(/^Too many attempts\. Please try again in \d+ minutes\.$/);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(3_000);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(3_600);
    // Another address has its own budget.
    await from('203.0.113.11')
      .post('/api/auth/signup', { email: uniqueEmail('rl'), password: 'Rate-Limited-42', name: 'Rate' })
      .expect(201);
  });

  it('holds the signup budget under a burst: 30 signups at once from one address make exactly 20 accounts', async () => {
    const burst = from('203.0.113.12');
    const results = await Promise.all(
      Array.from({ length: 30 }, () => burst.post('/api/auth/signup', { email: uniqueEmail('burst'), password: 'Rate-Limited-42', name: 'Burst' })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    // A refused signup made no account, and a taken address gives its slot back: still none left for this address.
    await burst.post('/api/auth/signup', { email: uniqueEmail('burst'), password: 'Rate-Limited-42', name: 'Burst' }).expect(429);
  });

  it("never refuses a right password for others' typos behind the same address; an account's own 5 failures lock only that account", async () => {
    const office = from('203.0.113.20');
    const [ann, bob] = [await createUser(app, mail), await createUser(app, mail)];
    const login = (email: string, password: string) => office.post('/api/auth/login', { email, password });
    // One wrong email-verification code and three typos of Ann's password, from the office's address.
    expect((await office.post('/api/auth/verify-email', { email: ann.email, code: '000000' })).status).toBe(400);
    for (let i = 0; i < 3; i++) expect((await login(ann.email, `Typo-Pass-${i}`)).status).toBe(401);
    expect((await login(bob.email, bob.password)).status).toBe(200);
    expect((await login(ann.email, ann.password)).status).toBe(200);
    // A correct sign-in is never counted: the office signs in all day.
    for (let i = 0; i < 12; i++) expect((await login(bob.email, bob.password)).status).toBe(200);
    // Ann's own five failures in a row lock Ann, even with the right password; Bob, at the same address, is not refused.
    for (let i = 0; i < 5; i++) expect((await login(ann.email, `Typo-Pass-${i}`)).status).toBe(401);
    const locked = await login(ann.email, ann.password).expect(429);
    expect(locked.body.error.code).toBe('ACCOUNT_LOCKED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
    expect((await login(bob.email, bob.password)).status).toBe(200);
  });

  it('refuses an address past 50 failed credentials in 15 minutes, whatever it sends, until the window ends; other addresses are not refused', async () => {
    const sprayer = from('203.0.113.30');
    const carol = await createUser(app, mail);
    // A password spray: one guess each for 50 addresses (each far below its own lockout).
    for (let i = 0; i < 50; i++) expect((await sprayer.post('/api/auth/login', { email: uniqueEmail('spray'), password: 'Summer-2026!' })).status).toBe(401);
    const refused = await sprayer.post('/api/auth/login', { email: carol.email, password: carol.password }).expect(429);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(800);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(900);
    // Every credential route shares the budget: a verification code is refused before it is checked.
    expect((await sprayer.post('/api/auth/verify-email', { email: carol.email, code: '123456' })).status).toBe(429);
    const guessLink = await request(app.url).get('/api/auth/validate-reset-token/guessed-token').set('X-Forwarded-For', '203.0.113.30');
    expect(guessLink.status).toBe(429);
    await from('203.0.113.31').post('/api/auth/login', { email: carol.email, password: carol.password }).expect(200);
  });

  it('allows 2 password-reset mails a minute per address', async () => {
    const email = uniqueEmail('reset');
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await request(app.url).post('/api/auth/forgot-password').send({ email })).status);
    expect(statuses).toEqual([200, 200, 429]);
  });
});
