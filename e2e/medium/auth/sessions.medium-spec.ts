import { SessionsRepository } from '../../../backend/src/auth/sessions.repository';
import { UnitOfWork } from '../../../backend/src/database/unit-of-work';
import { mediumDatabase, MediumDatabase } from '../../support/medium';

describe('SessionsRepository (sessions and their refresh-token families)', () => {
  let m: MediumDatabase;
  let sessions: SessionsRepository;
  let uow: UnitOfWork;
  let ann: string;
  let bob: string;
  const inADay = () => new Date(Date.now() + 86_400_000);

  beforeAll(async () => {
    m = await mediumDatabase();
    sessions = new SessionsRepository(m.ds);
    uow = new UnitOfWork(m.ds);
    [ann, bob] = await Promise.all(
      ['ann', 'bob'].map(
        async (n) =>
          (await m.db.query<{ id: string }>(`INSERT INTO users (email, name, password_hash) VALUES ($1, 'x', 'x') RETURNING id`, [`${n}@s.test`]))[0].id,
      ),
    );
  });
  afterAll(() => m?.close());

  const open = (userId: string, hash: string, origin = {}) =>
    uow.run(async (tx) => {
      const id = await sessions.insertSession(tx, userId, origin, inADay());
      await sessions.insertRefreshToken(tx, id, hash, inADay());
      return id;
    });

  it('opens a session with its first refresh token, cutting what it keeps of the device to the columns', async () => {
    const id = await open(ann, 'a'.repeat(64), { ip: '203.0.113.7', userAgent: 'U'.repeat(500) });
    const [row] = await m.db.query<{ user_agent: string; ip: string }>('SELECT user_agent, ip FROM sessions WHERE id = $1', [id]);
    expect(row).toEqual({ user_agent: 'U'.repeat(300), ip: '203.0.113.7' });
    const token = await uow.run((tx) => sessions.lockRefreshToken(tx, 'a'.repeat(64)));
    expect(token).toMatchObject({ session_id: id, user_id: ann, rotated_at: null, revoked_at: null });
    expect(await uow.run((tx) => sessions.lockRefreshToken(tx, 'z'.repeat(64)))).toBeUndefined();
  });

  it('rotates: the old token is marked, the session moves on and keeps its device when the refresh sends none', async () => {
    const id = await open(ann, 'b'.repeat(64), { ip: '198.51.100.1', userAgent: 'Phone' });
    const later = new Date(Date.now() + 2 * 86_400_000);
    await uow.run(async (tx) => {
      const token = await sessions.lockRefreshToken(tx, 'b'.repeat(64));
      await sessions.markRotated(tx, token!.id);
      await sessions.insertRefreshToken(tx, id, 'c'.repeat(64), later);
      await sessions.touch(tx, id, later, {});
    });
    expect((await uow.run((tx) => sessions.lockRefreshToken(tx, 'b'.repeat(64))))!.rotated_at).toBeInstanceOf(Date);
    const [row] = await m.db.query<{ ip: string; user_agent: string; expires_at: Date }>('SELECT ip, user_agent, expires_at FROM sessions WHERE id = $1', [id]);
    expect(row).toMatchObject({ ip: '198.51.100.1', user_agent: 'Phone' });
    expect(new Date(row.expires_at).getTime()).toBe(later.getTime());
  });

  it('ends sessions once, lists only live ones most recently used first, and revokes only the owner’s', async () => {
    const a1 = await open(ann, 'd'.repeat(64));
    const a2 = await open(ann, 'e'.repeat(64));
    const b1 = await open(bob, 'f'.repeat(64));
    await m.db.query(`UPDATE sessions SET last_used_at = now() + interval '1 minute' WHERE id = $1`, [a1]);
    const live = (await sessions.listLive(ann)).map((s) => s.id);
    expect(live[0]).toBe(a1);
    expect(live).toContain(a2);
    expect((await sessions.listLive(ann))[0]).toMatchObject({ userId: ann, revokedAt: null });

    expect(await sessions.revokeOwn(bob, a1)).toBe(false);
    expect(await sessions.revokeOwn(ann, a1)).toBe(true);
    expect(await sessions.revokeOwn(ann, a1)).toBe(false);
    expect(await sessions.end(a1, 'logout')).toEqual([]);
    expect(await sessions.end(b1, 'logout')).toEqual([bob]);

    const before = (await sessions.listLive(ann)).length;
    expect(await sessions.endAllForUser(ann, 'password_change', a2)).toBe(before - 1);
    expect((await sessions.listLive(ann)).map((s) => s.id)).toEqual([a2]);
    expect(await sessions.endAllForUser(ann, 'password_reset')).toBe(1);
    expect(await sessions.listLive(ann)).toEqual([]);
    const [reason] = await m.db.query<{ revoked_reason: string }>('SELECT revoked_reason FROM sessions WHERE id = $1', [a1]);
    expect(reason.revoked_reason).toBe('revoked');
  });
});
