import { ConfirmationsRepository } from '../../../backend/src/auth/confirmations.repository';
import { UnitOfWork } from '../../../backend/src/database/unit-of-work';
import { mediumDatabase, MediumDatabase } from '../../support/medium';

describe('ConfirmationsRepository (the counter of failed confirmations)', () => {
  let m: MediumDatabase;
  let repo: ConfirmationsRepository;
  let uow: UnitOfWork;
  let user: string;
  let s1: string;
  let s2: string;
  const WINDOW = 3600;

  beforeAll(async () => {
    m = await mediumDatabase();
    repo = new ConfirmationsRepository(m.ds);
    uow = new UnitOfWork(m.ds);
    [{ id: user }] = await m.db.query<{ id: string }>(`INSERT INTO users (email, name, password_hash) VALUES ('c@c.test', 'x', 'x') RETURNING id`);
    const sessions = await m.db.query<{ id: string }>(
      `INSERT INTO sessions (user_id, expires_at) SELECT $1, now() + interval '1 day' FROM generate_series(1, 2) RETURNING id`,
      [user],
    );
    [s1, s2] = sessions.map((s) => s.id);
  });
  afterAll(() => m?.close());

  const counts = (sessionId: string, pending: boolean) => uow.run((tx) => repo.counts(tx, user, sessionId, WINDOW, pending, 60));
  const fail = (sessionId: string) =>
    uow.run(async (tx) => {
      const id = await repo.insertAttempt(tx, user, sessionId, 'wallet.withdraw');
      await repo.markFailure(tx, id);
    });

  it('counts failures per session and per account; a guess being checked counts only while guesses are let in', async () => {
    await fail(s1);
    await fail(s1);
    await fail(s2);
    const pendingId = await uow.run((tx) => repo.insertAttempt(tx, user, s1, 'auth.change_password'));
    expect(await counts(s1, false)).toEqual({ session: 2, account: 3 });
    expect(await counts(s1, true)).toEqual({ session: 3, account: 4 });
    expect(await counts(s2, false)).toEqual({ session: 1, account: 3 });
    // A guess left unresolved for longer than the pending time counts as a failure.
    await m.db.query(`UPDATE confirmation_attempts SET created_at = now() - interval '61 seconds' WHERE id = $1`, [pendingId]);
    expect(await counts(s1, false)).toEqual({ session: 3, account: 4 });
    await repo.deleteAttempt(pendingId);
    expect(await counts(s1, true)).toEqual({ session: 2, account: 3 });
  });

  it('locks a session or the account, counts again from the end of a lock, and prunes what no longer counts', async () => {
    const until = await uow.run((tx) => repo.insertLock(tx, user, s1, 2, 900));
    expect(until.getTime()).toBeGreaterThan(Date.now() + 800_000);
    await uow.run((tx) => repo.insertLock(tx, user, null, 3, 60));
    const locks = await uow.run((tx) => repo.activeLocks(tx, user, s1));
    expect(locks.map((l) => [l.session_id, l.failures])).toEqual([
      [s1, 2],
      [null, 3],
    ]);
    expect((await uow.run((tx) => repo.activeLocks(tx, user, s2))).map((l) => l.session_id)).toEqual([null]);

    // Once the locks have ended, only failures after them count.
    await m.db.query(`UPDATE confirmation_attempts SET created_at = created_at - interval '10 seconds' WHERE user_id = $1`, [user]);
    await m.db.query(`UPDATE confirmation_locks SET locked_until = now() - interval '5 seconds' WHERE user_id = $1`, [user]);
    expect(await uow.run((tx) => repo.activeLocks(tx, user, s1))).toEqual([]);
    await fail(s1);
    expect(await counts(s1, false)).toEqual({ session: 1, account: 1 });

    await m.db.query(`UPDATE confirmation_attempts SET created_at = now() - interval '2 hours' WHERE user_id = $1`, [user]);
    await m.db.query(`UPDATE confirmation_locks SET locked_until = now() - interval '2 hours' WHERE user_id = $1`, [user]);
    await uow.run((tx) => repo.prune(tx, user, WINDOW));
    expect(
      await m.db.query('SELECT 1 FROM confirmation_attempts WHERE user_id = $1 UNION ALL SELECT 1 FROM confirmation_locks WHERE user_id = $1', [user]),
    ).toEqual([]);
  });

  it('clears an account, and serialises one account’s confirmations across connections', async () => {
    await fail(s2);
    await uow.run((tx) => repo.insertLock(tx, user, null, 1, 900));
    await uow.run((tx) => repo.clearAccount(tx, user));
    expect(await counts(s2, true)).toEqual({ session: 0, account: 0 });
    await uow.run(async (tx) => {
      await repo.serialize(tx, user);
      const [other] = await m.db.query<{ got: boolean }>(`SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS got`, [`confirm:${user}`]);
      expect(other.got).toBe(false);
    });
  });
});
