import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

/**
 * A local CoinGecko API v3 (the subset CryptoVault uses): `GET /api/v3/coins/markets`,
 * `/coins/{id}`, `/coins/{id}/market_chart`, `/ping`, with CoinGecko's JSON shapes
 * (numbers, not strings), its 429 body and Retry-After header.
 *
 *   const cg = new FakeCoinGecko(); await cg.start();
 *   startApp(suiteEnv(db.url, { PRICE_SOURCES: 'coingecko', COINGECKO_BASE_URL: cg.url, COINGECKO_POLL_MS: '200' }));
 *   cg.setPrice('bitcoin', '65000.5'); cg.setChange24h('bitcoin', '-5.5');
 *   cg.setFailure({ status: 429, retryAfterSeconds: 2 }); cg.setFailure('hang'); cg.setFailure('none');
 */
export type CoinGeckoFailure =
  | 'none'
  /** Accept the connection, never answer (the client must time out). */
  | 'hang'
  /** 200 with a body that is not JSON. */
  | 'malformed'
  /** 429 with Retry-After: 1. */
  | 429
  | 500
  | 503
  | { status: number; retryAfterSeconds?: number };

export interface FakeCoin {
  id: string;
  symbol: string;
  name: string;
  price: string;
  change24h: string;
  volume24h: string;
  marketCap: string;
  high24h: string;
  low24h: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** Date.now() when it arrived. */
  at: number;
  /** What the fake answered: an HTTP status, or 'hang'. */
  answered: number | 'hang';
}

const DEFAULT_COINS: [string, string, string, string, string][] = [
  ['bitcoin', 'btc', 'Bitcoin', '104250', '38412000000'],
  ['ethereum', 'eth', 'Ethereum', '3870.25', '21760000000'],
  ['tether', 'usdt', 'Tether', '1.0002', '72150000000'],
  ['ripple', 'xrp', 'XRP', '2.413', '3120000000'],
  ['binancecoin', 'bnb', 'BNB', '712.4', '1840000000'],
  ['solana', 'sol', 'Solana', '198.35', '4730000000'],
  ['usd-coin', 'usdc', 'USDC', '0.9999', '9860000000'],
  ['dogecoin', 'doge', 'Dogecoin', '0.2142', '1610000000'],
  ['cardano', 'ada', 'Cardano', '0.8215', '712000000'],
  ['chainlink', 'link', 'Chainlink', '19.85', '684000000'],
  ['avalanche-2', 'avax', 'Avalanche', '31.62', '512000000'],
  ['stellar', 'xlm', 'Stellar', '0.3952', '238000000'],
  ['litecoin', 'ltc', 'Litecoin', '104.7', '596000000'],
  ['polkadot', 'dot', 'Polkadot', '5.42', '231000000'],
  ['uniswap', 'uni', 'Uniswap', '11.2', '318000000'],
  ['near', 'near', 'NEAR Protocol', '4.12', '289000000'],
  ['polygon-ecosystem-token', 'pol', 'POL (ex-MATIC)', '0.318', '142000000'],
  ['cosmos', 'atom', 'Cosmos Hub', '5.91', '118000000'],
  ['arbitrum', 'arb', 'Arbitrum', '0.611', '246000000'],
  ['optimism', 'op', 'Optimism', '1.18', '151000000'],
];

const DECIMAL = /^\d+(\.\d+)?$/;
const num = (s: string): number => Number(s);

export class FakeCoinGecko {
  readonly requests: RecordedRequest[] = [];
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly coins = new Map<string, FakeCoin>();
  private failure: CoinGeckoFailure = 'none';
  private port = 0;

  constructor() {
    for (const [id, symbol, name, price, volume] of DEFAULT_COINS) {
      this.coins.set(id, {
        id,
        symbol,
        name,
        price,
        change24h: '1.5',
        volume24h: volume,
        marketCap: String(Math.round(num(price) * 1e9)),
        high24h: price,
        low24h: price,
      });
    }
  }

  /** Base URL to pass as COINGECKO_BASE_URL (includes `/api/v3`). */
  get url(): string {
    return `http://127.0.0.1:${this.port}/api/v3`;
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Sets the USD price of a coin (decimal string); widens its 24h high/low to include it. */
  setPrice(coingeckoId: string, price: string): void {
    if (!DECIMAL.test(price)) throw new Error(`not a decimal price: ${price}`);
    const coin = this.coins.get(coingeckoId);
    if (!coin) throw new Error(`the fake knows no coin ${coingeckoId}`);
    coin.price = price;
    if (num(price) > num(coin.high24h)) coin.high24h = price;
    if (num(price) < num(coin.low24h)) coin.low24h = price;
  }

  /** Sets a coin's 24 h change in percent (decimal string, may be negative), as `price_change_percentage_24h`. */
  setChange24h(coingeckoId: string, percent: string): void {
    if (!/^-?\d+(\.\d+)?$/.test(percent)) throw new Error(`not a decimal percentage: ${percent}`);
    const coin = this.coins.get(coingeckoId);
    if (!coin) throw new Error(`the fake knows no coin ${coingeckoId}`);
    coin.change24h = percent;
  }

  setFailure(mode: CoinGeckoFailure): void {
    this.failure = mode;
  }

  /** Requests to a path (e.g. '/coins/markets'), oldest first. */
  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const u = new URL(req.url ?? '/', 'http://fake');
    const path = u.pathname.replace(/^\/api\/v3/, '');
    const record: RecordedRequest = { method: req.method ?? 'GET', path, query: u.searchParams, headers: req.headers, at: Date.now(), answered: 200 };
    this.requests.push(record);
    const failure = this.failure;
    if (failure === 'hang') {
      record.answered = 'hang';
      return; // the socket stays open until the client gives up or stop() destroys it
    }
    if (failure === 'malformed') return this.send(res, 200, '{"id": "bitcoin", "current_price": ', record);
    if (failure !== 'none') {
      const { status, retryAfterSeconds } = typeof failure === 'number' ? { status: failure, retryAfterSeconds: failure === 429 ? 1 : undefined } : failure;
      if (status === 429) {
        res.setHeader('Retry-After', String(retryAfterSeconds ?? 1));
        return this.send(
          res,
          429,
          JSON.stringify({
            status: {
              error_code: 429,
              error_message:
                "You've exceeded the Rate Limit. Please visit https://www.coingecko.com/en/api/pricing to subscribe to our API plans for higher rate limits.",
            },
          }),
          record,
        );
      }
      return this.send(res, status, JSON.stringify({ error: 'Internal Server Error' }), record);
    }
    if (path === '/ping') return this.send(res, 200, JSON.stringify({ gecko_says: '(V3) To the Moon!' }), record);
    if (path === '/coins/markets') return this.markets(u.searchParams, res, record);
    const chart = /^\/coins\/([^/]+)\/market_chart$/.exec(path);
    if (chart) return this.marketChart(decodeURIComponent(chart[1]), u.searchParams, res, record);
    const coin = /^\/coins\/([^/]+)$/.exec(path);
    if (coin) return this.coin(decodeURIComponent(coin[1]), res, record);
    this.send(res, 404, JSON.stringify({ error: 'Not Found' }), record);
  }

  private send(res: ServerResponse, status: number, body: string, record: RecordedRequest): void {
    record.answered = status;
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(body);
  }

  /** JSON with the price written as a JSON number literal, as CoinGecko does. */
  private marketRow(c: FakeCoin, now: string): string {
    return (
      `{"id":${JSON.stringify(c.id)},"symbol":${JSON.stringify(c.symbol)},"name":${JSON.stringify(c.name)},` +
      `"image":"https://coin-images.coingecko.com/coins/images/1/large/${c.id}.png","current_price":${c.price},` +
      `"market_cap":${c.marketCap},"market_cap_rank":1,"fully_diluted_valuation":null,"total_volume":${c.volume24h},` +
      `"high_24h":${c.high24h},"low_24h":${c.low24h},"price_change_24h":0,"price_change_percentage_24h":${c.change24h},` +
      `"market_cap_change_24h":0,"market_cap_change_percentage_24h":0,"circulating_supply":1000000000,"total_supply":1000000000,` +
      `"max_supply":null,"ath":${c.high24h},"ath_change_percentage":0,"ath_date":"2025-10-06T18:57:42.558Z","atl":0.01,` +
      `"atl_change_percentage":0,"atl_date":"2013-07-06T00:00:00.000Z","roi":null,"last_updated":${JSON.stringify(now)}}`
    );
  }

  private markets(q: URLSearchParams, res: ServerResponse, record: RecordedRequest): void {
    if (!q.get('vs_currency')) return this.send(res, 400, JSON.stringify({ error: 'Missing parameter vs_currency' }), record);
    const ids = q.get('ids')?.split(',').filter(Boolean);
    const coins = [...this.coins.values()].filter((c) => !ids || ids.includes(c.id));
    const now = new Date().toISOString();
    this.send(res, 200, `[${coins.map((c) => this.marketRow(c, now)).join(',')}]`, record);
  }

  private coin(id: string, res: ServerResponse, record: RecordedRequest): void {
    const c = this.coins.get(id);
    if (!c) return this.send(res, 404, JSON.stringify({ error: 'coin not found' }), record);
    const body =
      `{"id":${JSON.stringify(c.id)},"symbol":${JSON.stringify(c.symbol)},"name":${JSON.stringify(c.name)},` +
      `"description":{"en":${JSON.stringify(`${c.name} as described by the fake CoinGecko.`)}},` +
      `"image":{"thumb":"","small":"","large":"https://coin-images.coingecko.com/coins/images/1/large/${c.id}.png"},` +
      `"market_data":{"current_price":{"usd":${c.price}},"ath":{"usd":${c.high24h}},"ath_date":{"usd":"2025-10-06T18:57:42.558Z"},` +
      `"market_cap":{"usd":${c.marketCap}},"total_volume":{"usd":${c.volume24h}},"high_24h":{"usd":${c.high24h}},"low_24h":{"usd":${c.low24h}},` +
      `"price_change_percentage_24h":${c.change24h},"circulating_supply":1000000000,"total_supply":1000000000},` +
      `"last_updated":${JSON.stringify(new Date().toISOString())}}`;
    this.send(res, 200, body, record);
  }

  /** CoinGecko's automatic granularity: 5-minutely for 1 day, hourly up to 90 days, daily beyond. */
  private marketChart(id: string, q: URLSearchParams, res: ServerResponse, record: RecordedRequest): void {
    const c = this.coins.get(id);
    if (!c) return this.send(res, 404, JSON.stringify({ error: 'coin not found' }), record);
    const days = Number(q.get('days'));
    if (!q.get('vs_currency') || !Number.isFinite(days) || days <= 0) return this.send(res, 400, JSON.stringify({ error: 'invalid parameters' }), record);
    const step = days <= 1 ? 300_000 : days <= 90 ? 3_600_000 : 86_400_000;
    const now = Date.now();
    const points: string[] = [];
    const volumes: string[] = [];
    for (let t = now - days * 86_400_000; t <= now; t += step) {
      // A gentle deterministic wave around the current price (±2 %), ending at it.
      const factor = 1 + 0.02 * Math.sin((now - t) / 86_400_000);
      points.push(`[${t},${(num(c.price) * factor).toPrecision(10)}]`);
      volumes.push(`[${t},${c.volume24h}]`);
    }
    this.send(res, 200, `{"prices":[${points.join(',')}],"market_caps":[],"total_volumes":[${volumes.join(',')}]}`, record);
  }
}
