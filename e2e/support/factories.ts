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
 * The first admin comes from setup-first-admin with the setup token; later
 * ones are promoted by that admin with `PATCH /api/admin/users/:id {role}`
 * (API.md), so a suite can have the two admins that dual approval needs.
 */
async function makeAdmin(app: RunningApp, email: string, password: string, id: string): Promise<void> {
  const setup = await request(app.url).post('/api/admin/setup-first-admin').set('X-Setup-Token', app.env.ADMIN_SETUP_TOKEN).send({ email });
  if (setup.status === 200) {
    if (!firstAdmins.has(app.url)) firstAdmins.set(app.url, { email, password });
    return;
  }
  const first = firstAdmins.get(app.url);
  if (setup.status !== 409 || !first) throw new Error(`could not make ${email} an admin: ${setup.status} ${JSON.stringify(setup.body)}`);
  const twoFactorCode = first.backupCodes?.shift();
  const login = await request(app.url)
    .post('/api/auth/login')
    .send({ email: first.email, password: first.password, ...(twoFactorCode ? { twoFactorCode } : {}) });
  expectStatus(login, 200, `login of the first admin ${first.email}`);
  const promote = await request(app.url).patch(`/api/admin/users/${id}`).set('Authorization', `Bearer ${login.body.accessToken}`).send({ role: 'admin' });
  expectStatus(promote, 200, `promote ${email} to admin`);
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
 * later ones promoted by that first admin (which needs the admin users API).
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

  if (opts.admin) await makeAdmin(app, email, password, signup.body.user.id as string);

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

  if (opts.twoFactor) await enableTwoFactor(app, user);
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
