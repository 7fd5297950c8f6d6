import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { RunningApp } from '../../support/app';
import type { TestDatabase } from '../../support/database';
import { createUser, stepUp, type TestUser, totpCode } from '../../support/factories';
import { saveConfirmedAddress } from '../../support/withdrawer';
import { fund, waitForPrices } from '../../support/money';
import type { ReceivedMail, SmtpSink } from '../../support/smtp';
import { useAppSuite } from '../../support/suite';
import { waitFor } from '../../support/wait';
import { openUserSocket } from '../../support/ws-client';

const BTC_ADDRESS = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';
const CHROME_ANDROID = 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';
/** The security hold of this suite, in hours (SECURITY_HOLD_HOURS): 0.001 h = 3.6 s, so the test waits seconds, not a day. */
const HOLD_HOURS = process.env.E2E_SECURITY_HOLD_HOURS ?? '0.001';
const FREEZE_LINK = /\/security\/freeze\?token=([A-Za-z0-9_-]+)/;

/**
 * Issue 16 items 2, 3 and 6: security notices (email with a single-use
 * "This wasn't me" link, in-app, /ws/user), the freeze that link asks for,
 * the security hold on withdrawals after a reset or a 2FA change, and the
 * account activity list.
 */
describe('security: notices, "This wasn\'t me" freeze and the security hold', () => {
  let db: TestDatabase;
  let mail: SmtpSink;
  let app: RunningApp;
  let admin: TestUser;
  // Sign-ins come from several networks through a trusted local proxy (X-Forwarded-For).
  const suite = useAppSuite({ SIMULATED_VOLATILITY: '0', SECURITY_HOLD_HOURS: HOLD_HOURS, TRUST_PROXY: 'loopback' });
  beforeAll(async () => {
    ({ db, mail, app } = suite);
    admin = await createUser(app, mail, { admin: true });
    await waitForPrices(app);
  });

  function signIn(user: { email: string; password: string }, from: { ua: string; ip: string }, twoFactorCode?: string): request.Test {
    return request(app.url)
      .post('/api/auth/login')
      .set('User-Agent', from.ua)
      .set('X-Forwarded-For', from.ip)
      .send({ email: user.email, password: user.password, ...(twoFactorCode ? { twoFactorCode } : {}) });
  }
  const bearer = (res: request.Response) => ({ Authorization: `Bearer ${res.body.accessToken as string}` });
  const mailsTo = (email: string, subject: RegExp): ReceivedMail[] =>
    mail.messages.filter((m) => m.to.toLowerCase().includes(email.toLowerCase()) && subject.test(m.subject));
  const linkToken = (m: ReceivedMail): string => {
    const match = FREEZE_LINK.exec(m.text);
    if (!match) throw new Error(`no "This wasn't me" link in: ${m.text}`);
    return match[1];
  };
  const withdraw = (auth: Record<string, string>, twoFactorCode: string, addressId: string = randomUUID()) =>
    request(app.url).post('/api/wallet/withdraw').set(auth).send({ asset: 'BTC', amount: '0.001', addressId, twoFactorCode });
  const activity = async (
    auth: Record<string, string>,
  ): Promise<{ kind: string; device: string | null; network: string | null; newDevice: boolean | null }[]> =>
    (await request(app.url).get('/api/auth/activity').set(auth).expect(200)).body.items;

  it('tells the owner of a sign-in from a new device or network by email, in-app and on /ws/user, and not of a repeat from the same device and network', async () => {
    const user = await createUser(app, mail);
    const socket = await openUserSocket(app.url, user.accessToken);
    try {
      const firstNew = await signIn(user, { ua: FIREFOX_WINDOWS, ip: '203.0.113.7' }).expect(200);
      const notice = await mail.waitFor(user.email, (m) => /new sign-in/i.test(m.subject));
      expect(notice.text).toContain('Firefox on Windows');
      expect(notice.text).toContain('network 203.0.113.0/24');
      // When, as a person writes it ("Dec 3, 2026, 10:05 UTC"), never an ISO timestamp.
      expect(notice.text).toMatch(/ When: [A-Z][a-z]{2} \d{1,2}, \d{4}, \d\d:\d\d UTC\. /);
      expect(notice.text).not.toMatch(/\d{4}-\d\d-\d\d[T ]\d\d:\d\d/);
      expect(linkToken(notice)).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      expect(notice.text).not.toContain(user.password);
      expect(notice.text).not.toContain(firstNew.body.refreshToken as string);

      const pushed = await socket.next((m) => m.type === 'notification' && /new sign-in/i.test(String((m.notification as { title?: string })?.title)), 10_000);
      expect(pushed.data).toMatchObject({ kind: 'security_event', event: 'signed_in' });
      const inApp = await request(app.url).get('/api/notifications').set(user.auth).expect(200);
      const stored = (inApp.body.items as { title: string; body: string }[]).find((n) => /new sign-in/i.test(n.title));
      expect(stored?.body).toContain('Firefox on Windows');
      // The in-app notice never carries the link: a thief holding a token must not get it.
      expect(stored?.body).not.toMatch(FREEZE_LINK);

      // The same device on the same /24 is not new; the same device on another network is.
      await signIn(user, { ua: FIREFOX_WINDOWS, ip: '203.0.113.99' }).expect(200);
      await signIn(user, { ua: FIREFOX_WINDOWS, ip: '198.51.100.20' }).expect(200);
      const second = await mail.waitFor(user.email, (m) => /new sign-in/i.test(m.subject), 10_000, 1);
      expect(second.text).toContain('network 198.51.100.0/24');
      expect(mailsTo(user.email, /new sign-in/i)).toHaveLength(2);

      const signIns = (await activity(user.auth)).filter((e) => e.kind === 'signed_in');
      expect(signIns.map((e) => [e.device, e.network, e.newDevice])).toEqual([
        ['Firefox on Windows', '198.51.100.0/24', true],
        ['Firefox on Windows', '203.0.113.0/24', false],
        ['Firefox on Windows', '203.0.113.0/24', true],
        // The account's first sign-in (createUser's, right after signup) is not a notice.
        [expect.any(String), expect.any(String), false],
      ]);
    } finally {
      socket.close();
    }
  });

  it('never repeats an unrecognised User-Agent (text chosen by whoever signs in) in a notice', async () => {
    const user = await createUser(app, mail);
    await signIn(user, { ua: 'Call +1 555 0100 now to secure your account', ip: '192.0.2.44' }).expect(200);
    const notice = await mail.waitFor(user.email, (m) => /new sign-in/i.test(m.subject));
    expect(notice.text).toContain('From: an unrecognised browser or app, network 192.0.2.0/24.');
    expect(notice.text).not.toContain('555 0100');
  });

  it('pages the activity with a cursor, and needs a signed-in caller', async () => {
    const user = await createUser(app, mail);
    for (const ip of ['192.0.2.1', '192.0.2.2']) await signIn(user, { ua: CHROME_ANDROID, ip }).expect(200);
    const first = await request(app.url).get('/api/auth/activity').query({ limit: 2 }).set(user.auth).expect(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const rest = await request(app.url).get('/api/auth/activity').query({ limit: 2, cursor: first.body.nextCursor }).set(user.auth).expect(200);
    expect(rest.body.items).toHaveLength(1);
    expect(rest.body.nextCursor).toBeNull();
    expect((await request(app.url).get('/api/auth/activity').query({ cursor: 'nope' }).set(user.auth).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    await request(app.url).get('/api/auth/activity').expect(401);
  });

  it('emails a notice with a "This wasn\'t me" link for a lockout, a password change, 2FA on and off and new backup codes, without any code or password', async () => {
    const user = await createUser(app, mail);
    const newPassword = 'Changed-Pass-42x';
    // Each change is made as its owner makes it: a step-up of the session first (issue 16), then the change.
    await stepUp(app, user);
    await request(app.url).post('/api/auth/change-password').set(user.auth).send({ newPassword }).expect(200);
    user.password = newPassword;
    await mail.waitFor(user.email, (m) => /password was changed/i.test(m.subject));

    await stepUp(app, user);
    const setup = await request(app.url).post('/api/auth/2fa/setup').set(user.auth).expect(200);
    const secret = setup.body.secret as string;
    const enabled = await request(app.url)
      .post('/api/auth/2fa/verify')
      .set(user.auth)
      .send({ code: totpCode(secret) })
      .expect(200);
    const codes = enabled.body.backupCodes as string[];
    Object.assign(user, { totpSecret: secret, backupCodes: [...codes] });
    await mail.waitFor(user.email, (m) => /two-factor authentication turned on/i.test(m.subject));
    await stepUp(app, user, { secondFactor: 'backup' });
    const renewed = await request(app.url).post('/api/auth/2fa/backup-codes').set(user.auth).expect(200);
    user.backupCodes = [...(renewed.body.backupCodes as string[])];
    await mail.waitFor(user.email, (m) => /new backup codes/i.test(m.subject));
    await stepUp(app, user, { secondFactor: 'backup' });
    await request(app.url).post('/api/auth/2fa/disable').set(user.auth).expect(200);
    await mail.waitFor(user.email, (m) => /two-factor authentication turned off/i.test(m.subject));

    for (let i = 0; i < 5; i++) await request(app.url).post('/api/auth/login').send({ email: user.email, password: 'Wrong-Pass-000' }).expect(401);
    const locked = await mail.waitFor(user.email, (m) => /sign-in locked/i.test(m.subject));
    expect(locked.text).toMatch(/so sign-in is locked for a while\. It works again from [A-Z][a-z]{2} \d{1,2}, \d{4}, \d\d:\d\d UTC\. When: /);

    const notices = mailsTo(user.email, /password was changed|two-factor|backup codes|sign-in locked/i);
    expect(notices).toHaveLength(5);
    for (const m of notices) {
      expect(m.text).toMatch(FREEZE_LINK);
      for (const secretText of [secret, newPassword, ...codes, ...(renewed.body.backupCodes as string[])]) expect(m.text).not.toContain(secretText);
    }
    expect(new Set(notices.map(linkToken)).size).toBe(5);
    expect((await activity(user.auth)).map((e) => e.kind)).toEqual(
      expect.arrayContaining(['login_locked', 'two_factor_disabled', 'backup_codes_regenerated', 'two_factor_enabled', 'password_changed', 'signed_in']),
    );
    // Turning 2FA off is a 2FA change: withdrawals are held (the first enrolment was not).
    const me = await request(app.url).get('/api/auth/me').set(user.auth).expect(200);
    expect(me.body.user.securityHold).toMatchObject({ reason: 'two_factor_changed', until: expect.any(String) });
  });

  it('"This wasn\'t me" freezes the account once: sessions end, sign-in is refused, the 2FA added since is removed; a reset restores it with a hold on withdrawals', async () => {
    const owner = await createUser(app, mail);
    await fund(app, admin, owner, 'BTC', '0.01');
    const ownerBefore = await request(app.url).get('/api/auth/me').set(owner.auth).expect(200);
    expect(ownerBefore.body.user.securityHold).toBeNull();

    // A thief with the password signs in from a new device, then enrols their own authenticator (no hold: the account's first).
    const thiefLogin = await signIn(owner, { ua: CHROME_ANDROID, ip: '198.51.100.23' }).expect(200);
    const thief = bearer(thiefLogin);
    const notice = await mail.waitFor(owner.email, (m) => /new sign-in/i.test(m.subject));
    const token = linkToken(notice);
    await stepUp(app, owner, { auth: thief });
    const setup = await request(app.url).post('/api/auth/2fa/setup').set(thief).expect(200);
    await request(app.url)
      .post('/api/auth/2fa/verify')
      .set(thief)
      .send({ code: totpCode(setup.body.secret as string) })
      .expect(200);

    // Opening the link (as a mail scanner does) changes nothing: it is the client's page, which acts only on a POST.
    const link = FREEZE_LINK.exec(notice.text)![0];
    const opened = await request(app.url).get(link);
    expect(opened.status).toBeLessThan(500);
    await request(app.url).get('/api/auth/me').set(thief).expect(200);
    const preview = await request(app.url).post('/api/auth/freeze/preview').send({ token }).expect(200);
    expect(preview.body).toEqual({
      valid: true,
      event: expect.objectContaining({ kind: 'signed_in', device: 'Chrome on Android', network: '198.51.100.0/24', newDevice: true }),
    });
    await request(app.url).get('/api/auth/me').set(owner.auth).expect(200);

    const frozen = await request(app.url).post('/api/auth/freeze').send({ token }).expect(200);
    expect(frozen.body.removed).toEqual(['two_factor']);
    expect(frozen.body.message).toMatch(/frozen/i);

    // Every session is dead, the thief's and the owner's; their refresh tokens too.
    for (const auth of [thief, owner.auth]) await request(app.url).get('/api/auth/me').set(auth).expect(401);
    await withdraw(thief, '000000').expect(401);
    await request(app.url).post('/api/auth/refresh').send({ refreshToken: thiefLogin.body.refreshToken }).expect(401);
    // The link's token never reaches the log (the page's URL is logged without its query; bodies' tokens are redacted).
    expect(app.output()).not.toContain(token);
    // Sign-in is refused with a message that says how to get the account back.
    const refused = await signIn(owner, { ua: FIREFOX_WINDOWS, ip: '203.0.113.7' }).expect(403);
    expect(refused.body.error.code).toBe('ACCOUNT_FROZEN');
    expect(refused.body.error.message).toMatch(/reset.*password by email/i);
    await mail.waitFor(owner.email, (m) => /account is frozen/i.test(m.subject));

    // The link works once.
    expect((await request(app.url).post('/api/auth/freeze').send({ token }).expect(400)).body.error.code).toBe('FREEZE_LINK_INVALID');
    expect((await request(app.url).post('/api/auth/freeze/preview').send({ token }).expect(200)).body).toEqual({ valid: false });
    const [audited] = await db.query<{ removed: Record<string, number>; sessions: number }>(
      `SELECT details->'removed' AS removed, (details->>'sessionsEnded')::int AS sessions FROM audit_logs WHERE user_id = $1 AND action = 'auth.account_frozen'`,
      [owner.id],
    );
    expect(audited).toEqual({ removed: { two_factor: 1 }, sessions: 2 });

    // A password reset by email unfreezes; the thief's authenticator is gone (no code asked), and withdrawals are held.
    await request(app.url).post('/api/auth/forgot-password').send({ email: owner.email }).expect(200);
    const resetMail = await mail.waitFor(owner.email, (m) => /reset your cryptovault password/i.test(m.subject));
    owner.password = 'Recovered-Pass-77x';
    await request(app.url)
      .post('/api/auth/reset-password')
      .send({ token: /Reset token: (\S+)/.exec(resetMail.text)![1], newPassword: owner.password })
      .expect(200);
    const back = await signIn(owner, { ua: FIREFOX_WINDOWS, ip: '203.0.113.7' }).expect(200);
    const auth = bearer(back);
    expect(back.body.user).toMatchObject({ twoFactorEnabled: false, securityHold: { reason: 'account_unfrozen', until: expect.any(String) } });
    await mail.waitFor(owner.email, (m) => /your password was reset/i.test(m.subject));

    // The owner saves an address, enrols their own authenticator (each after a step-up) and tries to withdraw: held,
    // until the (short) hold has passed.
    const addressId = await saveConfirmedAddress(app, mail, { ...owner, auth }, { asset: 'BTC', address: BTC_ADDRESS });
    await stepUp(app, owner, { auth });
    const own = await request(app.url).post('/api/auth/2fa/setup').set(auth).expect(200);
    const secret = own.body.secret as string;
    await request(app.url)
      .post('/api/auth/2fa/verify')
      .set(auth)
      .send({ code: totpCode(secret) })
      .expect(200);
    const held = await withdraw(auth, totpCode(secret, 1), addressId).expect(403);
    expect(held.body.error.code).toBe('SECURITY_HOLD');
    expect(held.body.error.message).toMatch(/on hold until [A-Z][a-z]{2} \d{1,2}, \d{4}, \d\d:\d\d UTC because/);
    await waitFor(
      async () => (await request(app.url).get('/api/auth/me').set(auth).expect(200)).body.user.securityHold === null,
      Number(HOLD_HOURS) * 3_600_000 * 2 + 30_000,
      'the security hold to pass',
    );
    await withdraw(auth, totpCode(secret, 1), addressId).expect(201);
  });
});
