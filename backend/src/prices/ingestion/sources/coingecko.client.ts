import { isNumeric } from './price-source';

/** One row of CoinGecko `GET /coins/markets` (numbers as CoinGecko sends them). */
export interface CoinGeckoMarketRow {
  id: string;
  symbol: string;
  name: string;
  image?: string;
  current_price: number | null;
  market_cap: number | null;
  total_volume: number | null;
  high_24h: number | null;
  low_24h: number | null;
  price_change_percentage_24h: number | null;
  circulating_supply?: number | null;
  total_supply?: number | null;
  ath?: number | null;
  ath_date?: string | null;
  last_updated?: string | null;
}

/** `GET /coins/{id}` (the fields we read). */
export interface CoinGeckoCoin {
  id: string;
  symbol: string;
  name: string;
  description?: { en?: string };
  image?: { large?: string };
  market_data?: {
    current_price?: { usd?: number };
    ath?: { usd?: number };
    ath_date?: { usd?: string };
    market_cap?: { usd?: number };
    total_volume?: { usd?: number };
    high_24h?: { usd?: number };
    low_24h?: { usd?: number };
    price_change_percentage_24h?: number | null;
    circulating_supply?: number | null;
    total_supply?: number | null;
  };
}

/** `GET /coins/{id}/market_chart`: `[timestampMs, value]` pairs. */
export interface CoinGeckoMarketChart {
  prices: [number, number][];
  market_caps?: [number, number][];
  total_volumes?: [number, number][];
}

export class CoinGeckoError extends Error {
  constructor(
    message: string,
    /** HTTP status; 0 for a network failure or timeout. */
    readonly status: number,
    /** From Retry-After on 429. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'CoinGeckoError';
  }
}

export interface CoinGeckoClientOptions {
  baseUrl: string;
  apiKey?: string;
  plan: 'demo' | 'pro';
  timeoutMs: number;
}

/** Retry-After is delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * CoinGecko REST v3. One client per process, so a 429 on any call holds
 * every call back until its Retry-After has elapsed.
 */
export class CoinGeckoClient {
  private notBefore = 0;

  constructor(private readonly options: CoinGeckoClientOptions) {}

  /** Milliseconds until the rate limit allows another call (0 when free). */
  waitMs(): number {
    return Math.max(0, this.notBefore - Date.now());
  }

  async markets(ids: string[]): Promise<CoinGeckoMarketRow[]> {
    const rows = await this.get<unknown>('/coins/markets', {
      vs_currency: 'usd',
      ids: ids.join(','),
      order: 'market_cap_desc',
      per_page: String(Math.min(250, Math.max(1, ids.length))),
      page: '1',
      sparkline: 'false',
      price_change_percentage: '24h',
    });
    if (!Array.isArray(rows)) throw new CoinGeckoError('/coins/markets did not answer an array', 200);
    return rows.filter((r): r is CoinGeckoMarketRow => typeof r === 'object' && r !== null && typeof (r as CoinGeckoMarketRow).id === 'string');
  }

  async coin(id: string): Promise<CoinGeckoCoin> {
    const coin = await this.get<CoinGeckoCoin>(`/coins/${encodeURIComponent(id)}`, {
      localization: 'false',
      tickers: 'false',
      market_data: 'true',
      community_data: 'false',
      developer_data: 'false',
      sparkline: 'false',
    });
    if (typeof coin !== 'object' || coin === null || typeof coin.id !== 'string') throw new CoinGeckoError(`/coins/${id} answered no coin`, 200);
    return coin;
  }

  async marketChart(id: string, days: number): Promise<CoinGeckoMarketChart> {
    const chart = await this.get<CoinGeckoMarketChart>(`/coins/${encodeURIComponent(id)}/market_chart`, { vs_currency: 'usd', days: String(days) });
    if (typeof chart !== 'object' || chart === null || !Array.isArray(chart.prices))
      throw new CoinGeckoError(`/coins/${id}/market_chart answered no prices`, 200);
    chart.prices = chart.prices.filter((p) => Array.isArray(p) && typeof p[0] === 'number' && isNumeric(p[1]));
    return chart;
  }

  private async get<T>(path: string, query: Record<string, string>): Promise<T> {
    const wait = this.waitMs();
    if (wait > 0) throw new CoinGeckoError(`rate limited for another ${wait} ms`, 429, wait);
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}${path}?${new URLSearchParams(query).toString()}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.options.apiKey) headers[this.options.plan === 'pro' ? 'x-cg-pro-api-key' : 'x-cg-demo-api-key'] = this.options.apiKey;
    let res: Response;
    try {
      res = await fetch(url, { headers, signal: AbortSignal.timeout(this.options.timeoutMs) });
    } catch (e) {
      const err = e as Error;
      throw new CoinGeckoError(err.name === 'TimeoutError' ? `no answer within ${this.options.timeoutMs} ms` : `request failed: ${err.message}`, 0);
    }
    if (res.status === 429) {
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after')) ?? 60_000;
      this.notBefore = Date.now() + retryAfterMs;
      await res.body?.cancel().catch(() => undefined);
      throw new CoinGeckoError(`429 rate limited; retry after ${retryAfterMs} ms`, 429, retryAfterMs);
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new CoinGeckoError(`HTTP ${res.status} from ${path}`, res.status);
    }
    try {
      return (await res.json()) as T;
    } catch {
      throw new CoinGeckoError(`malformed JSON from ${path}`, res.status);
    }
  }
}
