import { UsersRepository } from '../../../backend/src/auth/users/users.repository';
import { UnitOfWork } from '../../../backend/src/database/unit-of-work';
import { mediumDatabase, MediumDatabase } from '../../support/medium';

describe('UsersRepository (accounts as the auth module keeps them)', () => {
  let m: MediumDatabase;
  let users: UsersRepository;
  let uow: UnitOfWork;

  beforeAll(async () => {
    m = await mediumDatabase();
    users = new UsersRepository(m.ds);
    uow = new UnitOfWork(m.ds);
  });
  afterAll(() => m?.close());

  it('creates an account, finds it by id and email, and refuses a second account with the same address in any case', async () => {
    const ann = await users.insert({ email: 'ann@example.test', name: 'Ann', passwordHash: 'hash-1' });
    expect(ann).toMatchObject({
      email: 'ann@example.test',
      name: 'Ann',
      passwordHash: 'hash-1',
      role: 'user',
      emailVerifiedAt: null,
      failedLogins: 0,
      twoFactorEnabledAt: null,
    });
    expect(ann.createdAt).toBeInstanceOf(Date);
    expect((await users.findById(ann.id))?.email).toBe('ann@example.test');
    expect((await users.findByEmail('ann@example.test'))?.id).toBe(ann.id);
    expect(await users.findByEmail('nobody@example.test')).toBeNull();
    await expect(users.insert({ email: 'ANN@example.test', name: 'Other', passwordHash: 'x' })).rejects.toMatchObject({ driverError: { code: '23505' } });
  });

  it('locks an account on the 5th failed sign-in in a row and starts the count again once the lock has run out', async () => {
    const bob = await users.insert({ email: 'bob@example.test', name: 'Bob', passwordHash: 'x' });
    for (let i = 1; i <= 4; i++) expect(await users.recordLoginFailure(bob.id, 5, 900)).toEqual({ failed_logins: i, locked_until: null });
    const fifth = await users.recordLoginFailure(bob.id, 5, 900);
    expect(fifth?.failed_logins).toBe(5);
    expect(fifth!.locked_until!.getTime()).toBeGreaterThan(Date.now() + 800_000);
    // The lock runs out: the next failure counts as the first of a new series.
    await m.db.query(`UPDATE users SET locked_until = now() - interval '1 second' WHERE id = $1`, [bob.id]);
    expect(await users.recordLoginFailure(bob.id, 5, 900)).toEqual({ failed_logins: 1, locked_until: null });
    await users.clearLoginFailures(bob.id);
    expect(await users.findById(bob.id)).toMatchObject({ failedLogins: 0, lockedUntil: null });
    expect(await users.recordLoginFailure('00000000-0000-4000-8000-000000000000', 5, 900)).toBeUndefined();
  });

  it('enables two-factor only for the enrolment checked, and accepts each TOTP time step once', async () => {
    const cy = await users.insert({ email: 'cy@example.test', name: 'Cy', passwordHash: 'x' });
    await users.startTwoFactorEnrolment(cy.id, 'SECRET-A');
    expect(await uow.run((tx) => users.enableTwoFactor(tx, cy.id, 'SECRET-OLD', 100))).toBe(false);
    expect(await uow.run((tx) => users.enableTwoFactor(tx, cy.id, 'SECRET-A', 100))).toBe(true);
    // Once on, a new enrolment cannot replace the secret.
    await users.startTwoFactorEnrolment(cy.id, 'SECRET-B');
    expect(await users.findById(cy.id)).toMatchObject({ twoFactorSecret: 'SECRET-A', twoFactorLastStep: '100' });
    expect(await users.acceptTotpStep(cy.id, 100)).toBe(false);
    expect(await users.acceptTotpStep(cy.id, 101)).toBe(true);
    const both = await Promise.all([users.acceptTotpStep(cy.id, 102), users.acceptTotpStep(cy.id, 102)]);
    expect(both.filter(Boolean)).toHaveLength(1);
    await uow.run((tx) => users.disableTwoFactor(tx, cy.id));
    expect(await users.findById(cy.id)).toMatchObject({ twoFactorSecret: null, twoFactorEnabledAt: null, twoFactorLastStep: null });
  });

  it('resets a password: new hash, failures forgotten, tokens issued until now refused', async () => {
    const dee = await users.insert({ email: 'dee@example.test', name: 'Dee', passwordHash: 'old' });
    await users.recordLoginFailure(dee.id, 5, 900);
    await uow.run((tx) => users.resetPassword(tx, dee.id, 'new'));
    const after = await users.findById(dee.id);
    expect(after).toMatchObject({ passwordHash: 'new', failedLogins: 0, lockedUntil: null });
    // Whole seconds (JWT iat has no milliseconds): not before the second the account was created in.
    expect(after!.tokensValidAfter.getTime()).toBeGreaterThanOrEqual(Math.floor(dee.tokensValidAfter.getTime() / 1000) * 1000);
    expect(after!.tokensValidAfter.getMilliseconds()).toBe(0);
  });

  it('gives the auth state of a user with one of their sessions, and nothing for another user’s session', async () => {
    const eve = await users.insert({ email: 'eve@example.test', name: 'Eve', passwordHash: 'x' });
    const fay = await users.insert({ email: 'fay@example.test', name: 'Fay', passwordHash: 'x' });
    const [s] = await m.db.query<{ id: string }>(`INSERT INTO sessions (user_id, expires_at) VALUES ($1, now() + interval '1 day') RETURNING id`, [eve.id]);
    expect(await users.authState(eve.id, s.id)).toMatchObject({
      email: 'eve@example.test',
      role: 'user',
      suspended_at: null,
      session_found: true,
      session_revoked_at: null,
    });
    expect(await users.authState(fay.id, s.id)).toMatchObject({ email: 'fay@example.test', session_found: false });
    expect(await users.authState('00000000-0000-4000-8000-000000000000', s.id)).toBeUndefined();
  });

  it('suspends, reinstates and changes roles under the row lock; counts admins', async () => {
    const gus = await users.insert({ email: 'gus@example.test', name: 'Gus', passwordHash: 'x' });
    const admins = await users.countAdmins();
    await uow.run(async (tx) => {
      expect(await users.lockStanding(tx, gus.id)).toEqual({ role: 'user', suspended_at: null });
      await users.suspend(tx, gus.id);
      await users.setRole(tx, gus.id, 'admin');
    });
    expect(await users.countAdmins()).toBe(admins + 1);
    const row = await users.adminRow(gus.id);
    expect(row).toMatchObject({ role: 'admin', email: 'gus@example.test' });
    expect(row!.suspended_at).toBeInstanceOf(Date);
    await uow.run((tx) => users.reinstate(tx, gus.id));
    expect((await users.adminRow(gus.id))!.suspended_at).toBeNull();
    expect(await uow.run((tx) => users.lockStanding(tx, '00000000-0000-4000-8000-000000000000'))).toBeUndefined();
  });

  it('lists accounts for the back office newest first, by search (wildcards taken literally) and by keyset pages, without secrets', async () => {
    const made: string[] = [];
    for (const [email, name] of [
      ['page1@list.test', 'Page One'],
      ['page2@list.test', 'Page 100%'],
      ['page3@list.test', 'Page_Three'],
    ]) {
      made.push((await users.insert({ email, name, passwordHash: 'secret-hash' })).id);
      await new Promise((r) => setTimeout(r, 5));
    }
    const all = await users.adminPage({ search: 'list.test', limit: 10 });
    expect(all.map((r) => r.id)).toEqual([...made].reverse());
    expect(JSON.stringify(all)).not.toMatch(/secret-hash|password/);
    expect((await users.adminPage({ search: '100%', limit: 10 })).map((r) => r.email)).toEqual(['page2@list.test']);
    expect((await users.adminPage({ search: 'e_T', limit: 10 })).map((r) => r.email)).toEqual(['page3@list.test']);
    const first = await users.adminPage({ search: 'list.test', limit: 2 });
    const last = first[1];
    const next = await users.adminPage({ search: 'list.test', before: { createdAt: new Date(last.created_at), id: last.id }, limit: 2 });
    expect(next.map((r) => r.id)).toEqual([made[0]]);
  });
});
