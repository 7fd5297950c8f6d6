import { BackupCodesRepository } from '../../../backend/src/auth/backup-codes.repository';
import { OneTimeTokensRepository } from '../../../backend/src/auth/one-time-tokens.repository';
import { UnitOfWork } from '../../../backend/src/database/unit-of-work';
import { mediumDatabase, MediumDatabase } from '../../support/medium';

describe('OneTimeTokensRepository and BackupCodesRepository (single-use secrets, hashes only)', () => {
  let m: MediumDatabase;
  let tokens: OneTimeTokensRepository;
  let codes: BackupCodesRepository;
  let uow: UnitOfWork;
  let user: string;
  const h = (c: string) => c.repeat(64);
  const inAnHour = () => new Date(Date.now() + 3_600_000);

  beforeAll(async () => {
    m = await mediumDatabase();
    tokens = new OneTimeTokensRepository(m.ds);
    codes = new BackupCodesRepository(m.ds);
    uow = new UnitOfWork(m.ds);
    [{ id: user }] = await m.db.query<{ id: string }>(`INSERT INTO users (email, name, password_hash) VALUES ('Tok@Example.test', 'x', 'x') RETURNING id`);
  });
  afterAll(() => m?.close());

  it('uses a link token once, only for its purpose and while it lasts', async () => {
    await uow.run((tx) => tokens.insert(tx, { userId: user, purpose: 'password_reset', tokenHash: h('a'), expiresAt: inAnHour() }));
    expect(await tokens.isLive(h('a'), 'password_reset')).toBe(true);
    expect(await tokens.consume(h('a'), 'email_link')).toBeUndefined();
    expect(await uow.run((tx) => tokens.consume(h('a'), 'password_reset', tx))).toBe(user);
    expect(await tokens.consume(h('a'), 'password_reset')).toBeUndefined();
    expect(await tokens.isLive(h('a'), 'password_reset')).toBe(false);

    await uow.run((tx) => tokens.insert(tx, { userId: user, purpose: 'email_link', tokenHash: h('b'), expiresAt: new Date(Date.now() - 1000) }));
    expect(await tokens.consume(h('b'), 'email_link')).toBeUndefined();
  });

  it('retires the pending tokens of the purposes named only', async () => {
    await uow.run(async (tx) => {
      await tokens.insert(tx, { userId: user, purpose: 'email_link', tokenHash: h('c'), expiresAt: inAnHour() });
      await tokens.insert(tx, { userId: user, purpose: 'password_reset', tokenHash: h('d'), expiresAt: inAnHour() });
      await tokens.retire(tx, user, ['email_link', 'email_code']);
    });
    expect(await tokens.isLive(h('c'), 'email_link')).toBe(false);
    expect(await tokens.isLive(h('d'), 'password_reset')).toBe(true);
  });

  it('finds the newest live email code by address in any case, and gives it 5 attempts', async () => {
    const older = '11111111-1111-4111-8111-111111111111';
    const newer = '22222222-2222-4222-8222-222222222222';
    await uow.run((tx) => tokens.insert(tx, { id: older, userId: user, purpose: 'email_code', tokenHash: h('e'), expiresAt: inAnHour() }));
    await m.db.query(`UPDATE one_time_tokens SET created_at = now() - interval '1 minute' WHERE id = $1`, [older]);
    await uow.run((tx) => tokens.insert(tx, { id: newer, userId: user, purpose: 'email_code', tokenHash: h('f'), expiresAt: inAnHour() }));
    expect(await tokens.latestEmailCode('tok@example.TEST')).toEqual({ id: newer, user_id: user, token_hash: h('f') });
    expect(await tokens.latestEmailCode('none@example.test')).toBeUndefined();
    const claims = [];
    for (let i = 0; i < 6; i++) claims.push(await tokens.claimAttempt(newer, 5));
    expect(claims).toEqual([true, true, true, true, true, false]);
    expect(await tokens.markUsed(older)).toBe(true);
    expect(await tokens.markUsed(older)).toBe(false);
    expect(await tokens.claimAttempt(older, 5)).toBe(false);
  });

  it('replaces backup codes (old ones stop working), uses each once, counts the unused', async () => {
    await uow.run((tx) => codes.replace(tx, user, [h('1'), h('2'), h('3')]));
    expect(await codes.countUnused(user)).toBe(3);
    expect(await codes.consume(user, h('2'))).toBe(true);
    expect(await codes.consume(user, h('2'))).toBe(false);
    expect(await codes.countUnused(user)).toBe(2);
    await uow.run((tx) => codes.replace(tx, user, [h('4'), h('5')]));
    expect(await codes.consume(user, h('1'))).toBe(false);
    expect(await codes.countUnused(user)).toBe(2);
    await uow.run((tx) => codes.deleteAll(tx, user));
    expect(await codes.countUnused(user)).toBe(0);
  });
});
