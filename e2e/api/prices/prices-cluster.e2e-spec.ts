import Redis from 'ioredis';
import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { REDIS_URL } from '../../support/env';
import { waitFor } from '../../support/wait';
import { TestSocket, wsUrl } from '../../support/ws-client';

// Boots app processes and waits on real timers (leases, breakers, ticks).
jest.setTimeout(60_000);

type Prices = Record<string, { price: string; timestamp: string; source: string }>;
const INGESTS = 'this instance ingests prices';

/** BTC quotes (timestamp → price) a socket has received. */
function btcTicks(s: TestSocket): Map<string, string> {
  const out = new Map<string, string>();
  for (const { msg } of s.messages) {
    const btc = msg.type === 'price_update' ? (msg.prices as Prices).BTC : undefined;
    if (btc) out.set(btc.timestamp, btc.price);
  }
  return out;
}

describe('prices: two instances sharing PostgreSQL and Redis', () => {
  let db: TestDatabase;
  let a: RunningApp;
  let b: RunningApp;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = suiteEnv(db.url, { SIMULATED_VOLATILITY: '0.8', SIMULATED_SEED: '5', PRICE_LEADER_LEASE_MS: '2000', PRICE_MAX_AGE_MS: '5000' });
    a = await startApp(env);
    await waitFor(() => a.output().includes(INGESTS), 10_000, 'instance A to lead');
    b = await startApp(env);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await a?.stop();
    await b?.stop();
    await db?.drop();
  });

  it('elects exactly one ingesting instance', async () => {
    await new Promise((r) => setTimeout(r, 1_500));
    expect(a.output()).toContain(INGESTS);
    expect(b.output()).not.toContain(INGESTS);
  });

  it('delivers the same ticks to WebSocket clients of both instances, and both serve the latest quotes', async () => {
    const onA = await TestSocket.open(wsUrl(a.url, '/ws/prices'));
    const onB = await TestSocket.open(wsUrl(b.url, '/ws/prices'));
    sockets.push(onA, onB);
    await new Promise((r) => setTimeout(r, 4_000));
    const ticksA = btcTicks(onA);
    const ticksB = btcTicks(onB);
    const shared = [...ticksA.keys()].filter((t) => ticksB.has(t));
    expect(shared.length).toBeGreaterThanOrEqual(2);
    for (const t of shared) expect(ticksB.get(t)).toBe(ticksA.get(t));
    // Prices move (volatility 0.8), so equal prices at equal timestamps are the same tick.
    expect(new Set(ticksA.values()).size).toBeGreaterThan(1);

    // The non-leader answers from the cache it keeps from the published ticks.
    const fromB = (await request(b.url).get('/api/prices/BTC').expect(200)).body;
    expect(fromB.source).toBe('simulated');
    expect((await request(b.url).get('/api/health').expect(200)).body.components.prices).toMatchObject({ source: 'simulated', state: 'live', stale: false });
  });

  it('lets the other instance take over within the lease when the leader dies', async () => {
    const onB = await TestSocket.open(wsUrl(b.url, '/ws/prices'));
    sockets.push(onB);
    await onB.next((m) => m.type === 'price_update');
    await a.kill();
    const killedAt = Date.now();
    // The lease (2 s) runs out and B takes it; the bounds below only tell a hang from a slow machine.
    await waitFor(() => b.output().includes(INGESTS), 30_000, 'instance B to take over');
    // New ticks reach B's clients, stamped after the crash.
    await onB.next((m) => m.type === 'price_update' && Date.parse((m.prices as Prices).BTC?.timestamp ?? '') > killedAt, 30_000);
    const candles = await db.query<{ n: string }>(`SELECT count(*) AS n FROM price_candles WHERE width_seconds = 60 AND symbol = 'BTC'`);
    expect(Number(candles[0].n)).toBeGreaterThanOrEqual(1);
  });

  it('keeps publishing ticks after the leader loses its lease and wins it back', async () => {
    const onB = await TestSocket.open(wsUrl(b.url, '/ws/prices'));
    sockets.push(onB);
    await onB.next((m) => m.type === 'price_update');
    // The lease vanishes under the leader (an expired lease, a flushed key): its renewal fails, it
    // steps down, and with nobody else running it takes the lease again at the next election.
    const redis = new Redis(REDIS_URL);
    try {
      expect(await redis.del(`${b.env.REDIS_PREFIX}lock:prices:ingest`)).toBe(1);
    } finally {
      redis.disconnect();
    }
    await waitFor(() => b.output().includes('stops ingesting prices: lease lost'), 6_000, 'instance B to notice the lost lease');
    const lostAt = Date.now();
    await waitFor(() => b.output().split(INGESTS).length > 2, 6_000, 'instance B to lead again');
    await onB.next((m) => m.type === 'price_update' && Date.parse((m.prices as Prices).BTC?.timestamp ?? '') > lostAt, 6_000);
    expect((await request(b.url).get('/api/health').expect(200)).body.components.prices).toMatchObject({ state: 'live', stale: false });
  });
});
