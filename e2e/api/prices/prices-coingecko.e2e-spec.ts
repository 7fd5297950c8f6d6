import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { FakeCoinGecko } from '../../support/fakes/coingecko';
import { waitFor } from '../../support/wait';

// Boots app processes and waits on real timers (leases, breakers, ticks).
jest.setTimeout(60_000);

interface Health {
  components: { prices: { source: string; state: string; ageMs: number | null; stale: boolean } };
  status: string;
}

const health = async (app: RunningApp): Promise<Health> => (await request(app.url).get('/api/health')).body as Health;

describe('prices: CoinGecko source against a fake CoinGecko', () => {
  let db: TestDatabase;
  let cg: FakeCoinGecko;
  let app: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    cg = await new FakeCoinGecko().start();
    app = await startApp(
      suiteEnv(db.url, {
        CANDLE_HISTORY_BACKFILL: 'true',
        PRICE_SOURCES: 'coingecko,simulated',
        COINGECKO_BASE_URL: cg.url,
        COINGECKO_API_KEY: 'demo-key-123',
        COINGECKO_POLL_MS: '200',
        PRICE_SOURCE_SILENCE_MS: '1500',
        PRICE_BREAKER_THRESHOLD: '2',
        PRICE_BREAKER_COOLDOWN_MS: '1000',
        PRICE_MAX_AGE_MS: '2000',
        SIMULATED_VOLATILITY: '0',
      }),
    );
  });
  afterAll(async () => {
    await app?.stop();
    await cg?.stop();
    await db?.drop();
  });

  it('serves CoinGecko quotes, polling /coins/markets with the demo key header', async () => {
    await waitFor(async () => (await health(app)).components.prices.source === 'coingecko', 10_000, 'coingecko to serve');
    const polls = cg.requestsTo('/coins/markets');
    expect(polls.length).toBeGreaterThan(0);
    expect(polls[0].headers['x-cg-demo-api-key']).toBe('demo-key-123');
    expect(polls[0].query.get('vs_currency')).toBe('usd');
    expect(polls[0].query.get('ids')!.split(',')).toEqual(expect.arrayContaining(['bitcoin', 'ethereum', 'polygon-ecosystem-token']));
    expect((await health(app)).components.prices).toMatchObject({ state: 'live', stale: false });
  });

  it('backfills history from market_chart and shows details from /coins/{id}', async () => {
    const history = await waitFor(
      async () => {
        const body = (await request(app.url).get('/api/crypto/bitcoin/history?days=90').expect(200)).body;
        return body.history.length > 24 * 80 && body;
      },
      20_000,
      'a backfilled history',
    );
    expect(history.history.at(-1).price).toMatch(/^\d+\.\d{8}$/);
    const charts = cg.requests.filter((r) => r.path === '/coins/bitcoin/market_chart').map((r) => r.query.get('days'));
    expect(charts).toEqual(expect.arrayContaining(['1', '90', '365']));
    const sources = await db.query<{ source: string; width_seconds: number }>(
      `SELECT DISTINCT source, width_seconds FROM price_candles WHERE symbol = 'BTC' AND width_seconds > 60 ORDER BY width_seconds`,
    );
    expect(sources).toEqual([
      { source: 'coingecko', width_seconds: 300 },
      { source: 'coingecko', width_seconds: 3600 },
      { source: 'coingecko', width_seconds: 86400 },
    ]);
    cg.setPrice('bitcoin', '65000.5');
    await waitFor(async () => (await request(app.url).get('/api/prices/BTC')).body.price === '65000.50000000', 5_000, 'the new price');
    const detail = (await request(app.url).get('/api/crypto/btc').expect(200)).body.cryptocurrency;
    expect(detail).toMatchObject({
      id: 'bitcoin',
      price: '65000.50000000',
      source: 'coingecko',
      description: 'Bitcoin as described by the fake CoinGecko.',
      circulatingSupply: '1000000000.00',
    });
  });

  it('fails over to the next source when CoinGecko answers 500s, and switches back when it recovers', async () => {
    cg.setFailure(500);
    await waitFor(async () => (await health(app)).components.prices.source === 'simulated', 10_000, 'failover to simulated');
    expect((await health(app)).components.prices.state).toBe('failover');
    cg.setFailure('none');
    await waitFor(async () => (await health(app)).components.prices.source === 'coingecko', 15_000, 'switch back to coingecko');
    expect((await health(app)).components.prices.state).toBe('live');
  });

  it('fails over when CoinGecko stops answering (requests hang)', async () => {
    cg.setFailure('hang');
    await waitFor(async () => (await health(app)).components.prices.source === 'simulated', 10_000, 'failover on silence');
    cg.setFailure('none');
    await waitFor(async () => (await health(app)).components.prices.source === 'coingecko', 15_000, 'switch back');
  });

  it('respects Retry-After on 429: no request reaches CoinGecko before it has elapsed', async () => {
    cg.setFailure({ status: 429, retryAfterSeconds: 2 });
    const limited = await waitFor(() => cg.requests.find((r) => r.answered === 429), 5_000, 'a 429');
    cg.setFailure('none');
    const next = await waitFor(() => cg.requests.find((r) => r.at > limited.at), 8_000, 'the next request');
    expect(next.at - limited.at).toBeGreaterThanOrEqual(2_000);
  });
});
