import { SchedulerRegistry } from '@nestjs/schedule';
import { AlertTriggerService } from '../../../backend/src/alerts/alert-trigger.service';
import { ALERTS_CHANGED_CHANNEL } from '../../../backend/src/alerts/alert.mapper';
import { AlertsRepository } from '../../../backend/src/alerts/alerts.repository';
import { WebhookOutbox } from '../../../backend/src/auth/api-keys/webhooks/webhook-outbox';
import { WebhookOutboxRepository } from '../../../backend/src/auth/api-keys/webhooks/webhook-outbox.repository';
import { AppConfig } from '../../../backend/src/config/config.service';
import { UnitOfWork } from '../../../backend/src/database/unit-of-work';
import { MailService } from '../../../backend/src/notifications/mail.service';
import { NotificationsRepository } from '../../../backend/src/notifications/notifications.repository';
import { NotificationsService } from '../../../backend/src/notifications/notifications.service';
import { UsersReaderRepository } from '../../../backend/src/auth/users/users-reader.repository';
import { UsersReader } from '../../../backend/src/auth/users/users.reader';
import { UserEventsService } from '../../../backend/src/notifications/user-events.service';
import { AssetCatalogueService } from '../../../backend/src/prices/quotes/asset-catalogue.service';
import { AssetsRepository } from '../../../backend/src/prices/quotes/assets.repository';
import { MarketEvents } from '../../../backend/src/prices/quotes/market-events';
import { MarketQuotesService, type WireQuote } from '../../../backend/src/prices/quotes/market-quotes.service';
import { MemoryPubSub } from '../../../backend/src/redis/memory-twins';
import { dec } from '../../../backend/src/common/money/decimal';
import type { Trigger } from '../../../backend/src/triggers/trigger-book';
import { TriggerEngine } from '../../../backend/src/triggers/trigger-engine';
import { mediumDatabase, MediumDatabase } from '../../support/medium';

/**
 * The trigger engine with the alerts registrant, in-process over a real
 * database: ticks on MarketEvents fire the alerts they reach, once, and the
 * owner gets the notification row.
 */
describe('TriggerEngine with price alerts (in-process, real PostgreSQL)', () => {
  let m: MediumDatabase;
  let quotes: MarketQuotesService;
  let engine: TriggerEngine;
  let pubsub: MemoryPubSub;
  let userId: string;

  const wire = (symbol: string, price: string, change24h = '0'): WireQuote => ({
    symbol,
    price,
    change24h,
    volume24h: null,
    high24h: null,
    low24h: null,
    marketCap: null,
    timestamp: new Date().toISOString(),
    source: 'simulated',
  });
  const tick = (...q: WireQuote[]) =>
    quotes.apply({ origin: quotes.instanceId, quotes: q, status: { source: 'simulated', state: 'live', lastUpdate: null } }, true);
  const alert = async (symbol: string, condition: 'above' | 'below', target: string): Promise<string> => {
    const [row] = await m.db.query<{ id: string }>(`INSERT INTO alerts (user_id, symbol, condition, target_price) VALUES ($1, $2, $3, $4) RETURNING id`, [
      userId,
      symbol,
      condition,
      target,
    ]);
    await pubsub.publish(ALERTS_CHANGED_CHANNEL, row.id);
    return row.id;
  };
  /** An alert as the API would store it, announced to the engine: a move alert, or a repeating one (cooldown in seconds). */
  const stored = async (columns: Record<string, unknown>): Promise<string> => {
    const names = Object.keys(columns);
    const [row] = await m.db.query<{ id: string }>(
      `INSERT INTO alerts (user_id, ${names.join(', ')}) VALUES ($1, ${names.map((_, i) => `$${i + 2}`).join(', ')}) RETURNING id`,
      [userId, ...Object.values(columns)],
    );
    await pubsub.publish(ALERTS_CHANGED_CHANNEL, row.id);
    return row.id;
  };
  const row = async (id: string) =>
    (await m.db.query<{ active: boolean; triggered_price: string | null }>(`SELECT active, triggered_price::text FROM alerts WHERE id = $1`, [id]))[0];
  const firings = async (id: string) =>
    (await m.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND data->'alert'->>'id' = $2`, [userId, id]))[0].n;
  const notices = async () =>
    (await m.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND type = 'alert_triggered'`, [userId]))[0].n;
  async function until(what: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 200 && !(await what()); i++) await new Promise((r) => setTimeout(r, 25));
  }
  /**
   * A kind of trigger of a test's own: levels at or above a price on one symbol, resynced every 50 ms. Its first read
   * answers at once (with `first`, a level id and price, if given); every later one is held until the test answers it
   * (`held`, in order); `finish` answers the held ones with nothing and every later one at once. Firing records the id.
   */
  function heldLevels(kind: string, symbol: string, first?: [string, string]) {
    const level = (id: string, price: string): Trigger => ({ id, symbol, direction: 'at-or-above', trigger: dec(price) });
    const held: ((rows: Trigger[]) => void)[] = [];
    const fired: string[] = [];
    let reads = 0;
    let done = false;
    const handle = engine.register<Trigger>({
      kind,
      channel: `test:${kind}`,
      resyncMs: 50,
      pileUp: 'latest',
      fireOnArm: false,
      loadArmed: () => (++reads === 1 || done ? Promise.resolve(reads === 1 && first ? [level(...first)] : []) : new Promise((resolve) => held.push(resolve))),
      changed: async () => undefined,
      fire: async (t: Trigger) => {
        fired.push(t.id);
        return null;
      },
    });
    const finish = (): void => {
      done = true;
      for (const resolve of held.splice(0)) resolve([]);
    };
    return { handle, level, held, fired, finish };
  }

  beforeAll(async () => {
    m = await mediumDatabase();
    [{ id: userId }] = await m.db.query<{ id: string }>(
      `INSERT INTO users (email, name, password_hash) VALUES ('engine-medium@example.com', 'x', 'x') RETURNING id`,
    );
    const config = new AppConfig();
    pubsub = new MemoryPubSub();
    const events = new MarketEvents();
    const catalogue = new AssetCatalogueService(new AssetsRepository(m.ds));
    await catalogue.onModuleInit();
    quotes = new MarketQuotesService(config, catalogue, pubsub, events);
    engine = new TriggerEngine(quotes, events, pubsub, config, new SchedulerRegistry());
    const notifications = new NotificationsService(
      new NotificationsRepository(m.ds),
      new UsersReader(new UsersReaderRepository(m.ds)),
      new UserEventsService(pubsub),
      new MailService(config),
    );
    const webhooks = new WebhookOutbox(new WebhookOutboxRepository());
    new AlertTriggerService(engine, new AlertsRepository(m.ds), pubsub, notifications, new UnitOfWork(m.ds), webhooks).onModuleInit();
    await engine.onApplicationBootstrap();
  });
  afterAll(async () => {
    await engine?.onApplicationShutdown();
    await m?.close();
  });

  it('acts only on the leader: a follower hears no ticks of its own and fires nothing', async () => {
    const id = await alert('ETH', 'above', '100');
    tick(wire('ETH', '150'));
    await new Promise((r) => setTimeout(r, 200));
    expect((await row(id)).active).toBe(true);
    await m.db.query(`UPDATE alerts SET active = false WHERE id = $1`, [id]);
    await pubsub.publish(ALERTS_CHANGED_CHANNEL, id);
  });

  it('on the leader, fires each alert a tick reaches once, at that price, and notifies the owner', async () => {
    quotes.setLeader(true);
    const up = await alert('BTC', 'above', '70000');
    const down = await alert('BTC', 'below', '60000');
    tick(wire('BTC', '65000'));
    tick(wire('BTC', '70000.5'));
    await until(async () => !(await row(up)).active);
    tick(wire('BTC', '71000'));
    await until(async () => (await notices()) >= 1);
    expect(await row(up)).toEqual({ active: false, triggered_price: expect.stringMatching(/^70000\.50*$/) });
    expect((await row(down)).active).toBe(true);
    expect(await notices()).toBe(1);
  });

  it('fires both sides of a spike that came and went while ticks piled up, and an alert armed beyond the fresh price at once', async () => {
    const high = await alert('SOL', 'above', '125');
    const low = await alert('SOL', 'below', '85');
    tick(wire('SOL', '100'), wire('SOL', '130'));
    tick(wire('SOL', '80'));
    tick(wire('SOL', '100'));
    await until(async () => !(await row(high)).active && !(await row(low)).active);
    expect([(await row(high)).triggered_price, (await row(low)).triggered_price].map(Number)).toEqual([130, 80]);
    // Armed when the fresh SOL price (100) already reaches it: fires without waiting for a tick.
    const already = await alert('SOL', 'below', '120');
    await until(async () => !(await row(already)).active);
    expect(Number((await row(already)).triggered_price)).toBe(100);
  });

  it('fires an alert on a 24 h move when the change reaches it, whatever the price, and not the price alerts', async () => {
    const drop = await stored({ symbol: 'ADA', kind: 'move', condition: 'down', target_price: '0.00000001', move_pct: '5' });
    const rise = await stored({ symbol: 'ADA', kind: 'move', condition: 'up', target_price: '0.00000001', move_pct: '5' });
    tick(wire('ADA', '1', '-4.99'));
    tick(wire('ADA', '0.5', '4.9'));
    await new Promise((r) => setTimeout(r, 200));
    expect([(await row(drop)).active, (await row(rise)).active]).toEqual([true, true]);
    tick(wire('ADA', '2', '-5.2'));
    await until(async () => !(await row(drop)).active);
    expect((await row(rise)).active).toBe(true);
    expect(await firings(drop)).toBe(1);
  });

  it('fires a repeating alert, keeps it armed through its cooldown whatever the ticks, then fires it again once', async () => {
    const id = await stored({ symbol: 'DOT', condition: 'above', target_price: '10', cooldown_seconds: 1 });
    tick(wire('DOT', '11'));
    await until(async () => (await firings(id)) === 1);
    for (let i = 0; i < 5; i++) tick(wire('DOT', `${12 + i}`));
    await new Promise((r) => setTimeout(r, 300));
    expect(await firings(id)).toBe(1);
    expect((await row(id)).active).toBe(true);
    // After the second of cooldown (on the database clock), the next tick that reaches it fires it again.
    await until(async () => (await m.db.query<{ due: boolean }>(`SELECT rearm_at <= now() AS due FROM alerts WHERE id = $1`, [id]))[0].due);
    tick(wire('DOT', '9'));
    await new Promise((r) => setTimeout(r, 100));
    expect(await firings(id)).toBe(1);
    tick(wire('DOT', '20'));
    await until(async () => (await firings(id)) === 2);
    tick(wire('DOT', '21'));
    await new Promise((r) => setTimeout(r, 200));
    expect(await firings(id)).toBe(2);
    expect(Number((await row(id)).triggered_price)).toBe(20);
  });

  it('fires every alert of a tick that crosses many at once (fired several at a time) exactly once, at that price', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push(await alert('LINK', 'above', `${20 + i / 100}`));
    const beyond = await alert('LINK', 'above', '30');
    tick(wire('LINK', '25'));
    await until(async () => (await m.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM alerts WHERE id = ANY($1) AND NOT active`, [ids]))[0].n === 40);
    // Ticks that reach them again change nothing: each fired once, with one notification.
    tick(wire('LINK', '26'));
    await new Promise((r) => setTimeout(r, 200));
    for (const id of ids) {
      expect(await row(id)).toEqual({ active: false, triggered_price: expect.stringMatching(/^25(\.0*)?$/) });
      expect(await firings(id)).toBe(1);
    }
    expect((await row(beyond)).active).toBe(true);
  });

  it('fires the few alerts one tick crossed together: each due one once with its webhook event, a paused one not, a cooling one kept', async () => {
    // The owner has a webhook endpoint for alert.triggered: each fired alert gets its own event and one delivery.
    const [{ id: keyId }] = await m.db.query<{ id: string }>(
      `INSERT INTO api_keys (user_id, name, public_key, scopes) VALUES ($1, 'hooks', decode(repeat('ab', 32), 'hex'), ARRAY['read']) RETURNING id`,
      [userId],
    );
    await m.db.query(
      `INSERT INTO webhook_endpoints (id, user_id, api_key_id, url, events, secret_sealed)
       VALUES (gen_random_uuid(), $1, $2, 'https://hooks.example.com/cv', ARRAY['alert.triggered'], '\\x00')`,
      [userId, keyId],
    );
    const cooling = await stored({ symbol: 'ATOM', condition: 'above', target_price: '10', cooldown_seconds: 3600 });
    tick(wire('ATOM', '11'));
    await until(async () => (await firings(cooling)) === 1);
    // Not reached by the fresh price (11), so armed without firing; then one tick (12) crosses them all.
    const due = [await alert('ATOM', 'above', '11.5'), await alert('ATOM', 'above', '11.2'), await alert('ATOM', 'above', '12')];
    // Paused behind the engine's back (no change message): the book still holds it, the database guard refuses it.
    const paused = await alert('ATOM', 'above', '11.1');
    await new Promise((r) => setTimeout(r, 200));
    await m.db.query(`UPDATE alerts SET active = false WHERE id = $1`, [paused]);
    tick(wire('ATOM', '12'));
    await until(async () => (await m.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM alerts WHERE id = ANY($1) AND NOT active`, [due]))[0].n === 3);
    await new Promise((r) => setTimeout(r, 200));
    for (const id of due) {
      expect(await row(id)).toEqual({ active: false, triggered_price: expect.stringMatching(/^12(\.0*)?$/) });
      expect(await firings(id)).toBe(1);
    }
    const events = await m.db.query<{ alert: string; deliveries: number }>(
      `SELECT e.data->>'id' AS alert, (SELECT count(*)::int FROM webhook_deliveries d WHERE d.event_id = e.id) AS deliveries
         FROM webhook_events e WHERE e.user_id = $1 AND e.type = 'alert.triggered' AND e.data->>'symbol' = 'ATOM'`,
      [userId],
    );
    expect(events.map((e) => e.alert).sort()).toEqual([cooling, ...due].sort());
    expect(events.every((e) => e.deliveries === 1)).toBe(true);
    // The repeating alert is cooling down: not fired again. The paused one: not fired, and out of the book.
    expect(await firings(cooling)).toBe(1);
    expect(await row(paused)).toEqual({ active: false, triggered_price: null });
    expect(await firings(paused)).toBe(0);
    await m.db.query(`UPDATE alerts SET active = true WHERE id = $1`, [paused]);
    tick(wire('ATOM', '12.5'));
    await new Promise((r) => setTimeout(r, 200));
    expect(await firings(paused)).toBe(0);
  });

  it('fires on a tick while a resync is reading the database, and the read does not bring back or drop what changed meanwhile', async () => {
    // A kind of trigger of this test's own (levels on LTC), whose periodic database read the test holds open.
    const { handle, level, held, fired, finish } = heldLevels('test-levels', 'LTC', ['old', '50']);
    await until(async () => held.length >= 1);
    // While the read is out: one level armed (after the read began, so not in what it returns), the loaded one disarmed.
    handle.arm(level('new', '60'));
    handle.disarm('old');
    tick(wire('LTC', '70'));
    await until(async () => fired.length >= 1);
    // The tick did not wait for the read.
    expect(fired).toEqual(['new']);
    handle.arm(level('later', '80'));
    // The read returns what the database held when it began: the disarmed level, the one since fired, and one this
    // instance never heard of (a lost change message: what the resync is for).
    held.shift()!([level('old', '50'), level('new', '60'), level('missed', '85')]);
    await new Promise((r) => setTimeout(r, 100));
    tick(wire('LTC', '90'));
    await until(async () => fired.length >= 3);
    await new Promise((r) => setTimeout(r, 100));
    expect(fired.slice(1).sort()).toEqual(['later', 'missed']);
    expect(handle.size).toBe(0);
    finish();
  });

  it('a read that began before a later one was swapped in changes nothing (a leadership reload overtaking a slow resync)', async () => {
    const { level, held, fired, finish } = heldLevels('test-overtaken', 'DOGE');
    // The periodic read is out (and held); then this instance takes the lead again: a reload in the lane, a second read.
    await until(async () => held.length >= 1);
    quotes.setLeader(false);
    quotes.setLeader(true);
    await until(async () => held.length >= 2);
    // The newer read answers first, with a level armed after the older one began (its change message lost) ...
    held[1]([level('armed-meanwhile', '0.5')]);
    await new Promise((r) => setTimeout(r, 100));
    // ... then the older one, from before it was armed: it must not take the level out again.
    held[0]([]);
    await new Promise((r) => setTimeout(r, 100));
    tick(wire('DOGE', '0.6'));
    await until(async () => fired.length >= 1);
    expect(fired).toEqual(['armed-meanwhile']);
    finish();
  });

  it('a resync compared with the book before an older read was swapped in is applied from its own read, not as stale differences', async () => {
    const { level, held, fired, finish } = heldLevels('test-compared', 'XRP', ['kept', '2']);
    await until(async () => held.length >= 1);
    // The first periodic read finds the book as it is; at once this instance takes the lead again: a reload in the
    // lane (the older read), then the next periodic read (the newer one).
    held[0]([level('kept', '2')]);
    quotes.setLeader(false);
    quotes.setLeader(true);
    await until(async () => held.length >= 3);
    // The newer read sees the level and finds nothing to change; its swap waits for the lane ...
    held[2]([level('kept', '2')]);
    await new Promise((r) => setTimeout(r, 100));
    // ... where the older read, from before the level was (re)armed, takes it out first.
    held[1]([]);
    await new Promise((r) => setTimeout(r, 100));
    // The newer read's swap comes last and must leave the book as the newer read found the database: the level armed.
    tick(wire('XRP', '3'));
    await until(async () => fired.length >= 1);
    expect(fired).toEqual(['kept']);
    finish();
  });
});
