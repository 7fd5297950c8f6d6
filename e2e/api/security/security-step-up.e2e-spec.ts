import request from 'supertest';
import type { RunningApp } from '../../support/app';
import type { TestDatabase } from '../../support/database';
import { createUser, stepUp, type TestUser, totpCode, uniqueEmail } from '../../support/factories';
import type { SmtpSink } from '../../support/smtp';
import { useAppSuite } from '../../support/suite';
import { untilStatus } from '../../support/wait';

/** Short, so the expiry test waits seconds; long enough for a few requests after a step-up on a loaded machine. */
const STEP_UP_TTL_SECONDS = 6;

/**
 * Issue 16, scope 1 ("stolen token"): an attacker holding only a victim's
 * access token (a malicious extension, a shared computer), without the
 * password, cannot enable or disable 2FA, replace the backup codes, change the
 * password or the email: each is refused with 401 STEP_UP_REQUIRED and
 * changes nothing. The owner's session steps up with the password (and the
 * current second factor) and then can, for STEP_UP_TTL_SECONDS, from that
 * session only; wrong guesses count on the one confirmation counter.
 */
describe('security: a stolen access token cannot make security changes (step-up)', () => {
  let db: TestDatabase;
  let mail: SmtpSink;
  let app: RunningApp;
  const suite = useAppSuite({ STEP_UP_TTL_SECONDS: String(STEP_UP_TTL_SECONDS) });
  beforeAll(() => ({ db, mail, app } = suite));

  const post = (path: string, auth: Record<string, string>, body?: object) =>
    request(app.url)
      .post(path)
      .set(auth)
      .send(body ?? {});

  function expectStepUpRequired(res: request.Response): void {
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 401, code: 'STEP_UP_REQUIRED' });
    expect(res.body.error.message).toMatch(/confirm it is you/i);
  }

  const mailsTo = (email: string) => mail.messages.filter((m) => m.to.toLowerCase().includes(email.toLowerCase()));
  const userRow = async (id: string) =>
    (
      await db.query<{ email: string; two_factor_secret: string | null; two_factor_enabled_at: Date | null }>(
        'SELECT email, two_factor_secret, two_factor_enabled_at FROM users WHERE id = $1',
        [id],
      )
    )[0];
  const signIn = async (user: TestUser, twoFactorCode?: string) => {
    const res = await request(app.url)
      .post('/api/auth/login')
      .send({ email: user.email, password: user.password, ...(twoFactorCode ? { twoFactorCode } : {}) })
      .expect(200);
    return { auth: { Authorization: `Bearer ${res.body.accessToken as string}` }, refreshToken: res.body.refreshToken as string };
  };
  /** The token of the confirmation link mailed to a new address (its page POSTs it). */
  const emailChangeToken = (text: string) => /confirm-email-change\?token=([A-Za-z0-9_-]+)/.exec(text)?.[1] as string;

  it('refuses every security change to a bare access token with 401 STEP_UP_REQUIRED, and changes nothing', async () => {
    const victim = await createUser(app, mail);
    const victim2fa = await createUser(app, mail, { twoFactor: true });
    const thief = { Authorization: `Bearer ${victim.accessToken}` };
    const thief2fa = { Authorization: `Bearer ${victim2fa.accessToken}` };
    const mailsBefore = mailsTo(victim.email).length;
    const [{ lastAudit }] = await db.query<{ lastAudit: string }>('SELECT max(id)::text AS "lastAudit" FROM audit_logs');
    const attackerAddress = uniqueEmail('attacker');

    // Enrolling the attacker's authenticator: neither step gets through (and no secret is stored).
    expectStepUpRequired(await post('/api/auth/2fa/setup', thief));
    expectStepUpRequired(await post('/api/auth/2fa/verify', thief, { code: '123456' }));
    expectStepUpRequired(await post('/api/auth/change-password', thief, { newPassword: 'Attacker-Pass-99' }));
    expectStepUpRequired(await post('/api/auth/change-email', thief, { newEmail: attackerAddress }));
    expectStepUpRequired(await post('/api/auth/2fa/disable', thief2fa));
    expectStepUpRequired(await post('/api/auth/2fa/backup-codes', thief2fa));
    // Guessing the password is what step-up asks for: a wrong one is refused (and counted, see below).
    const guess = await post('/api/auth/step-up', thief, { password: 'Guessed-Pass-1' });
    expect({ status: guess.status, code: guess.body.error.code }).toEqual({ status: 401, code: 'INVALID_CREDENTIALS' });
    const noPassword = await post('/api/auth/step-up', thief, {});
    expect({ status: noPassword.status, code: noPassword.body.error.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });

    // Nothing changed: no secret, 2FA still on with its 10 codes, both passwords and addresses as they were, no mail sent.
    expect(await userRow(victim.id)).toEqual({ email: victim.email, two_factor_secret: null, two_factor_enabled_at: null });
    await request(app.url).get('/api/auth/2fa/status').set(victim2fa.auth).expect(200, { enabled: true, backupCodesRemaining: 10 });
    expect(await userRow(victim2fa.id)).toEqual({ email: victim2fa.email, two_factor_secret: expect.any(String), two_factor_enabled_at: expect.any(Date) });
    await request(app.url).post('/api/auth/login').send({ email: victim.email, password: victim.password }).expect(200);
    await request(app.url).post('/api/auth/login').send({ email: victim.email, password: 'Attacker-Pass-99' }).expect(401);
    expect(mailsTo(attackerAddress)).toEqual([]);
    expect(mailsTo(victim.email)).toHaveLength(mailsBefore);
    const [{ count }] = await db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM audit_logs WHERE id > $2::bigint AND user_id = ANY($1) AND action IN
         ('auth.2fa_enabled', 'auth.2fa_disabled', 'auth.password_changed', 'auth.email_change_requested', 'auth.2fa_backup_codes_regenerated', 'auth.step_up')`,
      [[victim.id, victim2fa.id], lastAudit],
    );
    expect(count).toBe(0);
  });

  it('lets the owner enrol 2FA after a password-only step-up, then needs the password and a code to step up', async () => {
    const owner = await createUser(app, mail);
    const until = await stepUp(app, owner);
    expect(new Date(until).getTime()).toBeGreaterThan(Date.now() - 1_000);
    const setup = await post('/api/auth/2fa/setup', owner.auth).expect(200);
    const secret = setup.body.secret as string;
    // Enrolment still needs the first code of the new authenticator.
    expect((await post('/api/auth/2fa/verify', owner.auth, { code: totpCode(secret, 5) }).expect(401)).body.error.code).toBe('TWO_FACTOR_INVALID');
    const on = await post('/api/auth/2fa/verify', owner.auth, { code: totpCode(secret) }).expect(200);
    expect(on.body.backupCodes).toHaveLength(10);

    // With 2FA on, a step-up needs a code too: the password alone is refused before anything is checked.
    const other = await signIn(owner, on.body.backupCodes[0]);
    const passwordOnly = await post('/api/auth/step-up', other.auth, { password: owner.password }).expect(401);
    expect(passwordOnly.body.error.code).toBe('TWO_FACTOR_REQUIRED');
    expectStepUpRequired(await post('/api/auth/2fa/backup-codes', other.auth));
    await post('/api/auth/step-up', other.auth, { password: owner.password, code: on.body.backupCodes[1] }).expect(200);
    const renewed = await post('/api/auth/2fa/backup-codes', other.auth).expect(200);
    expect(renewed.body.backupCodes).toHaveLength(10);
    await post('/api/auth/2fa/disable', other.auth).expect(200);
    await request(app.url).get('/api/auth/2fa/status').set(owner.auth).expect(200, { enabled: false, backupCodesRemaining: 0 });

    const audited = await db.query<{ action: string; method: string | null }>(
      `SELECT action, details->>'method' AS method FROM audit_logs WHERE user_id = $1 AND (action LIKE 'auth.2fa%' OR action = 'auth.step_up') ORDER BY id`,
      [owner.id],
    );
    expect(audited).toEqual([
      { action: 'auth.step_up', method: 'password' },
      { action: 'auth.2fa_enabled', method: null },
      { action: 'auth.2fa_backup_code_used', method: null },
      { action: 'auth.2fa_backup_code_used', method: null },
      { action: 'auth.step_up', method: 'password+second_factor' },
      { action: 'auth.2fa_backup_codes_regenerated', method: null },
      { action: 'auth.2fa_disabled', method: null },
    ]);
  });

  it("counts only the caller's own session: another session's step-up does not count, a refresh keeps it, logout ends it", async () => {
    const owner = await createUser(app, mail);
    const thief = await signIn(owner); // a second session of the same account (the stolen one)
    await stepUp(app, owner);
    expectStepUpRequired(await post('/api/auth/2fa/setup', thief.auth));
    await post('/api/auth/2fa/setup', owner.auth).expect(200);

    // A refreshed access token of the stepped-up session keeps the step-up …
    const refreshed = await request(app.url).post('/api/auth/refresh').send({ refreshToken: owner.refreshToken }).expect(200);
    const fresh = { Authorization: `Bearer ${refreshed.body.accessToken as string}` };
    await post('/api/auth/2fa/setup', fresh).expect(200);
    // … a new sign-in does not have it …
    const again = await signIn(owner);
    expectStepUpRequired(await post('/api/auth/2fa/setup', again.auth));
    // … and logging out ends it with the session.
    await post('/api/auth/logout', fresh).expect(200);
    const [row] = await db.query<{ stepped_up_until: Date | null; revoked_at: Date | null }>(
      'SELECT s.stepped_up_until, s.revoked_at FROM sessions s WHERE s.user_id = $1 AND s.revoked_reason = $2',
      [owner.id, 'logout'],
    );
    expect(row).toEqual({ stepped_up_until: null, revoked_at: expect.any(Date) });
    expect((await post('/api/auth/2fa/setup', fresh)).status).toBe(401);
  });

  it('expires a step-up after STEP_UP_TTL_SECONDS', async () => {
    const owner = await createUser(app, mail);
    const until = new Date(await stepUp(app, owner));
    await post('/api/auth/2fa/setup', owner.auth).expect(200);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, until.getTime() - Date.now()) + 1_000));
    expectStepUpRequired(await post('/api/auth/2fa/setup', owner.auth));
    expectStepUpRequired(await post('/api/auth/change-password', owner.auth, { newPassword: 'Later-Pass-99x' }));
  });

  it('locks the session out of step-ups after 5 wrong passwords; then even the right one is refused and nothing opens', async () => {
    const owner = await createUser(app, mail);
    for (let i = 0; i < 4; i++) {
      const res = await post('/api/auth/step-up', owner.auth, { password: `Wrong-Pass-${i}` }).expect(401);
      expect(res.body.error.code).toBe('INVALID_CREDENTIALS');
    }
    const fifth = await post('/api/auth/step-up', owner.auth, { password: 'Wrong-Pass-5' }).expect(429);
    expect(fifth.body.error.code).toBe('ACCOUNT_LOCKED');
    expect(Number(fifth.headers['retry-after'])).toBeGreaterThan(0);
    const right = await post('/api/auth/step-up', owner.auth, { password: owner.password }).expect(429);
    expect(right.body.error.code).toBe('ACCOUNT_LOCKED');
    expectStepUpRequired(await post('/api/auth/change-password', owner.auth, { newPassword: 'Locked-Out-Pass-9' }));
    const failures = await db.query<{ for: string }>(
      `SELECT details->>'for' AS for FROM audit_logs WHERE user_id = $1 AND action = 'auth.confirmation_failed' ORDER BY id`,
      [owner.id],
    );
    expect(failures).toEqual(Array.from({ length: 5 }, () => ({ for: 'auth.step_up' })));
    await mail.waitFor(owner.email, (m) => /too many wrong codes or passwords/i.test(m.subject));
  });

  it('refuses a step-up to a revoked session and to a suspended account', async () => {
    const owner = await createUser(app, mail);
    const stolen = await signIn(owner);
    const sessions = await request(app.url).get('/api/auth/sessions').set(owner.auth).expect(200);
    const stolenId = (sessions.body.sessions as { id: string; current: boolean }[]).find((s) => !s.current)!.id;
    await request(app.url).delete(`/api/auth/sessions/${stolenId}`).set(owner.auth).expect(200);
    const revoked = await post('/api/auth/step-up', stolen.auth, { password: owner.password }).expect(401);
    expect(revoked.body.error.code).toBe('TOKEN_REVOKED');

    await stepUp(app, owner);
    await db.query('UPDATE users SET suspended_at = now() WHERE id = $1', [owner.id]);
    const suspended = await untilStatus(() => post('/api/auth/step-up', owner.auth, { password: owner.password }), 403, 'the suspension');
    expect(suspended.body.error.code).toBe('ACCOUNT_SUSPENDED');
    expect((await post('/api/auth/change-password', owner.auth, { newPassword: 'Suspended-Pass-9' }).expect(403)).body.error.code).toBe('ACCOUNT_SUSPENDED');
  });

  describe('email change', () => {
    it('mails a single-use link to the new address and a notice to the old one; only the POST of the link changes it, signing out other sessions', async () => {
      const owner = await createUser(app, mail);
      const other = await signIn(owner);
      const newEmail = uniqueEmail('moved');
      await stepUp(app, owner);
      const asked = await post('/api/auth/change-email', owner.auth, { newEmail: `  ${newEmail.toUpperCase()} ` }).expect(200);
      expect(asked.body.message).toContain(newEmail);

      // The security notice to the current address: what was asked, and its single-use "This wasn't me" link.
      const notice = await mail.waitFor(owner.email, (m) => /email change requested/i.test(m.subject));
      expect(notice.text).toContain(newEmail);
      expect(notice.text).toMatch(/if this wasn't you/i);
      expect(notice.text).toMatch(/\/security\/freeze\?token=/);
      const link = await mail.waitFor(newEmail, (m) => /confirm your new/i.test(m.subject));
      const token = emailChangeToken(link.text);
      expect(token).toBeDefined();
      expect(notice.text).not.toContain(token);
      // Nothing changed yet (opening the link is a GET of a page; the API acts only on the POST).
      expect((await userRow(owner.id)).email).toBe(owner.email);
      await request(app.url).get('/api/auth/me').set(other.auth).expect(200);

      const done = await request(app.url).post('/api/auth/confirm-email-change').send({ token }).expect(200);
      expect(done.body.message).toContain(newEmail);
      expect((await userRow(owner.id)).email).toBe(newEmail);
      await request(app.url)
        .get('/api/auth/me')
        .set(owner.auth)
        .expect(200)
        .expect((r) => expect(r.body.user.email).toBe(newEmail));
      expect((await request(app.url).get('/api/auth/me').set(other.auth).expect(401)).body.error.code).toBe('TOKEN_REVOKED');
      await request(app.url).post('/api/auth/login').send({ email: owner.email, password: owner.password }).expect(401);
      await request(app.url).post('/api/auth/login').send({ email: newEmail, password: owner.password }).expect(200);
      // Both addresses are told, and withdrawals are held for a while (an email change is a security change).
      for (const to of [owner.email, newEmail]) await mail.waitFor(to, (m) => /email address was changed/i.test(m.subject));
      const me = await request(app.url).get('/api/auth/me').set(owner.auth).expect(200);
      expect(me.body.user.securityHold).toMatchObject({ reason: 'email_changed', until: expect.any(String) });

      const twice = await request(app.url).post('/api/auth/confirm-email-change').send({ token }).expect(400);
      expect(twice.body.error.code).toBe('VALIDATION_FAILED');
      const audited = await db.query<{ action: string }>(`SELECT action FROM audit_logs WHERE user_id = $1 AND action LIKE 'auth.email_change%' ORDER BY id`, [
        owner.id,
      ]);
      expect(audited.map((a) => a.action)).toEqual(['auth.email_change_requested', 'auth.email_changed']);
    });

    it('answers the same for an address that has an account, tells that address’s owner instead, and changes nothing', async () => {
      const owner = await createUser(app, mail);
      const neighbour = await createUser(app, mail);
      const fresh = uniqueEmail('free');
      await stepUp(app, owner);
      const taken = await post('/api/auth/change-email', owner.auth, { newEmail: neighbour.email }).expect(200);
      const free = await post('/api/auth/change-email', owner.auth, { newEmail: fresh }).expect(200);
      expect(taken.body.message.replace(neighbour.email, '<address>')).toBe(free.body.message.replace(fresh, '<address>'));

      const told = await mail.waitFor(neighbour.email, (m) => /tried to use your email address/i.test(m.subject));
      expect(told.text).not.toContain(owner.email);
      expect(emailChangeToken(told.text)).toBeUndefined();
      await mail.waitFor(fresh, (m) => /confirm your new/i.test(m.subject));
      expect((await userRow(owner.id)).email).toBe(owner.email);
      expect((await userRow(neighbour.id)).email).toBe(neighbour.email);
      const same = await post('/api/auth/change-email', owner.auth, { newEmail: owner.email }).expect(400);
      expect(same.body.error.details).toEqual([{ field: 'newEmail', message: 'That is already your sign-in address' }]);
    });

    it('cancels a pending change when the owner resets the password by email', async () => {
      const owner = await createUser(app, mail);
      const attackerAddress = uniqueEmail('attacker');
      await stepUp(app, owner); // (as if the thief had the password: the owner's notice is the alarm)
      await post('/api/auth/change-email', owner.auth, { newEmail: attackerAddress }).expect(200);
      const token = emailChangeToken((await mail.waitFor(attackerAddress, (m) => /confirm your new/i.test(m.subject))).text);

      await request(app.url).post('/api/auth/forgot-password').send({ email: owner.email }).expect(200);
      const reset = await mail.waitFor(owner.email, (m) => /reset your cryptovault password/i.test(m.subject));
      const resetToken = /Reset token: (\S+)/.exec(reset.text)![1];
      await request(app.url).post('/api/auth/reset-password').send({ token: resetToken, newPassword: 'Owner-Again-Pass-7' }).expect(200);

      await request(app.url).post('/api/auth/confirm-email-change').send({ token }).expect(400);
      expect((await userRow(owner.id)).email).toBe(owner.email);
    });
  });
});
