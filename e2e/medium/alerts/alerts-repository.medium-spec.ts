import { AlertsRepository } from '../../../backend/src/alerts/alerts.repository';
import { mediumDatabase, MediumDatabase } from '../../support/medium';

describe('AlertsRepository (alerts as stored, listed and fired)', () => {
  let m: MediumDatabase;
  let repo: AlertsRepository;
  let userId: string;
  let otherId: string;

  const user = async (email: string) =>
    (await m.db.query<{ id: string }>(`INSERT INTO users (email, name, password_hash) VALUES ($1, 'x', 'x') RETURNING id`, [email]))[0].id;
  const create = (symbol: string, condition: 'above' | 'below', targetPrice: string, owner = userId) =>
    m.ds.transaction((tx) => repo.insert(tx, { userId: owner, symbol, condition, targetPrice, notifyEmail: false, notifyPush: true }));

  beforeAll(async () => {
    m = await mediumDatabase();
    repo = new AlertsRepository(m.ds);
    userId = await user('alerts-medium@example.com');
    otherId = await user('alerts-medium-other@example.com');
  });
  afterAll(() => m?.close());

  it('fires an alert once, only while armed and only when the price reaches its target', async () => {
    const a = await create('BTC', 'above', '70000');
    expect(await repo.fireIfReached(a.id, 'BTC', '69999.99999999')).toBeUndefined();
    expect(await repo.fireIfReached(a.id, 'ETH', '80000')).toBeUndefined();
    const fired = await repo.fireIfReached(a.id, 'BTC', '70000.5');
    expect(fired).toMatchObject({ id: a.id, active: false });
    expect(Number(fired!.triggered_price)).toBe(70000.5);
    expect(await repo.fireIfReached(a.id, 'BTC', '71000')).toBeUndefined();
    expect(await repo.armed(a.id)).toBeUndefined();
    const b = await create('BTC', 'below', '0.25');
    expect(await repo.fireIfReached(b.id, 'BTC', '0.25000001')).toBeUndefined();
    expect(await repo.fireIfReached(b.id, 'BTC', '0.25')).toMatchObject({ id: b.id });
  });

  it('lists a user own alerts newest first, by filter and keyset, and never another user', async () => {
    const mine = [await create('SOL', 'above', '1'), await create('SOL', 'below', '2'), await create('DOGE', 'above', '3')];
    await create('SOL', 'above', '4', otherId);
    const sol = await repo.list(userId, { symbol: 'SOL', limit: 10 });
    expect(sol.map((r) => r.id)).toEqual([mine[1].id, mine[0].id]);
    const [first] = await repo.list(userId, { active: true, limit: 1 });
    const rest = await repo.list(userId, { active: true, before: { createdAt: first.created_at, id: first.id }, limit: 100 });
    expect(rest.map((r) => r.id)).not.toContain(first.id);
    expect(rest.every((r) => r.user_id === userId && r.active)).toBe(true);
    expect(await repo.findOwn(otherId, mine[0].id)).toBeUndefined();
    expect(await repo.deleteOwn(otherId, mine[0].id)).toBe(false);
    expect(await repo.deleteOwn(userId, mine[0].id)).toBe(true);
    expect(await repo.deleteOwn(userId, mine[0].id)).toBe(false);
  });

  it('re-arms on update, clearing when it fired, and counts and loads only armed alerts', async () => {
    const a = await create('ADA', 'above', '1');
    await repo.fireIfReached(a.id, 'ADA', '2');
    const before = await m.ds.transaction((tx) => repo.countActive(tx, userId));
    const updated = await m.ds.transaction(async (tx) => {
      expect(await repo.lockOwn(tx, userId, a.id)).toMatchObject({ active: false });
      return repo.update(tx, userId, a.id, { targetPrice: '5', active: true, rearm: true });
    });
    expect(updated).toMatchObject({ active: true, triggered_at: null, triggered_price: null, condition: 'above' });
    expect(Number(updated!.target_price)).toBe(5);
    expect(await m.ds.transaction((tx) => repo.countActive(tx, userId))).toBe(before + 1);
    expect(await m.ds.transaction((tx) => repo.update(tx, otherId, a.id, { active: false, rearm: false }))).toBeUndefined();
    const armed = await repo.allArmed();
    expect(armed.find((r) => r.id === a.id)).toMatchObject({ symbol: 'ADA', condition: 'above' });
    expect(armed.every((r) => Object.keys(r).sort().join() === 'condition,id,symbol,target_price,user_id')).toBe(true);
  });
});
