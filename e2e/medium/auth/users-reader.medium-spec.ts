import { UsersReaderRepository } from '../../../backend/src/auth/users/users-reader.repository';
import { UsersReader } from '../../../backend/src/auth/users/users.reader';
import { inTransaction } from '../../../backend/src/database/transaction';
import { mediumDatabase, MediumDatabase } from '../../support/medium';

describe('UsersReader (users as other domains see them)', () => {
  let m: MediumDatabase;
  let reader: UsersReader;
  const ids: string[] = [];

  beforeAll(async () => {
    m = await mediumDatabase();
    reader = new UsersReader(new UsersReaderRepository(m.ds));
    for (const email of ['ada@example.test', 'bob@example.test']) {
      const [row] = await m.db.query<{ id: string }>(`INSERT INTO users (email, name, password_hash) VALUES ($1, 'x', 'x') RETURNING id`, [email]);
      ids.push(row.id);
    }
  });
  afterAll(() => m?.close());

  it('gives the email of each known account and leaves unknown ids out', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    const emails = await reader.emails([ids[0], ids[1], ids[0], unknown]);
    expect([...emails.entries()].sort()).toEqual(
      [
        [ids[0], 'ada@example.test'],
        [ids[1], 'bob@example.test'],
      ].sort(),
    );
    expect(await reader.email(unknown)).toBeUndefined();
    expect(await reader.emails([])).toEqual(new Map());
  });

  it('tells whether an account exists, also inside a transaction, and locks its row there', async () => {
    expect(await reader.exists(ids[0])).toBe(true);
    expect(await reader.exists('00000000-0000-4000-8000-000000000001')).toBe(false);
    const seen = await inTransaction(m.ds, async (em) => [await reader.lockForUpdate(em, ids[1]), await reader.exists(ids[1], em)]);
    expect(seen).toEqual([true, true]);
    // The lock is held until the transaction ends: a second locker with NOWAIT is refused meanwhile.
    await inTransaction(m.ds, async (em) => {
      await reader.lockForUpdate(em, ids[1]);
      await expect(m.db.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE NOWAIT', [ids[1]])).rejects.toThrow(/could not obtain lock/);
    });
  });
});
