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
    expect(code.body.error.details).toEqual([{ field: 'code', message: 'code must be 6 digits' }]);
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
    app = await startApp(suiteEnv(db.url, { SMTP_URL: mail.url, RATE_LIMIT_SCALE: '1' }));
  });
  afterAll(async () => {
    await app?.stop();
    await mail?.stop();
    await db?.drop();
  });

  it('allows 3 signups a minute from one address, then answers 429 with Retry-After', async () => {
    for (let i = 0; i < 3; i++)
      await request(app.url)
        .post('/api/auth/signup')
        .send({ email: uniqueEmail('rl'), password: 'Rate-Limited-42', name: 'Rate' })
        .expect(201);
    const res = await request(app.url)
      .post('/api/auth/signup')
      .send({ email: uniqueEmail('rl'), password: 'Rate-Limited-42', name: 'Rate' })
      .expect(429);
    expect(res.body.error.code).toBe('RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
  });

  it('allows 5 login attempts a minute, then answers 429 with Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (
          await request(app.url)
            .post('/api/auth/login')
            .send({ email: uniqueEmail('rl'), password: 'Wrong-Pass-1' })
        ).status,
      );
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('allows 2 password-reset mails a minute per address', async () => {
    const email = uniqueEmail('reset');
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await request(app.url).post('/api/auth/forgot-password').send({ email })).status);
    expect(statuses).toEqual([200, 200, 429]);
  });
});
