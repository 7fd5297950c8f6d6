import { PasskeysRepository } from '../../../backend/src/auth/passkeys/passkeys.repository';
import { UnitOfWork } from '../../../backend/src/database/unit-of-work';
import { mediumDatabase, MediumDatabase } from '../../support/medium';

describe('PasskeysRepository (WebAuthn credentials)', () => {
  let m: MediumDatabase;
  let repo: PasskeysRepository;
  let uow: UnitOfWork;
  let ann: string;
  let bob: string;

  beforeAll(async () => {
    m = await mediumDatabase();
    repo = new PasskeysRepository(m.ds);
    uow = new UnitOfWork(m.ds);
    [{ id: ann }, { id: bob }] = await m.db.query<{ id: string }>(
      `INSERT INTO users (email, name, password_hash) VALUES ('ann@p.test', 'Ann', 'x'), ('bob@p.test', 'Bob', 'x') RETURNING id`,
    );
  });
  afterAll(() => m?.close());

  const add = (userId: string, credentialId: string, counter = 0) =>
    uow.run((tx) =>
      repo.insert(tx, {
        userId,
        credentialId,
        publicKey: new Uint8Array([1, 2, 3, 4]),
        counter,
        transports: ['internal', 'hybrid'],
        name: `key ${credentialId}`,
      }),
    );

  it('stores a passkey with its public key bytes and transports, and never the same credential twice (whatever the account)', async () => {
    const row = await add(ann, 'cred-a');
    expect(row).toMatchObject({ user_id: ann, credential_id: 'cred-a', counter: '0', transports: ['internal', 'hybrid'], last_used_at: null });
    expect(Buffer.from(row!.public_key)).toEqual(Buffer.from([1, 2, 3, 4]));
    expect(await add(bob, 'cred-a')).toBeNull();
    expect((await repo.findByCredentialId('cred-a'))?.user_id).toBe(ann);
  });

  it('records a use only when the counter goes up (or stays 0 on an authenticator that keeps none); of two uses with one counter, one wins', async () => {
    const zero = (await add(ann, 'cred-zero'))!;
    expect(await repo.recordUse(zero.id, 0)).toBe(true);
    expect(await repo.recordUse(zero.id, 0)).toBe(true);

    const counted = (await add(ann, 'cred-counted', 5))!;
    expect(await repo.recordUse(counted.id, 5)).toBe(false);
    expect(await repo.recordUse(counted.id, 3)).toBe(false);
    const race = await Promise.all([repo.recordUse(counted.id, 9), repo.recordUse(counted.id, 9)]);
    expect(race.filter(Boolean)).toHaveLength(1);
    const stored = await repo.findByCredentialId('cred-counted');
    expect(stored).toMatchObject({ counter: '9', last_used_at: expect.any(Date) });
    // A counter once above 0 never goes back to "keeps none".
    expect(await repo.recordUse(counted.id, 0)).toBe(false);
  });

  it("renames and removes only the account's own passkey", async () => {
    const row = (await add(bob, 'cred-bob'))!;
    expect(await repo.rename(ann, row.id, 'Mine now')).toBeUndefined();
    expect(await uow.run((tx) => repo.delete(tx, ann, row.id))).toBeUndefined();
    expect((await repo.rename(bob, row.id, 'Laptop'))?.name).toBe('Laptop');
    expect((await uow.run((tx) => repo.delete(tx, bob, row.id)))?.id).toBe(row.id);
    expect(await repo.findByCredentialId('cred-bob')).toBeUndefined();
  });

  it('removes what was added at or after a moment (a freeze), and nothing older or of another account', async () => {
    await add(bob, 'cred-old');
    await m.db.query(`UPDATE passkeys SET created_at = now() - interval '2 hours' WHERE credential_id = 'cred-old'`);
    const since = new Date(Date.now() - 3_600_000);
    await add(bob, 'cred-new');
    const before = (await repo.listForUser(ann)).length;
    const removed = await uow.run((tx) => repo.deleteAddedSince(tx, bob, since));
    expect(removed).toHaveLength(1);
    expect((await repo.listForUser(bob)).map((p) => p.credential_id)).toEqual(['cred-old']);
    expect(await repo.listForUser(ann)).toHaveLength(before);
  });
});
