import Decimal from 'decimal.js';
import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { waitFor } from '../../support/wait';

// Boots an app process and waits for its first ticks and backfill.
jest.setTimeout(60_000);

const SYMBOLS = [
  'BTC',
  'ETH',
  'USDT',
  'XRP',
  'BNB',
  'SOL',
  'USDC',
  'DOGE',
  'ADA',
  'LINK',
  'AVAX',
  'XLM',
  'LTC',
  'DOT',
  'UNI',
  'NEAR',
  'POL',
  'ATOM',
  'ARB',
  'OP',
];

describe('prices: market data over HTTP (simulated source, frozen prices)', () => {
  let db: TestDatabase;
  let app: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startApp(suiteEnv(db.url, { CANDLE_HISTORY_BACKFILL: 'true', SIMULATED_VOLATILITY: '0', RATE_LIMIT_SCALE: '1000' }));
    await waitFor(async () => (await request(app.url).get('/api/crypto')).body.cryptocurrencies?.length === 20, 10_000, 'quotes');
  });
  afterAll(async () => {
    await app?.stop();
    await db?.drop();
  });

  it('lists the 20 assets by market cap, with decimal strings and their source', async () => {
    const res = await request(app.url)
      .get('/api/crypto')
      .expect(200)
      .expect('Content-Type', /application\/json/);
    const list = res.body.cryptocurrencies as Record<string, unknown>[];
    expect(list.map((c) => c.symbol)).toEqual(SYMBOLS);
    expect(list[0]).toEqual({
      id: 'bitcoin',
      symbol: 'BTC',
      name: 'Bitcoin',
      price: '104250.00000000',
      change24h: '1.8400',
      marketCap: '2081351250000.00',
      volume24h: '38412000000.00',
      // A simulated asset's 24 h extremes are those of its own last day of candles and the live price (see below).
      high24h: expect.stringMatching(/^\d+\.\d{8}$/),
      low24h: expect.stringMatching(/^\d+\.\d{8}$/),
      image: expect.stringMatching(/^https:\/\//),
      lastUpdated: expect.any(String),
      source: 'simulated',
    });
    for (const c of list) expect(new Decimal(c.low24h as string).lte(c.price as string) && new Decimal(c.high24h as string).gte(c.price as string)).toBe(true);
    expect(list.find((c) => c.symbol === 'POL')).toMatchObject({ id: 'polygon-ecosystem-token', price: '0.31800000' });
  });

  it('finds a coin by CoinGecko id or symbol, with supply, ATH and description, and answers 404 otherwise', async () => {
    const byId = (await request(app.url).get('/api/crypto/ethereum').expect(200)).body.cryptocurrency;
    const bySymbol = (await request(app.url).get('/api/crypto/eth').expect(200)).body.cryptocurrency;
    expect(bySymbol.id).toBe('ethereum');
    expect(byId).toMatchObject({
      symbol: 'ETH',
      price: '3870.25000000',
      circulatingSupply: '120690000',
      ath: expect.stringMatching(/^\d+\.\d{8}$/),
      athDate: expect.any(String),
      description: expect.stringContaining('Ethereum'),
    });
    // The bundled all-time high, or a higher one the simulated history made.
    expect(new Decimal(byId.ath).gte('4946.05')).toBe(true);
    const res = await request(app.url).get('/api/crypto/notacoin').expect(404);
    expect(res.body).toEqual({ statusCode: 404, error: { code: 'NOT_FOUND', message: 'No cryptocurrency notacoin' }, requestId: expect.any(String) });
    await request(app.url).get('/api/crypto/notacoin/history?days=7').expect(404);
    await request(app.url).get('/api/crypto/notacoin/candles?interval=1h').expect(404);
  });

  it('refuses days outside 1–365 and unknown candle intervals with 400 in the error shape', async () => {
    for (const days of ['0', '366', 'abc', '1.5']) {
      const res = await request(app.url).get(`/api/crypto/bitcoin/history?days=${days}`).expect(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'days' })]));
    }
    const bad = await request(app.url).get('/api/crypto/bitcoin/candles?interval=2m').expect(400);
    expect(bad.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'Choose an interval: 1m, 5m, 15m, 1h, 4h or 1d',
      details: [{ field: 'interval', message: 'Choose an interval: 1m, 5m, 15m, 1h, 4h or 1d' }],
    });
    await request(app.url).get('/api/crypto/bitcoin/candles?interval=1h&from=yesterday').expect(400);
    await request(app.url).get('/api/crypto/bitcoin/candles?interval=1m&from=2026-11-28T10:00:00Z&to=2026-11-27T10:00:00Z').expect(400);
  });

  it('answers a repeated market list with 304 Not Modified while the quotes are unchanged', async () => {
    // The lists change every tick; a tick may fall between the two requests, so a few tries are allowed.
    let status = 0;
    for (let i = 0; i < 5 && status !== 304; i++) {
      for (const path of ['/api/crypto', '/api/prices']) {
        const first = await request(app.url).get(path).expect(200);
        expect(first.headers.etag).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
        const again = await request(app.url).get(path).set('If-None-Match', first.headers.etag);
        status = again.status;
        if (status !== 304) break;
        expect(again.text).toBe('');
      }
    }
    expect(status).toBe(304);
  });

  it('serves quotes by symbol with the feed status, 404 for an unknown symbol', async () => {
    const all = (await request(app.url).get('/api/prices').expect(200)).body;
    expect(Object.keys(all.prices)).toHaveLength(20);
    expect(all.prices.SOL).toEqual({ price: '198.35000000', change24h: '3.1200', timestamp: expect.any(String), source: 'simulated' });
    expect(all.status).toEqual({ source: 'simulated', state: 'live', lastUpdate: expect.any(String) });
    expect((await request(app.url).get('/api/prices/sol').expect(200)).body).toEqual({
      symbol: 'SOL',
      price: '198.35000000',
      change24h: '3.1200',
      timestamp: expect.any(String),
      source: 'simulated',
    });
    expect((await request(app.url).get('/api/prices/NOPE').expect(404)).body.error.code).toBe('NOT_FOUND');
  });

  it('writes 1-minute candles to PostgreSQL and serves history labelled by a simulated backfill', async () => {
    const rows = await waitFor(async () => {
      const r = await db.query<{ open: string; close: string; source: string }>(
        `SELECT open, close, source FROM price_candles WHERE symbol = 'BTC' AND width_seconds = 60`,
      );
      return r.length > 0 && r;
    });
    expect(rows[0]).toEqual({ open: '104250.000000000000', close: '104250.000000000000', source: 'simulated' });
    const minute = (await request(app.url).get('/api/crypto/BTC/candles?interval=1m').expect(200)).body.candles;
    expect(minute.at(-1)).toMatchObject({ open: '104250.00000000', close: '104250.00000000' });

    const history = await waitFor(async () => {
      const body = (await request(app.url).get('/api/crypto/bitcoin/history?days=30').expect(200)).body;
      return body.history.length > 24 * 29 && body;
    });
    expect(history.coinId).toBe('bitcoin');
    expect(history.days).toBe(30);
    expect(history.history[0]).toEqual({ timestamp: expect.any(String), price: expect.stringMatching(/^\d+\.\d{8}$/) });
    const backfill = await db.query<{ source: string }>(`SELECT DISTINCT source FROM price_candles WHERE symbol = 'BTC' AND width_seconds > 60`);
    expect(backfill).toEqual([{ source: 'simulated' }]);
  });

  it('tells one story per asset: every candle within the all-time high, the 24 h high/low those of the last day, the price the last close', async () => {
    // The simulated backfill covers the year before the first tick, asset after asset.
    await waitFor(
      async () => (await db.query<{ n: string }>(`SELECT count(DISTINCT symbol) AS n FROM price_candles WHERE width_seconds = 86400`))[0].n === '20',
      30_000,
      'the simulated backfill of every asset',
    );
    const max = (values: string[]) => values.reduce((a, b) => (new Decimal(b).gt(a) ? b : a));
    const min = (values: string[]) => values.reduce((a, b) => (new Decimal(b).lt(a) ? b : a));
    type Candle = { time: string; open: string; high: string; low: string; close: string };
    const candles = async (symbol: string, query: string): Promise<Candle[]> =>
      (await request(app.url).get(`/api/crypto/${symbol}/candles?${query}`).expect(200)).body.candles as Candle[];
    for (const symbol of SYMBOLS) {
      // A 5-minute boundary may pass between the two requests and move the 24 h window: read again then.
      let coin: Record<string, string> = {};
      let lastDay: Candle[] = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        const since = new Date(Date.now() - 86_400_000).toISOString();
        coin = (await request(app.url).get(`/api/crypto/${symbol}`).expect(200)).body.cryptocurrency;
        lastDay = await candles(symbol, `interval=5m&from=${since}`);
        if (coin.high24h === max([...lastDay.map((c) => c.high), coin.price])) break;
      }
      const story = { symbol, price: coin.price, high24h: coin.high24h, low24h: coin.low24h, ath: coin.ath };
      expect(story).toEqual({
        ...story,
        high24h: max([...lastDay.map((c) => c.high), coin.price]),
        low24h: min([...lastDay.map((c) => c.low), coin.price]),
      });
      const year = await candles(symbol, `interval=1d&from=${new Date(Date.now() - 365 * 86_400_000).toISOString()}`);
      expect(year.length).toBeGreaterThan(360);
      for (const interval of ['1m', '5m', '15m', '1h', '4h', '1d']) {
        const shown = interval === '1d' ? year : await candles(symbol, `interval=${interval}`);
        expect({ symbol, interval, close: shown.at(-1)!.close }).toEqual({ symbol, interval, close: coin.price });
        const highest = max(shown.map((c) => c.high));
        expect({ symbol, interval, highest, withinAth: new Decimal(highest).lte(coin.ath) }).toEqual({ symbol, interval, highest, withinAth: true });
        expect(shown.every((c) => new Decimal(c.low).gt(0) && new Decimal(c.low).lte(c.high))).toBe(true);
      }
    }
  });

  it('aggregates stored candles into coarser intervals by query', async () => {
    // Five 1-minute candles of LINK in an hour nothing else wrote to.
    const base = Date.parse('2026-11-20T10:00:00Z');
    const ohlc = [
      ['20.0', '20.5', '19.8', '20.2', '100'],
      ['20.2', '21.0', '20.1', '20.9', '150'],
      ['20.9', '20.9', '19.5', '19.6', '200'],
      ['19.6', '20.0', '19.6', '19.9', '50'],
      ['19.9', '20.1', '19.7', '20.0', '25'],
    ];
    await db.query(`DELETE FROM price_candles WHERE symbol = 'LINK' AND bucket >= $1 AND bucket < $2`, [
      new Date(base - 3_600_000),
      new Date(base + 3_600_000),
    ]);
    for (const [i, [o, h, l, c, v]] of ohlc.entries()) {
      await db.query(
        `INSERT INTO price_candles (symbol, bucket, width_seconds, open, high, low, close, volume, source) VALUES ('LINK', $1, 60, $2, $3, $4, $5, $6, 'coingecko')`,
        [new Date(base + i * 60_000), o, h, l, c, v],
      );
    }
    const res = await request(app.url).get('/api/crypto/chainlink/candles?interval=5m&from=2026-11-20T10:00:00Z&to=2026-11-20T10:10:00Z').expect(200);
    expect(res.body.candles).toEqual([
      { time: '2026-11-20T10:00:00.000Z', open: '20.00000000', high: '21.00000000', low: '19.50000000', close: '20.00000000', volume: '525.00' },
    ]);
  });
});

describe('prices: candle retention', () => {
  let db: TestDatabase;
  let app: RunningApp;

  afterAll(async () => {
    await app?.stop();
    await db?.drop();
  });

  it('rolls 1-minute candles older than CANDLE_RETENTION_DAYS into hourly candles', async () => {
    db = await createTestDatabase();
    const hour = Math.floor((Date.now() - 3 * 86_400_000) / 3_600_000) * 3_600_000;
    const minutes = [
      ['100', '105', '99', '104', '10'],
      ['104', '110', '103', '108', '20'],
      ['108', '108', '95', '97', '30'],
    ];
    for (const [i, [o, h, l, c, v]] of minutes.entries()) {
      await db.query(
        `INSERT INTO price_candles (symbol, bucket, width_seconds, open, high, low, close, volume, source) VALUES ('SOL', $1, 60, $2, $3, $4, $5, $6, 'binance')`,
        [new Date(hour + i * 60_000), o, h, l, c, v],
      );
    }
    app = await startApp(suiteEnv(db.url, { CANDLE_HISTORY_BACKFILL: 'true', SIMULATED_VOLATILITY: '0', CANDLE_RETENTION_DAYS: '1' }));
    const rolled = await waitFor(
      async () => {
        const rows = await db.query<{ width_seconds: number; open: string; high: string; low: string; close: string; volume: string; source: string }>(
          `SELECT width_seconds, open, high, low, close, volume, source FROM price_candles WHERE symbol = 'SOL' AND bucket >= $1 AND bucket < $2`,
          [new Date(hour), new Date(hour + 3_600_000)],
        );
        return rows.length === 1 && rows[0].width_seconds === 3600 && rows;
      },
      15_000,
      'the roll-up',
    );
    expect(rolled[0]).toEqual({
      width_seconds: 3600,
      open: '100.000000000000',
      high: '110.000000000000',
      low: '95.000000000000',
      close: '97.000000000000',
      volume: '60.00000000',
      source: 'binance',
    });
    const hourly = (
      await request(app.url)
        .get(`/api/crypto/SOL/candles?interval=1h&from=${new Date(hour).toISOString()}&to=${new Date(hour + 3_600_000).toISOString()}`)
        .expect(200)
    ).body.candles;
    expect(hourly).toEqual([
      { time: new Date(hour).toISOString(), open: '100.00000000', high: '110.00000000', low: '95.00000000', close: '97.00000000', volume: '60.00' },
    ]);
  });
});
