import { NotificationsRepository } from '../../../backend/src/notifications/notifications.repository';
import { mediumDatabase, MediumDatabase } from '../../support/medium';

describe('NotificationsRepository (in-app notifications)', () => {
  let m: MediumDatabase;
  let repo: NotificationsRepository;
  let ann: string;
  let bob: string;

  beforeAll(async () => {
    m = await mediumDatabase();
    repo = new NotificationsRepository(m.ds);
    [ann, bob] = await Promise.all(
      ['ann', 'bob'].map(
        async (n) =>
          (await m.db.query<{ id: string }>(`INSERT INTO users (email, name, password_hash) VALUES ($1, 'x', 'x') RETURNING id`, [`${n}@n.test`]))[0].id,
      ),
    );
  });
  afterAll(() => m?.close());

  it('stores a notification with its data and gives it back as stored', async () => {
    const row = await repo.insert({
      userId: ann,
      type: 'order_filled',
      title: 'Filled',
      body: 'Your order filled',
      data: { orderId: 'o-1', amount: '0.00150000' },
    });
    expect(row).toMatchObject({
      user_id: ann,
      type: 'order_filled',
      title: 'Filled',
      body: 'Your order filled',
      data: { orderId: 'o-1', amount: '0.00150000' },
      read_at: null,
    });
    expect(row.created_at).toBeInstanceOf(Date);
  });

  it('pages a user’s notifications newest first, filters on read state, and counts the unread', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await repo.insert({ userId: bob, type: 'notification', title: `n${i}`, body: 'b', data: {} })).id);
    await m.db.query(
      `UPDATE notifications SET created_at = now() - make_interval(secs => 10 - n.i) FROM (SELECT unnest($1::uuid[]) AS id, generate_series(0, 3) AS i) n WHERE notifications.id = n.id`,
      [ids],
    );
    const newestFirst = [...ids].reverse();
    expect((await repo.page({ userId: bob, limit: 10 })).map((r) => r.id)).toEqual(newestFirst);
    const first = await repo.page({ userId: bob, limit: 2 });
    const last = first[1];
    expect((await repo.page({ userId: bob, before: { createdAt: new Date(last.created_at), id: last.id }, limit: 10 })).map((r) => r.id)).toEqual(
      newestFirst.slice(2),
    );
    expect(await repo.unreadCount(bob)).toBe(4);

    const read = await repo.markRead(bob, ids[1]);
    expect(read?.read_at).toBeInstanceOf(Date);
    // Marking again keeps the first read time; another user's notification is not theirs to read.
    expect((await repo.markRead(bob, ids[1]))?.read_at).toEqual(read?.read_at);
    expect(await repo.markRead(ann, ids[2])).toBeUndefined();
    expect(await repo.markRead(bob, '00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect((await repo.page({ userId: bob, read: true, limit: 10 })).map((r) => r.id)).toEqual([ids[1]]);
    expect((await repo.page({ userId: bob, read: false, limit: 10 })).map((r) => r.id)).toEqual([ids[3], ids[2], ids[0]]);
    expect(await repo.unreadCount(bob)).toBe(3);

    expect(await repo.markAllRead(bob)).toBe(3);
    expect(await repo.markAllRead(bob)).toBe(0);
    expect(await repo.unreadCount(bob)).toBe(0);
    expect(await repo.unreadCount(ann)).toBe(1);
  });
});
