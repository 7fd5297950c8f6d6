import { WatchlistRepository } from '../../../backend/src/watchlist/watchlist.repository';
import { mediumDatabase, MediumDatabase } from '../../support/medium';

describe('WatchlistRepository (starred assets as stored and listed)', () => {
  let m: MediumDatabase;
  let repo: WatchlistRepository;
  let ann: string;
  let bob: string;

  const user = async (email: string) =>
    (await m.db.query<{ id: string }>(`INSERT INTO users (email, name, password_hash) VALUES ($1, 'x', 'x') RETURNING id`, [email]))[0].id;
  const add = (userId: string, symbol: string) => m.ds.transaction((tx) => repo.add(tx, userId, symbol));
  const symbols = async (userId: string) => (await repo.list(userId)).map((r) => r.symbol);

  beforeAll(async () => {
    m = await mediumDatabase();
    repo = new WatchlistRepository(m.ds);
    [ann, bob] = [await user('watchlist-ann@example.com'), await user('watchlist-bob@example.com')];
  });
  afterAll(() => m?.close());

  it('keeps the order assets were starred in, and stars one asset once however often', async () => {
    expect(await add(ann, 'SOL')).toBe(true);
    expect(await add(ann, 'BTC')).toBe(true);
    expect(await add(ann, 'ETH')).toBe(true);
    expect(await add(ann, 'SOL')).toBe(false);
    expect(await symbols(ann)).toEqual(['SOL', 'BTC', 'ETH']);
    expect(await m.ds.transaction((tx) => repo.count(tx, ann))).toBe(3);
    expect(await m.ds.transaction((tx) => repo.has(tx, ann, 'BTC'))).toBe(true);
    expect(await m.ds.transaction((tx) => repo.has(tx, ann, 'DOGE'))).toBe(false);
  });

  it('keeps each user to their own list, and unstars once', async () => {
    await add(bob, 'BTC');
    expect(await symbols(bob)).toEqual(['BTC']);
    expect(await repo.remove(bob, 'SOL')).toBe(false);
    expect(await repo.remove(bob, 'BTC')).toBe(true);
    expect(await repo.remove(bob, 'BTC')).toBe(false);
    expect(await symbols(bob)).toEqual([]);
    expect(await symbols(ann)).toEqual(['SOL', 'BTC', 'ETH']);
  });

  it('forgets a deleted account’s watchlist with it', async () => {
    const gone = await user('watchlist-gone@example.com');
    await add(gone, 'BTC');
    await m.db.query(`DELETE FROM users WHERE id = $1`, [gone]);
    expect(await m.db.query(`SELECT 1 FROM watchlist_items WHERE user_id = $1`, [gone])).toEqual([]);
  });
});
