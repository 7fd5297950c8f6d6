import { AlertsRepository, type NewAlert } from '../../../backend/src/alerts/alerts.repository';
import { MOVE_ALERT_TARGET_PLACEHOLDER } from '../../../backend/src/alerts/alert-rules';
import { mediumDatabase, MediumDatabase } from '../../support/medium';

describe('AlertsRepository (alerts as stored, listed and fired)', () => {
  let m: MediumDatabase;
  let repo: AlertsRepository;
  let userId: string;
  let otherId: string;

  const user = async (email: string) =>
    (await m.db.query<{ id: string }>(`INSERT INTO users (email, name, password_hash) VALUES ($1, 'x', 'x') RETURNING id`, [email]))[0].id;
  const insert = (a: Partial<NewAlert>) =>
    m.ds.transaction((tx) =>
      repo.insert(tx, {
        userId,
        symbol: 'BTC',
        kind: 'price',
        condition: 'above',
        targetPrice: '1',
        movePct: null,
        cooldownSeconds: null,
        notifyEmail: false,
        notifyPush: true,
        ...a,
      }),
    );
  const create = (symbol: string, condition: 'above' | 'below', targetPrice: string, owner = userId) =>
    insert({ symbol, condition, targetPrice, userId: owner });
  const move = (condition: 'up' | 'down', movePct: string, cooldownSeconds: number | null = null) =>
    insert({ kind: 'move', condition, targetPrice: MOVE_ALERT_TARGET_PLACEHOLDER, movePct, cooldownSeconds });

  beforeAll(async () => {
    m = await mediumDatabase();
    repo = new AlertsRepository(m.ds);
    userId = await user('alerts-medium@example.com');
    otherId = await user('alerts-medium-other@example.com');
  });
  afterAll(() => m?.close());

  it('fires an alert once, only while armed and only when the price reaches its target', async () => {
    const a = await create('BTC', 'above', '70000');
    expect(await repo.fireIfReached(a.id, 'BTC', '69999.99999999', '0')).toBeUndefined();
    expect(await repo.fireIfReached(a.id, 'ETH', '80000', '0')).toBeUndefined();
    const fired = await repo.fireIfReached(a.id, 'BTC', '70000.5', '1.25');
    expect(fired).toMatchObject({ id: a.id, active: false, rearm_at: null });
    expect([Number(fired!.triggered_price), Number(fired!.triggered_change)]).toEqual([70000.5, 1.25]);
    expect(await repo.fireIfReached(a.id, 'BTC', '71000', '0')).toBeUndefined();
    expect(await repo.armed(a.id)).toBeUndefined();
    const b = await create('BTC', 'below', '0.25');
    expect(await repo.fireIfReached(b.id, 'BTC', '0.25000001', '0')).toBeUndefined();
    expect(await repo.fireIfReached(b.id, 'BTC', '0.25', '0')).toMatchObject({ id: b.id });
  });

  it('fires an alert on a 24 h move only when the change reaches its percentage on its side, whatever the price', async () => {
    const up = await move('up', '5');
    const down = await move('down', '5');
    expect(await repo.fireIfReached(up.id, 'BTC', '1000000', '4.9999')).toBeUndefined();
    expect(await repo.fireIfReached(up.id, 'BTC', '0.00000001', '-9')).toBeUndefined();
    expect(await repo.fireIfReached(down.id, 'BTC', '0.00000001', '-4.99')).toBeUndefined();
    expect(await repo.fireIfReached(down.id, 'BTC', '1', '9')).toBeUndefined();
    expect(await repo.fireIfReached(up.id, 'BTC', '1', '5')).toMatchObject({ id: up.id, active: false, triggered_change: '5.0000' });
    expect(await repo.fireIfReached(down.id, 'BTC', '1', '-5.5')).toMatchObject({ id: down.id, active: false, triggered_change: '-5.5000' });
    // The previous release's guard (above/below against the target) never fires a move alert.
    const old = await m.db.query<{ id: string }>(
      `UPDATE alerts SET active = false WHERE id = $1 AND active
         AND ((condition = 'above' AND target_price <= $2::numeric) OR (condition = 'below' AND target_price >= $2::numeric)) RETURNING id`,
      [(await move('down', '1')).id, '0.000000001'],
    );
    expect(old).toEqual([]);
  });

  it('refuses a move alert without a percentage and a price alert with an up or down condition (the table’s own checks)', async () => {
    await expect(insert({ kind: 'move', condition: 'up', movePct: null })).rejects.toThrow(/alerts_move_pct_of_move/);
    await expect(insert({ kind: 'price', condition: 'up' })).rejects.toThrow(/alerts_condition_of_kind/);
    await expect(insert({ kind: 'move', condition: 'above', movePct: '1' })).rejects.toThrow(/alerts_condition_of_kind/);
    await expect(insert({ cooldownSeconds: 0 })).rejects.toThrow(/alerts_cooldown_positive/);
  });

  it('keeps a repeating alert armed when it fires, cooling down on the database clock, and fires it again only after', async () => {
    const a = await insert({ condition: 'above', targetPrice: '100', cooldownSeconds: 1 });
    const first = await repo.fireIfReached(a.id, 'BTC', '150', '0');
    expect(first).toMatchObject({ active: true, cooldown_seconds: 1 });
    const cooldown = (await m.db.query<{ s: string }>(`SELECT extract(epoch FROM rearm_at - triggered_at)::text AS s FROM alerts WHERE id = $1`, [a.id]))[0].s;
    expect(Number(cooldown)).toBe(1);
    expect(await repo.fireIfReached(a.id, 'BTC', '150', '0')).toBeUndefined();
    expect(await repo.armed(a.id)).toMatchObject({ id: a.id, rearm_at: first!.rearm_at });
    // As if the cooldown had passed.
    await m.db.query(`UPDATE alerts SET rearm_at = now() - interval '1 second' WHERE id = $1`, [a.id]);
    expect(await repo.fireIfReached(a.id, 'BTC', '99', '0')).toBeUndefined();
    expect(await repo.fireIfReached(a.id, 'BTC', '101', '0')).toMatchObject({ id: a.id, active: true, triggered_price: '101.00000000' });
  });

  it('fires a re-armed repeating alert once when ten firings race for it', async () => {
    const a = await insert({ condition: 'below', targetPrice: '100', cooldownSeconds: 60 });
    await m.db.query(`UPDATE alerts SET triggered_at = now() - interval '2 minutes', rearm_at = now() - interval '1 minute' WHERE id = $1`, [a.id]);
    const results = await Promise.all(Array.from({ length: 10 }, () => repo.fireIfReached(a.id, 'BTC', '90', '0')));
    expect(results.filter(Boolean)).toHaveLength(1);
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

  it('re-arms on update, clearing when it fired and its cooldown, and counts and loads only armed alerts of a kind', async () => {
    const a = await create('ADA', 'above', '1');
    await repo.fireIfReached(a.id, 'ADA', '2', '0');
    const before = await m.ds.transaction((tx) => repo.countActive(tx, userId));
    const updated = await m.ds.transaction(async (tx) => {
      expect(await repo.lockOwn(tx, userId, a.id)).toMatchObject({ active: false });
      return repo.update(tx, userId, a.id, { targetPrice: '5', cooldownSeconds: 7200, active: true, rearm: true });
    });
    expect(updated).toMatchObject({
      active: true,
      triggered_at: null,
      triggered_price: null,
      triggered_change: null,
      condition: 'above',
      cooldown_seconds: 7200,
    });
    expect(Number(updated!.target_price)).toBe(5);
    expect(await m.ds.transaction((tx) => repo.countActive(tx, userId))).toBe(before + 1);
    expect(await m.ds.transaction((tx) => repo.update(tx, otherId, a.id, { active: false, rearm: false }))).toBeUndefined();
    // A cooldown under way ends when the alert is paused; null makes it fire once again.
    await repo.fireIfReached(a.id, 'ADA', '6', '0');
    const paused = await m.ds.transaction((tx) => repo.update(tx, userId, a.id, { cooldownSeconds: null, active: false, rearm: false }));
    expect(paused).toMatchObject({ active: false, rearm_at: null, cooldown_seconds: null, triggered_price: '6.00000000' });
    await m.ds.transaction((tx) => repo.update(tx, userId, a.id, { active: true, rearm: true }));
    const prices = await repo.allArmed('price');
    expect(prices.find((r) => r.id === a.id)).toMatchObject({ symbol: 'ADA', condition: 'above', kind: 'price', rearm_at: null });
    expect(prices.every((r) => Object.keys(r).sort().join() === 'condition,id,kind,move_pct,rearm_at,symbol,target_price,user_id')).toBe(true);
    const moves = await repo.allArmed('move');
    expect(moves.length).toBeGreaterThan(0);
    expect(moves.every((r) => r.kind === 'move' && r.move_pct !== null)).toBe(true);
  });
});
