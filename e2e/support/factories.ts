import { randomBytes } from 'node:crypto';
import { generateSync } from 'otplib';
import request from 'supertest';
import type { RunningApp } from './app';
import type { SmtpSink } from './smtp';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  /** With `twoFactor`: the TOTP secret and the 10 backup codes. */
  totpSecret?: string;
  backupCodes?: string[];
  /** Ready-made header: `request(...).set(user.auth)`. */
  auth: { Authorization: string };
}

export interface CreateUserOptions {
  twoFactor?: boolean;
  admin?: boolean;
  email?: string;
  password?: string;
  name?: string;
}

let counter = 0;

/** The first admin made by `createUser` per app, to promote later admins through the admin API. */
const firstAdmins = new Map<string, { email: string; password: string; backupCodes?: string[] }>();

/** A unique address a test can recognise in the SMTP sink. */
export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}-${randomBytes(3).toString('hex')}@example.com`;
}

/** The 6-digit code of the latest verification mail to `email`. */
export async function verificationCode(mail: SmtpSink, email: string, skip = 0): Promise<string> {
  const message = await mail.waitFor(email, (m) => /verification code/i.test(m.subject), 10_000, skip);
  const match = /\b(\d{6})\b/.exec(message.text);
  if (!match) throw new Error(`no code in the verification mail to ${email}: ${message.text}`);
  return match[1];
}

/** The TOTP code for a secret, `offsetSteps` 30-second steps from now. */
export function totpCode(secret: string, offsetSteps = 0): string {
  return generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 });
}

/**
 * The first admin comes from setup-first-admin with the setup token: true when `email` became it, false when an
 * admin already exists (later admins are promoted by that first admin: see `promoteByFirstAdmin`).
 */
async function becomeFirstAdmin(app: RunningApp, email: string, password: string): Promise<boolean> {
  const setup = await request(app.url).post('/api/admin/setup-first-admin').set('X-Setup-Token', app.env.ADMIN_SETUP_TOKEN).send({ email });
  if (setup.status === 200) {
    if (!firstAdmins.has(app.url)) firstAdmins.set(app.url, { email, password });
    return true;
  }
  if (setup.status !== 409 || !firstAdmins.has(app.url)) throw new Error(`could not make ${email} an admin: ${setup.status} ${JSON.stringify(setup.body)}`);
  return false;
}

/**
 * Grants `user` the admin role the way an operator does (POST /api/admin/users/:id/role, API.md): an admin must
 * have two-factor on (turned on here if it is not), `by` steps up and asks; with no other admin to approve, the
 * server's setup token makes it at once, else `approver` (a second admin) steps up and approves. The role is read
 * per request, so `user`'s session is an admin's from then on. Returns `user`.
 */
export async function promoteToAdmin(app: RunningApp, by: TestUser, user: TestUser, approver?: TestUser): Promise<TestUser> {
  if (!user.totpSecret) await enableTwoFactor(app, user);
  await stepUp(app, by, { secondFactor: by.backupCodes?.length ? 'backup' : 'totp' });
  const asked = await request(app.url)
    .post(`/api/admin/users/${user.id}/role`)
    .set(by.auth)
    .set('X-Setup-Token', app.env.ADMIN_SETUP_TOKEN)
    .send({ role: 'admin' });
  if (asked.status === 200) return user;
  expectStatus(asked, 202, `ask to make ${user.email} an admin`);
  if (!approver) throw new Error(`making ${user.email} an admin needs a second admin's approval: pass an approver`);
  await stepUp(app, approver, { secondFactor: approver.backupCodes?.length ? 'backup' : 'totp' });
  const approved = await request(app.url)
    .post(`/api/admin/role-changes/${asked.body.change.id as string}/approve`)
    .set(approver.auth);
  expectStatus(approved, 200, `approve making ${user.email} an admin`);
  return user;
}

/** A later `createUser({ admin: true })`: promoted by the first admin of the app, signed in for it (a backup code when it has 2FA). */
async function promoteByFirstAdmin(app: RunningApp, user: TestUser): Promise<void> {
  const first = firstAdmins.get(app.url)!;
  const twoFactorCode = first.backupCodes?.shift();
  const login = await request(app.url)
    .post('/api/auth/login')
    .send({ email: first.email, password: first.password, ...(twoFactorCode ? { twoFactorCode } : {}) });
  expectStatus(login, 200, `login of the first admin ${first.email}`);
  const by: TestUser = {
    id: login.body.user.id as string,
    email: first.email,
    password: first.password,
    accessToken: login.body.accessToken as string,
    refreshToken: login.body.refreshToken as string,
    auth: { Authorization: `Bearer ${login.body.accessToken as string}` },
    // Its step-up takes a backup code, when it has 2FA.
    ...(first.backupCodes ? { totpSecret: 'unused', backupCodes: first.backupCodes } : {}),
  };
  await promoteToAdmin(app, by, user);
}

function expectStatus(res: request.Response, status: number, what: string): void {
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
}

/** What `stepUp` proves the caller with when 2FA is on: a TOTP code (the default) or one of the user's backup codes (used up). */
export interface StepUpOptions {
  secondFactor?: 'totp' | 'backup';
  /** The session to step up (default: the user's own `auth`), e.g. another sign-in of the same user. */
  auth?: Record<string, string>;
}

/**
 * A step-up of the user's session (POST /api/auth/step-up): the password, plus, when the user has 2FA on, a fresh
 * TOTP code from `user.totpSecret` (a code of a later step, so it is never one already used) or a backup code.
 * Then the `@RequiresStepUp()` routes work from that session for STEP_UP_TTL_SECONDS. Returns `stepUpUntil`.
 */
export async function stepUp(app: RunningApp, user: TestUser, opts: StepUpOptions = {}): Promise<string> {
  let code: string | undefined;
  if (user.totpSecret) {
    if (opts.secondFactor === 'backup') {
      code = user.backupCodes?.pop();
      if (!code) throw new Error(`stepUp: ${user.email} has no backup code left`);
    } else {
      code = nextTotpCode(user);
    }
  }
  const res = await request(app.url)
    .post('/api/auth/step-up')
    .set(opts.auth ?? user.auth)
    .send({ password: user.password, ...(code ? { code } : {}) });
  expectStatus(res, 200, `step-up of ${user.email}`);
  return res.body.stepUpUntil as string;
}

/**
 * Each TOTP step is accepted once per account, and never one before the last accepted: hand out the code of the step
 * after the last one this helper (or the enrolment in `createUser`) used, as long as it is still valid (now or the next step).
 */
const lastTotpStep = new Map<string, number>();
function nextTotpCode(user: TestUser): string {
  const now = Math.floor(Date.now() / 30_000);
  const step = Math.max(now, (lastTotpStep.get(user.id) ?? now - 1) + 1);
  if (step > now + 1) throw new Error(`stepUp: no unused TOTP step left for ${user.email} right now; use { secondFactor: 'backup' }`);
  lastTotpStep.set(user.id, step);
  return generateSync({ secret: user.totpSecret as string, epoch: step * 30 });
}

/**
 * A signed-in user made through the real HTTP API: signup, the code from the
 * SMTP mail, verify, login; optionally 2FA turned on (the secret and backup
 * codes are returned) and/or made an admin: the first with the setup token,
 * later ones promoted by that first admin with the setup token. Admins always get 2FA (the back office needs it).
 * For a first admin with 2FA, backup codes 6–10 are kept for those promotions.
 */
export async function createUser(app: RunningApp, mail: SmtpSink, opts: CreateUserOptions = {}): Promise<TestUser> {
  const email = opts.email ?? uniqueEmail(opts.admin ? 'admin' : 'user');
  const password = opts.password ?? `Pw-${randomBytes(6).toString('hex')}-9x`;
  const signup = await request(app.url)
    .post('/api/auth/signup')
    .send({ email, password, name: opts.name ?? 'Test User' });
  expectStatus(signup, 201, `signup ${email}`);
  const code = await verificationCode(mail, email);
  expectStatus(await request(app.url).post('/api/auth/verify-email').send({ email, code }), 200, `verify ${email}`);

  const firstAdmin = opts.admin ? await becomeFirstAdmin(app, email, password) : false;

  const login = await request(app.url).post('/api/auth/login').send({ email, password });
  expectStatus(login, 200, `login ${email}`);
  const user: TestUser = {
    id: login.body.user.id,
    email,
    password,
    accessToken: login.body.accessToken,
    refreshToken: login.body.refreshToken,
    auth: { Authorization: `Bearer ${login.body.accessToken}` },
  };

  // Admins have two-factor on: a later admin needs it to be granted the role, and every admin to use the back office.
  if (opts.twoFactor || opts.admin) await enableTwoFactor(app, user);
  if (opts.admin && !firstAdmin) await promoteByFirstAdmin(app, user);
  return user;
}

/**
 * Turns 2FA on for a signed-in user: sets `totpSecret` and `backupCodes` on it. Enabling 2FA is a security change: a
 * step-up (the password alone while 2FA is off) comes first. It is done in a session of its own, so the session
 * handed to the test is not stepped up (as after any sign-in). A 2FA first admin keeps backup codes 6–10 for
 * promoting later admins.
 */
export async function enableTwoFactor(app: RunningApp, user: TestUser): Promise<TestUser> {
  const { email, password } = user;
  const enrolment = await request(app.url).post('/api/auth/login').send({ email, password });
  expectStatus(enrolment, 200, `login ${email} for the 2FA enrolment`);
  const enrolmentAuth = { Authorization: `Bearer ${enrolment.body.accessToken as string}` };
  await stepUp(app, user, { auth: enrolmentAuth });
  const setup = await request(app.url).post('/api/auth/2fa/setup').set(enrolmentAuth);
  expectStatus(setup, 200, '2fa setup');
  user.totpSecret = setup.body.secret as string;
  const enrolmentStep = Math.floor(Date.now() / 30_000);
  const verify = await request(app.url)
    .post('/api/auth/2fa/verify')
    .set(enrolmentAuth)
    .send({ code: generateSync({ secret: user.totpSecret, epoch: enrolmentStep * 30 }) });
  expectStatus(verify, 200, '2fa verify');
  user.backupCodes = verify.body.backupCodes as string[];
  lastTotpStep.set(user.id, enrolmentStep);
  expectStatus(await request(app.url).post('/api/auth/logout').set(enrolmentAuth), 200, 'logout of the 2FA enrolment session');
  const first = firstAdmins.get(app.url);
  // Keep a few backup codes of a 2FA first admin so it can still sign in to promote others.
  if (first?.email === email) first.backupCodes = user.backupCodes.slice(5);
  return user;
}
