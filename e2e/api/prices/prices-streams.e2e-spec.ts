import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { FakeBinance } from '../../support/fakes/binance';
import { FakeCoinCap } from '../../support/fakes/coincap';
import { waitFor } from '../../support/wait';

// Boots app processes and waits on real timers (leases, breakers, ticks).
jest.setTimeout(60_000);

type Quote = { price: string; change24h: string; timestamp: string; source: string };
const quote = async (app: RunningApp, symbol: string): Promise<Quote> => (await request(app.url).get('/api/prices').expect(200)).body.prices[symbol] as Quote;
const servedBy = (app: RunningApp, symbol: string, source: string, timeoutMs = 10_000) =>
  waitFor(async () => (await quote(app, symbol))?.source === source, timeoutMs, `${symbol} from ${source}`);

describe('prices: streaming sources (Binance, CoinCap) against fake servers', () => {
  let db: TestDatabase;
  let binance: FakeBinance;
  let coincap: FakeCoinCap;
  let app: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    binance = await new FakeBinance(200).start();
    coincap = await new FakeCoinCap(200).start();
    app = await startApp(
      suiteEnv(db.url, {
        PRICE_SOURCES: 'binance,coincap',
        BINANCE_WS_URL: binance.url,
        COINCAP_WS_URL: coincap.url,
        PRICE_SOURCE_SILENCE_MS: '1000',
        PRICE_BREAKER_THRESHOLD: '3',
        PRICE_BREAKER_COOLDOWN_MS: '800',
        PRICE_MAX_AGE_MS: '3000',
      }),
    );
  });
  afterAll(async () => {
    await app?.stop();
    await binance?.stop();
    await coincap?.stop();
    await db?.drop();
  });

  it('serves Binance mini-ticker prices and fills assets Binance lacks (USDT) from CoinCap, each labelled', async () => {
    await servedBy(app, 'BTC', 'binance');
    const btc = await quote(app, 'BTC');
    expect(btc.price).toBe('104251.50000000');
    // The fake's 24h open is 2 % below the last price.
    expect(btc.change24h).toBe('2.0408');
    await servedBy(app, 'USDT', 'coincap');
    expect((await quote(app, 'USDT')).price).toBe('1.00020000');
    expect(binance.attempts[0].url).toContain('/stream?streams=btcusdt@miniTicker/ethusdt@miniTicker');
    expect(coincap.attempts[0].url).toContain('assets=bitcoin,ethereum,tether');
    const list = (await request(app.url).get('/api/crypto').expect(200)).body.cryptocurrencies as { symbol: string; source: string; volume24h: string }[];
    expect(list.find((c) => c.symbol === 'ETH')).toMatchObject({ source: 'binance', volume24h: '987654321.12' });
  });

  it('fails over to CoinCap when Binance drops the connection and switches back once it is healthy again', async () => {
    await servedBy(app, 'BTC', 'binance');
    binance.disconnectAll();
    await servedBy(app, 'BTC', 'coincap', 5_000);
    expect((await quote(app, 'BTC')).price).toBe('104250.12000000');
    await servedBy(app, 'BTC', 'binance', 10_000);
  });

  it('fails over when Binance goes silent on an open connection, and back when it speaks again', async () => {
    await servedBy(app, 'BTC', 'binance');
    binance.setSilent(true);
    try {
      await servedBy(app, 'BTC', 'coincap', 5_000);
      // The feed's status follows within a tick: Binance's last frames can still be in the app's queue on a busy
      // machine (received within the silence window, so Binance still counts as live) when its BTC quote, stamped by
      // Binance's clock, is already too old and CoinCap's is served.
      const prices = await waitFor(
        async () => {
          const p = (await request(app.url).get('/api/health').expect(200)).body.components.prices as { source: string; state: string; stale: boolean };
          return p.state === 'failover' ? p : undefined;
        },
        5_000,
        'the feed to report the failover',
      );
      expect(prices).toMatchObject({ source: 'coincap', state: 'failover', stale: false });
    } finally {
      // Whatever happened above, the next tests start with Binance speaking.
      binance.setSilent(false);
    }
    await servedBy(app, 'BTC', 'binance', 10_000);
  });

  it('opens the breaker on malformed frames without crashing, then recovers', async () => {
    await servedBy(app, 'BTC', 'binance');
    const garbage = setInterval(() => {
      binance.sendRaw('{"stream":"btcusdt@miniTicker","data":{"e":"24hrMiniTicker","s":"BTCUSDT","c":"NaN"');
      binance.sendRaw('{"stream":"btcusdt@miniTicker","data":{"e":"24hrMiniTicker","E":1,"s":"BTCUSDT","c":"-5","o":"1","h":"1","l":"1","v":"1","q":"1"}}');
    }, 20);
    try {
      await servedBy(app, 'BTC', 'coincap', 5_000);
    } finally {
      clearInterval(garbage);
    }
    await servedBy(app, 'BTC', 'binance', 10_000);
    await request(app.url).get('/health').expect(200);
  });

  it('waits out Retry-After when Binance refuses the handshake with 429', async () => {
    await servedBy(app, 'BTC', 'binance');
    binance.refuseConnections({ status: 429, retryAfterSeconds: 2 });
    const since = Date.now();
    binance.disconnectAll();
    const refused = await waitFor(() => binance.attempts.find((a) => a.at >= since && a.status === 429), 5_000, 'a refused handshake');
    const next = await waitFor(() => binance.attempts.find((a) => a.at > refused.at), 8_000, 'the next handshake');
    expect(next.at - refused.at).toBeGreaterThanOrEqual(2_000);
    binance.refuseConnections(null);
    await servedBy(app, 'BTC', 'binance', 10_000);
  });
});

describe('prices: staleness in /api/health', () => {
  let db: TestDatabase;
  let coincap: FakeCoinCap;
  let app: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    coincap = await new FakeCoinCap(200).start();
    app = await startApp(
      suiteEnv(db.url, {
        PRICE_SOURCES: 'coincap',
        COINCAP_WS_URL: coincap.url,
        PRICE_SOURCE_SILENCE_MS: '800',
        PRICE_MAX_AGE_MS: '1500',
        PRICE_BREAKER_COOLDOWN_MS: '300',
      }),
    );
  });
  afterAll(async () => {
    await app?.stop();
    await coincap?.stop();
    await db?.drop();
  });

  it('reports stale prices and a degraded status when the only source stops, and recovers', async () => {
    const live = await waitFor(async () => {
      const body = (await request(app.url).get('/api/health')).body;
      return body.components.prices.source === 'coincap' && body;
    });
    expect(live.status).toBe('ok');
    coincap.setSilent(true);
    const stale = await waitFor(async () => {
      const body = (await request(app.url).get('/api/health')).body;
      return body.components.prices.stale && body;
    }, 6_000);
    expect(stale.status).toBe('degraded');
    expect(stale.components.prices).toMatchObject({ source: 'none', state: 'down', stale: true });
    expect(stale.components.prices.ageMs).toBeGreaterThan(1_500);
    const status = (await request(app.url).get('/api/prices').expect(200)).body.status;
    expect(status).toMatchObject({ source: 'none', state: 'down' });
    coincap.setSilent(false);
    await waitFor(async () => (await request(app.url).get('/api/health')).body.status === 'ok', 10_000, 'recovery');
  });
});
