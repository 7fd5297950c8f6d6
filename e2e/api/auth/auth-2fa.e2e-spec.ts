import request from 'supertest';
import type { RunningApp } from '../../support/app';
import type { TestDatabase } from '../../support/database';
import { createUser, stepUp, totpCode } from '../../support/factories';
import { SmtpSink } from '../../support/smtp';
import { useAppSuite } from '../../support/suite';

describe('auth: TOTP two-factor authentication and backup codes', () => {
  let db: TestDatabase;
  let mail: SmtpSink;
  let app: RunningApp;
  const suite = useAppSuite();
  beforeAll(() => ({ db, mail, app } = suite));

  it('enrols with a secret, an otpauth URL and a QR code, and refuses a second setup while on', async () => {
    const user = await createUser(app, mail);
    await stepUp(app, user);
    const setup = await request(app.url).post('/api/auth/2fa/setup').set(user.auth).expect(200);
    expect(setup.body).toEqual({
      secret: expect.stringMatching(/^[A-Z2-7]{16,}$/),
      otpauthUrl: expect.stringMatching(/^otpauth:\/\/totp\/CryptoVault:.+secret=/),
      qrCodeDataUrl: expect.stringMatching(/^data:image\/png;base64,/),
    });
    await request(app.url).get('/api/auth/2fa/status').set(user.auth).expect(200, { enabled: false, backupCodesRemaining: 0 });
    const wrong = await request(app.url)
      .post('/api/auth/2fa/verify')
      .set(user.auth)
      .send({ code: totpCode(setup.body.secret, 5) })
      .expect(401);
    expect(wrong.body.error.code).toBe('TWO_FACTOR_INVALID');
    const on = await request(app.url)
      .post('/api/auth/2fa/verify')
      .set(user.auth)
      .send({ code: totpCode(setup.body.secret) })
      .expect(200);
    expect(on.body.backupCodes).toHaveLength(10);
    expect(new Set(on.body.backupCodes).size).toBe(10);
    const again = await request(app.url).post('/api/auth/2fa/setup').set(user.auth).expect(409);
    expect(again.body.error.code).toBe('INVALID_STATE');
    const [row] = await db.query<{ codes: string[] }>('SELECT array_agg(code_hash) AS codes FROM backup_codes WHERE user_id = $1', [user.id]);
    for (const code of on.body.backupCodes as string[]) expect(JSON.stringify(row.codes)).not.toContain(code.replace(/-/g, ''));
  });

  it('requires a valid TOTP code at login and never accepts the same code twice', async () => {
    const user = await createUser(app, mail, { twoFactor: true });
    const secret = user.totpSecret as string;
    const missing = await request(app.url).post('/api/auth/login').send({ email: user.email, password: user.password }).expect(401);
    expect(missing.body.error.code).toBe('TWO_FACTOR_REQUIRED');
    const next = totpCode(secret, 1);
    const wrong = await request(app.url)
      .post('/api/auth/login')
      .send({ email: user.email, password: user.password, twoFactorCode: next === '123456' ? '654321' : '123456' })
      .expect(401);
    expect(wrong.body.error.code).toBe('TWO_FACTOR_INVALID');
    await request(app.url).post('/api/auth/login').send({ email: user.email, password: user.password, twoFactorCode: next }).expect(200);
    const replay = await request(app.url).post('/api/auth/login').send({ email: user.email, password: user.password, twoFactorCode: next }).expect(401);
    expect(replay.body.error.code).toBe('TWO_FACTOR_INVALID');
    // The code of the step already used (the enrolment's) is older than the last accepted one: refused too.
    const older = await request(app.url)
      .post('/api/auth/login')
      .send({ email: user.email, password: user.password, twoFactorCode: totpCode(secret) })
      .expect(401);
    expect(older.body.error.code).toBe('TWO_FACTOR_INVALID');
  });

  it('accepts each backup code once, replaces them on demand, and turns 2FA off after a step-up', async () => {
    const user = await createUser(app, mail, { twoFactor: true });
    const [first, second] = user.backupCodes as string[];
    await request(app.url).post('/api/auth/login').send({ email: user.email, password: user.password, twoFactorCode: first.toUpperCase() }).expect(200);
    const reused = await request(app.url).post('/api/auth/login').send({ email: user.email, password: user.password, twoFactorCode: first }).expect(401);
    expect(reused.body.error.code).toBe('TWO_FACTOR_INVALID');
    await request(app.url).get('/api/auth/2fa/status').set(user.auth).expect(200, { enabled: true, backupCodesRemaining: 9 });
    const [audit] = await db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM audit_logs WHERE user_id = $1 AND action = 'auth.2fa_backup_code_used'`,
      [user.id],
    );
    expect(audit.count).toBe(1);

    // Replacing the backup codes and turning 2FA off are security changes: a step-up of this session first.
    await stepUp(app, user);
    const renewed = await request(app.url).post('/api/auth/2fa/backup-codes').set(user.auth).expect(200);
    expect(renewed.body.backupCodes).toHaveLength(10);
    await request(app.url).post('/api/auth/login').send({ email: user.email, password: user.password, twoFactorCode: second }).expect(401);

    await request(app.url).post('/api/auth/2fa/disable').set(user.auth).expect(200);
    await request(app.url).get('/api/auth/2fa/status').set(user.auth).expect(200, { enabled: false, backupCodesRemaining: 0 });
    await request(app.url).post('/api/auth/login').send({ email: user.email, password: user.password }).expect(200);
    const notOn = await request(app.url).post('/api/auth/2fa/disable').set(user.auth).expect(403);
    expect(notOn.body.error.code).toBe('TWO_FACTOR_NOT_ENABLED');
    const actions = await db.query<{ action: string }>(`SELECT action FROM audit_logs WHERE user_id = $1 AND action LIKE 'auth.2fa%' ORDER BY id`, [user.id]);
    expect(actions.map((a) => a.action)).toEqual(['auth.2fa_enabled', 'auth.2fa_backup_code_used', 'auth.2fa_backup_codes_regenerated', 'auth.2fa_disabled']);
  });

  it('never returns the TOTP secret after setup', async () => {
    const user = await createUser(app, mail, { twoFactor: true });
    const bodies = await Promise.all([
      request(app.url).get('/api/auth/me').set(user.auth),
      request(app.url).get('/api/auth/2fa/status').set(user.auth),
      request(app.url).get('/api/auth/sessions').set(user.auth),
      request(app.url).post('/api/auth/refresh').send({ refreshToken: user.refreshToken }),
    ]);
    for (const res of bodies) {
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toContain(user.totpSecret as string);
    }
  });
});
