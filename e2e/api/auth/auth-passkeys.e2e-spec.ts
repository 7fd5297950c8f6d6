import request from 'supertest';
import type { RunningApp } from '../../support/app';
import type { TestDatabase } from '../../support/database';
import { createUser, stepUp as stepUpAs, type TestUser } from '../../support/factories';
import { fund } from '../../support/money';
import { SmtpSink } from '../../support/smtp';
import { SoftAuthenticator } from '../../support/soft-authenticator';
import { useAppSuite } from '../../support/suite';
import { waitFor } from '../../support/wait';
import { createWithdrawer } from '../../support/withdrawer';

/** The security hold of this suite, in hours (SECURITY_HOLD_HOURS): 0.001 h = 3.6 s, so a test waits seconds, not a day. */
const HOLD_HOURS = process.env.E2E_SECURITY_HOLD_HOURS ?? '0.001';
const FREEZE_LINK = /\/security\/freeze\?token=([A-Za-z0-9_-]+)/;
type Json = Record<string, unknown>;

describe('auth: passkeys (WebAuthn) through a software authenticator', () => {
  let db: TestDatabase;
  let mail: SmtpSink;
  let app: RunningApp;
  // BTC frozen at the snapshot; challenges live 30 s here (the default is 5 min); holds of seconds.
  const suite = useAppSuite({ SIMULATED_VOLATILITY: '0', PASSKEY_CHALLENGE_TTL_MS: '30000', SECURITY_HOLD_HOURS: HOLD_HOURS, ADDRESS_HOLD_HOURS: '0' });
  beforeAll(() => ({ db, mail, app } = suite));

  /** A fresh step-up of `user`'s session: the password, plus a backup code when 2FA is on (TOTP steps run out fast). */
  const stepUp = (user: TestUser) => stepUpAs(app, user, { secondFactor: 'backup' });

  const authenticatorFor = (): SoftAuthenticator => new SoftAuthenticator(new URL(app.env.APP_URL).origin);

  async function registrationOptions(user: TestUser): Promise<Json> {
    const res = await request(app.url).post('/api/auth/passkeys/registration-options').set(user.auth).expect(200);
    return res.body.options as Json;
  }

  /** Registers a passkey of `authenticator` on `user`'s account; the passkey as the API lists it. */
  async function addPasskey(user: TestUser, authenticator: SoftAuthenticator, name: string): Promise<{ id: string; name: string }> {
    await stepUp(user);
    const credential = authenticator.register(await registrationOptions(user));
    const res = await request(app.url).post('/api/auth/passkeys').set(user.auth).send({ name, credential }).expect(201);
    return res.body.passkey;
  }

  async function loginOptions(): Promise<Json> {
    return (await request(app.url).post('/api/auth/passkeys/login-options').expect(200)).body.options as Json;
  }

  const passkeyLogin = (credential: Json) => request(app.url).post('/api/auth/passkeys/login').send({ credential });

  async function audits(userId: string, action: string): Promise<number> {
    const [row] = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM audit_logs WHERE user_id = $1 AND action = $2', [userId, action]);
    return row.count;
  }

  it('registers several named passkeys, lists them with when they were added and last used, renames and removes them', async () => {
    const user = await createUser(app, mail);
    const phone = authenticatorFor();
    const laptop = authenticatorFor();
    const first = await addPasskey(user, phone, 'Pixel phone');
    const second = await addPasskey(user, laptop, '  MacBook Touch ID ');
    expect(second.name).toBe('MacBook Touch ID');
    const list = await request(app.url).get('/api/auth/passkeys').set(user.auth).expect(200);
    expect(list.body.passkeys).toEqual([
      { id: first.id, name: 'Pixel phone', createdAt: expect.any(String), lastUsedAt: null },
      { id: second.id, name: 'MacBook Touch ID', createdAt: expect.any(String), lastUsedAt: null },
    ]);
    expect(await audits(user.id, 'auth.passkey_registered')).toBe(2);

    // The same authenticator cannot register its credential twice: the options exclude it, and a replayed answer is refused.
    const options = await registrationOptions(user);
    expect((options.excludeCredentials as { id: string }[]).map((c) => c.id).sort()).toEqual([phone.credentials[0].id, laptop.credentials[0].id].sort());
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'preferred' });
    expect(options.rp).toEqual({ name: 'CryptoVault', id: '127.0.0.1' });

    const renamed = await request(app.url).patch(`/api/auth/passkeys/${first.id}`).set(user.auth).send({ name: 'Old phone' }).expect(200);
    expect(renamed.body.passkey).toMatchObject({ id: first.id, name: 'Old phone' });
    const blank = await request(app.url).patch(`/api/auth/passkeys/${first.id}`).set(user.auth).send({ name: '   ' }).expect(400);
    expect(blank.body.error.code).toBe('VALIDATION_FAILED');

    // Another account's passkey is not found, whatever it tries.
    const other = await createUser(app, mail);
    await request(app.url).patch(`/api/auth/passkeys/${first.id}`).set(other.auth).send({ name: 'Mine now' }).expect(404);
    await stepUp(other);
    await request(app.url).delete(`/api/auth/passkeys/${first.id}`).set(other.auth).expect(404);

    await stepUp(user);
    await request(app.url).delete(`/api/auth/passkeys/${first.id}`).set(user.auth).expect(200, { message: 'Passkey removed' });
    const after = await request(app.url).get('/api/auth/passkeys').set(user.auth).expect(200);
    expect(after.body.passkeys.map((p: { name: string }) => p.name)).toEqual(['MacBook Touch ID']);
    expect(await audits(user.id, 'auth.passkey_removed')).toBe(1);
    // The removed passkey no longer signs in.
    const refused = await passkeyLogin(phone.authenticate(await loginOptions())).expect(401);
    expect(refused.body.error.code).toBe('PASSKEY_INVALID');
  });

  it('refuses a registration from another origin or RP ID, a used or foreign challenge, and a malformed answer', async () => {
    const user = await createUser(app, mail);
    const authenticator = authenticatorFor();
    await stepUp(user);
    const wrongOrigin = authenticator.register(await registrationOptions(user), { origin: 'https://evil.example' });
    const r1 = await request(app.url).post('/api/auth/passkeys').set(user.auth).send({ name: 'x', credential: wrongOrigin }).expect(422);
    expect(r1.body.error.code).toBe('PASSKEY_REJECTED');
    const wrongRp = authenticator.register(await registrationOptions(user), { rpId: 'evil.example' });
    await request(app.url).post('/api/auth/passkeys').set(user.auth).send({ name: 'x', credential: wrongRp }).expect(422);

    // A challenge works once, and only for the session it was issued to.
    const good = authenticator.register(await registrationOptions(user));
    await request(app.url).post('/api/auth/passkeys').set(user.auth).send({ name: 'Key', credential: good }).expect(201);
    const again = await request(app.url).post('/api/auth/passkeys').set(user.auth).send({ name: 'Key', credential: good }).expect(422);
    expect(again.body.error.code).toBe('PASSKEY_REJECTED');
    const secondSession = await request(app.url).post('/api/auth/login').send({ email: user.email, password: user.password }).expect(200);
    const foreign = authenticator.register(await registrationOptions(user));
    // The other session stepped up too: the step-up is not what refuses it.
    await stepUpAs(app, user, { auth: { Authorization: `Bearer ${secondSession.body.accessToken}` } });
    await request(app.url)
      .post('/api/auth/passkeys')
      .set('Authorization', `Bearer ${secondSession.body.accessToken}`)
      .send({ name: 'Other session', credential: foreign })
      .expect(422);

    const malformed = await request(app.url)
      .post('/api/auth/passkeys')
      .set(user.auth)
      .send({ name: 'x', credential: { ...good, response: { clientDataJSON: 'not base64url!', attestationObject: 'AA' } } })
      .expect(400);
    expect(malformed.body.error.code).toBe('VALIDATION_FAILED');
    expect((await request(app.url).get('/api/auth/passkeys').set(user.auth).expect(200)).body.passkeys).toHaveLength(1);
  });

  it('signs in with a passkey alone: the same tokens and cookies as a password sign-in, and last used is shown', async () => {
    const user = await createUser(app, mail, { twoFactor: true });
    const authenticator = authenticatorFor();
    const passkey = await addPasskey(user, authenticator, 'Phone');

    const options = await loginOptions();
    expect(options).toMatchObject({ rpId: '127.0.0.1', userVerification: 'preferred' });
    expect(options.allowCredentials ?? []).toEqual([]);
    const res = await passkeyLogin(authenticator.authenticate(options)).expect(200);
    expect(res.body).toEqual({
      user: expect.objectContaining({ id: user.id, email: user.email }),
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: expect.any(Number),
    });
    const cookies = (res.headers['set-cookie'] as unknown as string[]).map((c) => c.split('=')[0]);
    expect(cookies).toEqual(expect.arrayContaining(['access_token', 'refresh_token', 'csrf_token']));
    const me = await request(app.url).get('/api/auth/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
    expect(me.body.user.id).toBe(user.id);
    const list = await request(app.url).get('/api/auth/passkeys').set(user.auth).expect(200);
    expect(list.body.passkeys[0]).toMatchObject({ id: passkey.id, lastUsedAt: expect.any(String) });
    const [login] = await db.query<{ details: { method: string } }>(
      `SELECT details FROM audit_logs WHERE user_id = $1 AND action = 'auth.login' ORDER BY created_at DESC LIMIT 1`,
      [user.id],
    );
    expect(login.details.method).toBe('passkey');
  });

  it('refuses a replayed assertion, a replayed or lower counter, another origin or RP ID, and a passkey that did not verify its user', async () => {
    const user = await createUser(app, mail);
    const authenticator = authenticatorFor();
    await addPasskey(user, authenticator, 'Key');
    const good = authenticator.authenticate(await loginOptions(), { counter: 10 });
    await passkeyLogin(good).expect(200);
    // The very same response again: its challenge is used up.
    expect((await passkeyLogin(good).expect(401)).body.error.code).toBe('PASSKEY_INVALID');
    // A fresh challenge signed with a counter not above the stored 10: a cloned authenticator. Refused and audited.
    await passkeyLogin(authenticator.authenticate(await loginOptions(), { counter: 10 })).expect(401);
    await passkeyLogin(authenticator.authenticate(await loginOptions(), { counter: 4 })).expect(401);
    expect(await audits(user.id, 'auth.passkey_counter_rejected')).toBe(2);
    const wrongOrigin = await passkeyLogin(authenticator.authenticate(await loginOptions(), { counter: 20, origin: 'https://evil.example' })).expect(401);
    expect(wrongOrigin.body.error.code).toBe('PASSKEY_INVALID');
    await passkeyLogin(authenticator.authenticate(await loginOptions(), { counter: 21, rpId: 'evil.example' })).expect(401);
    // The replayed response never reached the account (its challenge was gone); the four others count on its lockout,
    // as wrong passwords do: a fifth (no user verification) locks it, and then even a good assertion waits.
    await passkeyLogin(authenticator.authenticate(await loginOptions(), { counter: 22, userVerified: false })).expect(401);
    const locked = await passkeyLogin(authenticator.authenticate(await loginOptions(), { counter: 23 })).expect(429);
    expect(locked.body.error.code).toBe('ACCOUNT_LOCKED');
    expect(await audits(user.id, 'auth.account_locked')).toBe(1);

    // Without user verification (no PIN, no biometrics) a passkey cannot sign in alone.
    const other = await createUser(app, mail);
    const noPin = new SoftAuthenticator(new URL(app.env.APP_URL).origin, { userVerification: false });
    await addPasskey(other, noPin, 'Security key');
    expect((await passkeyLogin(noPin.authenticate(await loginOptions())).expect(401)).body.error.code).toBe('PASSKEY_INVALID');
    // An unknown credential, and an answer to no challenge.
    expect((await passkeyLogin(authenticatorFor().register(await registrationOptions(other))).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    const stranger = authenticatorFor();
    stranger.register({ rp: { id: '127.0.0.1' }, user: { id: 'AAAA' }, challenge: 'x' });
    expect((await passkeyLogin(stranger.authenticate(await loginOptions())).expect(401)).body.error.code).toBe('PASSKEY_INVALID');
    const invented = { challenge: Buffer.alloc(32, 7).toString('base64url'), rpId: '127.0.0.1' };
    await passkeyLogin(noPin.authenticate(invented, { userVerified: true })).expect(401);
  });

  it('takes a passkey instead of the TOTP code as the second factor of a password sign-in, only one of the account', async () => {
    const user = await createUser(app, mail, { twoFactor: true });
    const authenticator = authenticatorFor();
    await addPasskey(user, authenticator, 'Phone');
    const login = (body: Json) =>
      request(app.url)
        .post('/api/auth/login')
        .send({ email: user.email, password: user.password, ...body });

    const required = await login({}).expect(401);
    expect(required.body.error.code).toBe('TWO_FACTOR_REQUIRED');
    const ok = await login({ passkey: authenticator.authenticate(await loginOptions(), { userVerified: false }) }).expect(200);
    expect(ok.body.user.id).toBe(user.id);

    // Another account's passkey is not this account's second factor.
    const intruder = await createUser(app, mail);
    const intruderKey = authenticatorFor();
    await addPasskey(intruder, intruderKey, 'Mine');
    const foreign = await login({ passkey: intruderKey.authenticate(await loginOptions()) }).expect(401);
    expect(foreign.body.error.code).toBe('TWO_FACTOR_INVALID');
    // A confirmation challenge (for a signed-in session) is not a sign-in challenge.
    const confirmation = await request(app.url).post('/api/auth/passkeys/confirmation-options').set(user.auth).expect(200);
    await login({ passkey: authenticator.authenticate(confirmation.body.options) }).expect(401);
    expect(await audits(user.id, 'auth.passkey_refused')).toBeGreaterThanOrEqual(1);
  });

  it('confirms a withdrawal with a passkey instead of a code, with a challenge bound to the session, once the hold of adding it has ended', async () => {
    const admin = await createUser(app, mail, { admin: true });
    const user = await createWithdrawer(app, mail, { asset: 'BTC' });
    await fund(app, admin, user, 'BTC', '0.01');
    const authenticator = authenticatorFor();
    const passkey = await addPasskey(user, authenticator, 'Phone');
    const withdraw = (body: Json) =>
      request(app.url)
        .post('/api/wallet/withdraw')
        .set(user.auth)
        .send({ asset: 'BTC', amount: '0.001', addressId: user.addressId, ...body });

    const neither = await withdraw({}).expect(400);
    expect(neither.body.error.details).toEqual([
      { field: 'twoFactorCode', message: 'Enter the 6-digit code from your authenticator app, or confirm with a passkey' },
    ]);
    // Adding a passkey held withdrawals (SECURITY_HOLD_HOURS); wait it out.
    const holdUntil = async () => (await db.query<{ until: Date | null }>('SELECT security_hold_until AS until FROM users WHERE id = $1', [user.id]))[0].until;
    const until = await holdUntil();
    expect(until).not.toBeNull();
    await waitFor(() => Date.now() > new Date(until!).getTime() + 50, Number(HOLD_HOURS) * 3_600_000 + 10_000, 'the security hold of adding a passkey');

    // A sign-in challenge does not confirm a withdrawal.
    const signIn = await withdraw({ passkey: authenticator.authenticate(await loginOptions()) }).expect(401);
    expect(signIn.body.error.code).toBe('TWO_FACTOR_INVALID');

    const options = (await request(app.url).post('/api/auth/passkeys/confirmation-options').set(user.auth).expect(200)).body.options as Json;
    expect(options.allowCredentials).toEqual([{ id: authenticator.credentials[0].id, type: 'public-key', transports: ['internal'] }]);
    // Bound to the session that asked: another session of the same account cannot use it.
    const otherSession = await request(app.url)
      .post('/api/auth/login')
      .send({ email: user.email, password: user.password, twoFactorCode: user.backupCodes!.shift() })
      .expect(200);
    const assertion = authenticator.authenticate(options);
    await request(app.url)
      .post('/api/wallet/withdraw')
      .set('Authorization', `Bearer ${otherSession.body.accessToken}`)
      .send({ asset: 'BTC', amount: '0.001', addressId: user.addressId, passkey: assertion })
      .expect(401);

    const fresh = authenticator.authenticate((await request(app.url).post('/api/auth/passkeys/confirmation-options').set(user.auth).expect(200)).body.options);
    const done = await withdraw({ passkey: fresh }).expect(201);
    expect(done.body.withdrawal).toMatchObject({ asset: 'BTC', amount: '0.00100000', addressId: user.addressId, address: user.address });
    // Used once: the same assertion does not confirm a second withdrawal.
    await withdraw({ passkey: fresh }).expect(401);
    const [used] = await db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM audit_logs WHERE user_id = $1 AND action = 'auth.passkey_used' AND details->>'passkeyId' = $2`,
      [user.id, passkey.id],
    );
    expect(used.count).toBe(1);
  });

  it('steps a session up with a passkey instead of password and code (its own confirmation challenge, user verified), counted when it fails', async () => {
    const user = await createUser(app, mail, { twoFactor: true });
    const authenticator = authenticatorFor();
    await addPasskey(user, authenticator, 'Phone');
    const noPin = new SoftAuthenticator(new URL(app.env.APP_URL).origin, { userVerification: false });
    await addPasskey(user, noPin, 'Security key');
    // A later session of the owner: not stepped up.
    const later = await request(app.url)
      .post('/api/auth/login')
      .send({ email: user.email, password: user.password, twoFactorCode: user.backupCodes!.shift() })
      .expect(200);
    const auth = { Authorization: `Bearer ${later.body.accessToken as string}` };
    const refused = await request(app.url).post('/api/auth/2fa/backup-codes').set(auth).expect(401);
    expect(refused.body.error.code).toBe('STEP_UP_REQUIRED');
    const confirmationOptions = async (a: Record<string, string>) =>
      (await request(app.url).post('/api/auth/passkeys/confirmation-options').set(a).expect(200)).body.options as Json;
    const stepUpWith = (a: Record<string, string>, passkey: Json) => request(app.url).post('/api/auth/step-up').set(a).send({ passkey });

    // A sign-in challenge, another session's challenge, and a passkey that did not verify its user: refused and counted.
    expect((await stepUpWith(auth, authenticator.authenticate(await loginOptions())).expect(401)).body.error.code).toBe('PASSKEY_INVALID');
    await stepUpWith(auth, authenticator.authenticate(await confirmationOptions(user.auth))).expect(401);
    await stepUpWith(auth, noPin.authenticate(await confirmationOptions(auth))).expect(401);
    const [failures] = await db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM confirmation_attempts WHERE user_id = $1 AND action = 'auth.step_up'`,
      [user.id],
    );
    expect(failures.count).toBe(3);
    // Neither a passkey nor a password: 400.
    const empty = await request(app.url).post('/api/auth/step-up').set(auth).send({}).expect(400);
    expect(empty.body.error.code).toBe('VALIDATION_FAILED');

    const ok = await stepUpWith(auth, authenticator.authenticate(await confirmationOptions(auth))).expect(200);
    expect(new Date(ok.body.stepUpUntil as string).getTime()).toBeGreaterThan(Date.now());
    const codes = await request(app.url).post('/api/auth/2fa/backup-codes').set(auth).expect(200);
    expect(codes.body.backupCodes).toHaveLength(10);
    const [audited] = await db.query<{ method: string }>(
      `SELECT details->>'method' AS method FROM audit_logs WHERE user_id = $1 AND action = 'auth.step_up' ORDER BY created_at DESC LIMIT 1`,
      [user.id],
    );
    expect(audited.method).toBe('passkey');
  });

  it('tells the owner of a passkey added or removed (with a "This wasn\'t me" link), holds withdrawals, and a freeze removes the passkeys added since', async () => {
    const user = await createUser(app, mail);
    const older = authenticatorFor();
    const intruder = authenticatorFor();
    const kept = await addPasskey(user, older, 'Laptop');
    const added = await mail.waitFor(user.email, (m) => m.subject === 'A passkey was added');
    expect(added.text).toMatch(FREEZE_LINK);
    const [held] = await db.query<{ reason: string }>('SELECT security_hold_reason AS reason FROM users WHERE id = $1', [user.id]);
    expect(held.reason).toBe('passkey_changed');
    // The activity lists it; a passkey sign-in is recorded like a password sign-in.
    const signIns = async () =>
      (await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM security_events WHERE user_id = $1 AND kind = 'signed_in'`, [user.id]))[0].count;
    const before = await signIns();
    await passkeyLogin(older.authenticate(await loginOptions())).expect(200);
    expect(await signIns()).toBe(before + 1);
    const items = (await request(app.url).get('/api/auth/activity').set(user.auth).expect(200)).body.items as { kind: string }[];
    expect(items.map((i) => i.kind)).toEqual(expect.arrayContaining(['passkey_added', 'signed_in']));

    // A thief's passkey, then the owner's "This wasn't me" on its notice: it is removed, the older one stays.
    await addPasskey(user, intruder, 'Thief');
    const second = await mail.waitFor(user.email, (m) => m.subject === 'A passkey was added', 10_000, 1);
    const token = FREEZE_LINK.exec(second.text)![1];
    const frozen = await request(app.url).post('/api/auth/freeze').send({ token }).expect(200);
    expect(frozen.body.removed).toEqual(expect.arrayContaining(['passkeys']));
    const [left] = await db.query<{ ids: string[] }>('SELECT array_agg(id) AS ids FROM passkeys WHERE user_id = $1', [user.id]);
    expect(left.ids).toEqual([kept.id]);
    // A frozen account signs in with no passkey: the removed one is unknown, the kept one is refused with ACCOUNT_FROZEN.
    expect((await passkeyLogin(intruder.authenticate(await loginOptions())).expect(401)).body.error.code).toBe('PASSKEY_INVALID');
    expect((await passkeyLogin(older.authenticate(await loginOptions())).expect(403)).body.error.code).toBe('ACCOUNT_FROZEN');

    // Removing one is told and held too.
    const owner = await createUser(app, mail);
    const key = await addPasskey(owner, authenticatorFor(), 'Phone');
    await stepUp(owner);
    await request(app.url).delete(`/api/auth/passkeys/${key.id}`).set(owner.auth).expect(200);
    const removed = await mail.waitFor(owner.email, (m) => m.subject === 'A passkey was removed');
    expect(removed.text).toMatch(FREEZE_LINK);
    const [event] = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM security_events WHERE user_id = $1 AND kind = 'passkey_removed'`, [
      owner.id,
    ]);
    expect(event.count).toBe(1);
  });

  it('asks for a fresh step-up before adding or removing a passkey (401 STEP_UP_REQUIRED)', async () => {
    const user = await createUser(app, mail);
    const options = await request(app.url).post('/api/auth/passkeys/registration-options').set(user.auth).expect(401);
    expect(options.body.error.code).toBe('STEP_UP_REQUIRED');
    const credential = authenticatorFor().register({ rp: { id: '127.0.0.1' }, user: { id: 'AAAA' }, challenge: Buffer.alloc(32, 1).toString('base64url') });
    const add = await request(app.url).post('/api/auth/passkeys').set(user.auth).send({ name: 'Thief key', credential }).expect(401);
    expect(add.body.error.code).toBe('STEP_UP_REQUIRED');
    const remove = await request(app.url).delete('/api/auth/passkeys/6f1c2d3e-4a5b-4c6d-8e7f-901234567890').set(user.auth).expect(401);
    expect(remove.body.error.code).toBe('STEP_UP_REQUIRED');
  });
});
