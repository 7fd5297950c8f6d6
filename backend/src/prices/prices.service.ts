import { Injectable, Logger } from '@nestjs/common';
import type { Quote } from '../common/market/market-quotes';
import { AppError, notFound } from '../common/errors/app-error';
import { cachedJson, type CachedJson } from '../common/http/cached-json';
import { AppConfig } from '../config/config.service';
import { AssetCatalogueService, type CatalogueAsset } from './quotes/asset-catalogue.service';
import { CANDLE_INTERVALS, CandlesService, type CandleInterval, type CandleRow, type SeriesExtremes } from './candles/candles.service';
import type { CandlesResponseDto, CryptoDetailResponseDto, CryptoSummaryDto, HistoryResponseDto, PriceQuoteDto, SymbolQuoteDto } from './dto/market.dto';
import { MARKET_SNAPSHOT } from './market-snapshot';
import { MarketQuotesService, type MarketEntry } from './quotes/market-quotes.service';
import { CoinGeckoClient } from './ingestion/sources/coingecko.client';
import { amount, isNumeric, usd } from './ingestion/sources/price-source';
import { dec } from '../common/money/decimal';

const DETAILS_TTL_MS = 10 * 60_000;
const MAX_CANDLES = 2_000;
const DAY_MS = 86_400_000;
/** How old the list's 24 h extremes of simulated assets may be (the open candles are written every 5 s). */
const LIST_EXTREMES_MAX_AGE_MS = 5_000;

interface Facts {
  circulatingSupply: string | null;
  totalSupply: string | null;
  ath: string | null;
  athDate: string | null;
  description: string;
  image: string | null;
}

export function toSummary(asset: CatalogueAsset, e: MarketEntry): CryptoSummaryDto {
  return {
    id: asset.coingeckoId,
    symbol: asset.symbol,
    name: asset.name,
    price: e.quote.price,
    change24h: e.quote.change24h,
    marketCap: e.stats.marketCap,
    volume24h: e.stats.volume24h,
    high24h: e.stats.high24h,
    low24h: e.stats.low24h,
    image: asset.imageUrl,
    lastUpdated: e.quote.timestamp.toISOString(),
    source: e.quote.source,
  };
}

/** What the coin page shows beside the chart: the 24 h high and low, and the all-time high with its date. */
export interface SeriesStats {
  high24h: string | null;
  low24h: string | null;
  ath: string | null;
  athDate: string | null;
}

/**
 * The statistics of a simulated quote, told by the series its charts show (ARCHITECTURE §4): the 24 h high and
 * low are the extremes of the candles of the last 24 h and the live price; the all-time high is the bundled
 * (or provider's) one unless a recorded candle or the live price went higher, then that one, with its date.
 * A simulated history is a path of its own, so nothing it shows may contradict the figures beside it.
 */
export function simulatedStats(
  quote: Quote,
  lastDay: { high: string | null; low: string | null } | undefined,
  facts: { ath: string | null; athDate: string | null },
  allTimeHigh?: SeriesExtremes['allTimeHigh'],
): SeriesStats {
  const price = dec(quote.price);
  const high = lastDay?.high && dec(lastDay.high).gt(price) ? dec(lastDay.high) : price;
  const low = lastDay?.low && dec(lastDay.low).lt(price) ? dec(lastDay.low) : price;
  let ath = facts.ath === null ? null : { price: dec(facts.ath), date: facts.athDate };
  const beats = (p: ReturnType<typeof dec>) => ath === null || p.gt(ath.price);
  if (allTimeHigh && beats(dec(allTimeHigh.price))) ath = { price: dec(allTimeHigh.price), date: allTimeHigh.at.toISOString() };
  if (beats(high)) ath = { price: high, date: quote.timestamp.toISOString() };
  return { high24h: usd(high), low24h: usd(low), ath: ath && usd(ath.price), athDate: ath?.date ?? null };
}

/**
 * `rows` with the live quote as the close of the last candle: a quote inside [from, to) closes the candle of its
 * interval (widening its high or low), or opens one when none is stored yet. Candles are written a few seconds
 * behind the feed; the price on the page and the close of its chart are one figure.
 */
export function withLiveClose(rows: CandleRow[], quote: Quote | undefined, widthMs: number, from: Date, to: Date): CandleRow[] {
  const at = quote?.timestamp.getTime();
  if (!quote || at === undefined || at < from.getTime() || at >= to.getTime()) return rows;
  const bucket = Math.floor(at / widthMs) * widthMs;
  const last = rows.at(-1);
  const price = usd(quote.price);
  if (last && last.time.getTime() === bucket) {
    const p = dec(price);
    const high = p.gt(last.high) ? price : last.high;
    const low = p.lt(last.low) ? price : last.low;
    return [...rows.slice(0, -1), { ...last, high, low, close: price }];
  }
  if (last && last.time.getTime() > bucket) return rows;
  const open = last?.close ?? price;
  const [high, low] = dec(price).gt(open) ? [price, open] : [open, price];
  return [...rows, { time: new Date(bucket), open, high, low, close: price, volume: amount(0) }];
}

export function toQuoteDto(q: Quote): PriceQuoteDto {
  return { price: q.price, change24h: q.change24h, timestamp: q.timestamp.toISOString(), source: q.source };
}

/** `/api/crypto/*` and `/api/prices/*`. The two hot lists are serialised once per tick, not per request. */
@Injectable()
export class PricesService {
  private readonly logger = new Logger('Prices');
  private listCache: { quotes: number; extremes: number; json: CachedJson } = { quotes: -1, extremes: -1, json: cachedJson({}) };
  private listExtremes: { at: number; version: number; bySymbol: Map<string, { high: string; low: string }> } = { at: 0, version: 0, bySymbol: new Map() };
  private listExtremesReading?: Promise<void>;
  private pricesCache: { version: number; json: CachedJson } = { version: -1, json: cachedJson({}) };
  private readonly facts = new Map<string, { at: number; facts: Facts }>();

  constructor(
    private readonly config: AppConfig,
    private readonly catalogue: AssetCatalogueService,
    private readonly quotes: MarketQuotesService,
    private readonly candles: CandlesService,
    private readonly coingecko: CoinGeckoClient,
  ) {}

  /**
   * JSON of CryptoListDto, with its ETag: synchronously while the 24 h extremes are fresh (nearly every request: no
   * promise and no microtask on the hot read path), after reading them again when they are not.
   */
  listJson(): CachedJson | Promise<CachedJson> {
    return this.listJsonIfFresh() ?? this.refreshListExtremes().then(() => this.currentList());
  }

  /** listJson while the 24 h extremes are fresh; undefined when they are to be read again (then listJson reads them). */
  listJsonIfFresh(): CachedJson | undefined {
    return Date.now() - this.listExtremes.at < LIST_EXTREMES_MAX_AGE_MS ? this.currentList() : undefined;
  }

  private currentList(): CachedJson {
    const quotes = this.quotes.version();
    const extremes = this.listExtremes.version;
    if (this.listCache.quotes !== quotes || this.listCache.extremes !== extremes) {
      const cryptocurrencies: CryptoSummaryDto[] = [];
      for (const asset of this.catalogue.list()) {
        const e = this.quotes.entry(asset.symbol);
        if (!e) continue;
        const summary = toSummary(asset, e);
        if (e.quote.source === 'simulated') {
          const { high24h, low24h } = simulatedStats(e.quote, this.listExtremes.bySymbol.get(asset.symbol), { ath: null, athDate: null });
          Object.assign(summary, { high24h, low24h });
        }
        cryptocurrencies.push(summary);
      }
      this.listCache = { quotes, extremes, json: cachedJson({ cryptocurrencies }) };
    }
    return this.listCache.json;
  }

  /** The list's last-day extremes of the simulated assets, read again once older than LIST_EXTREMES_MAX_AGE_MS. */
  private refreshListExtremes(): Promise<void> {
    if (Date.now() - this.listExtremes.at < LIST_EXTREMES_MAX_AGE_MS) return Promise.resolve();
    this.listExtremesReading ??= (async () => {
      const symbols = this.catalogue
        .list()
        .map((a) => a.symbol)
        .filter((s) => this.quotes.latest(s)?.source === 'simulated');
      const at = Date.now();
      try {
        const bySymbol = symbols.length ? await this.candles.recentExtremes(symbols, new Date(at - DAY_MS)) : new Map();
        this.listExtremes = { at, version: this.listExtremes.version + 1, bySymbol };
      } catch (e) {
        // The list still answers (with the live price as the extremes of what could not be read) and reads again later.
        this.logger.warn(`24 h extremes for the market list: ${(e as Error).message}`);
        this.listExtremes = { at, version: this.listExtremes.version + 1, bySymbol: new Map() };
      } finally {
        this.listExtremesReading = undefined;
      }
    })();
    return this.listExtremesReading;
  }

  /** JSON of PricesResponseDto, with its ETag. */
  pricesJson(): CachedJson {
    const v = this.quotes.version();
    if (this.pricesCache.version !== v) {
      const prices: Record<string, PriceQuoteDto> = {};
      for (const asset of this.catalogue.list()) {
        const q = this.quotes.latest(asset.symbol);
        if (q) prices[asset.symbol] = toQuoteDto(q);
      }
      this.pricesCache = { version: v, json: cachedJson({ prices, status: this.quotes.status() }) };
    }
    return this.pricesCache.json;
  }

  price(symbol: string): SymbolQuoteDto {
    const asset = this.catalogue.bySymbolOrUndefined(symbol);
    const q = asset && this.quotes.latest(asset.symbol);
    if (!asset) throw notFound(`No asset with symbol ${symbol}`);
    if (!q) throw noQuoteYet(asset.symbol);
    return { symbol: asset.symbol, ...toQuoteDto(q) };
  }

  async detail(id: string): Promise<CryptoDetailResponseDto> {
    const asset = this.find(id);
    if (!this.quotes.entry(asset.symbol)) throw noQuoteYet(asset.symbol);
    const { image, ...facts } = await this.factsFor(asset);
    const extremes = this.quotes.latest(asset.symbol)?.source === 'simulated' ? await this.candles.extremes(asset.symbol, new Date(Date.now() - DAY_MS)) : null;
    // Read after the candles: the live price is then at least as new as every candle counted.
    const e = this.quotes.entry(asset.symbol)!;
    const summary = toSummary(asset, e);
    const stats = extremes && e.quote.source === 'simulated' ? simulatedStats(e.quote, extremes, facts, extremes.allTimeHigh) : {};
    return { cryptocurrency: { ...summary, ...facts, ...stats, image: image ?? asset.imageUrl } };
  }

  async history(id: string, days: number): Promise<HistoryResponseDto> {
    const asset = this.find(id);
    // The granularity CoinGecko uses for the same request: 5-minutely, hourly, daily.
    const interval: CandleInterval = days <= 1 ? '5m' : days <= 90 ? '1h' : '1d';
    const to = new Date();
    const from = new Date(to.getTime() - days * DAY_MS);
    const rows = await this.candles.candles(asset.symbol, interval, from, to);
    const closed = withLiveClose(rows, this.quotes.latest(asset.symbol), CANDLE_INTERVALS[interval] * 1000, from, to);
    return { coinId: asset.coingeckoId, days, history: closed.map((r) => ({ timestamp: r.time.toISOString(), price: r.close })) };
  }

  async candleList(id: string, interval: CandleInterval, fromRaw?: string, toRaw?: string): Promise<CandlesResponseDto> {
    const asset = this.find(id);
    const widthMs = CANDLE_INTERVALS[interval] * 1000;
    const to = toRaw ? new Date(toRaw) : new Date();
    const from = fromRaw ? new Date(fromRaw) : new Date(to.getTime() - 200 * widthMs);
    if (from.getTime() >= to.getTime()) throw badRange('Choose a start before the end');
    if ((to.getTime() - from.getTime()) / widthMs > MAX_CANDLES)
      throw badRange(`That is more than ${MAX_CANDLES.toLocaleString('en-US')} candles: choose a shorter period or a wider interval`);
    const rows = await this.candles.candles(asset.symbol, interval, from, to);
    const closed = withLiveClose(rows, this.quotes.latest(asset.symbol), widthMs, from, to);
    return { candles: closed.map((r) => ({ ...r, time: r.time.toISOString() })) };
  }

  private find(id: string): CatalogueAsset {
    const asset = this.catalogue.find(id);
    if (!asset) throw notFound(`No cryptocurrency ${id}`);
    return asset;
  }

  /** Supply, ATH and description: CoinGecko `/coins/{id}` when that source is on (cached), else the bundled snapshot. */
  private async factsFor(asset: CatalogueAsset): Promise<Facts> {
    const snap = MARKET_SNAPSHOT[asset.symbol];
    const fallback: Facts = {
      circulatingSupply: snap?.circulatingSupply ?? null,
      totalSupply: snap?.totalSupply ?? null,
      ath: snap ? usd(snap.ath) : null,
      athDate: snap?.athDate ?? null,
      description: snap?.description ?? '',
      image: null,
    };
    if (!this.config.values.priceSources.includes('coingecko')) return fallback;
    const cached = this.facts.get(asset.symbol);
    if (cached && Date.now() - cached.at < DETAILS_TTL_MS) return cached.facts;
    try {
      const coin = await this.coingecko.coin(asset.coingeckoId);
      const md = coin.market_data ?? {};
      const facts: Facts = {
        circulatingSupply: isNumeric(md.circulating_supply) ? amount(md.circulating_supply) : fallback.circulatingSupply,
        totalSupply: isNumeric(md.total_supply) ? amount(md.total_supply) : fallback.totalSupply,
        ath: isNumeric(md.ath?.usd) ? usd(md.ath.usd) : fallback.ath,
        athDate: md.ath_date?.usd ?? fallback.athDate,
        description: stripHtml(coin.description?.en ?? '') || fallback.description,
        image: coin.image?.large || null,
      };
      this.facts.set(asset.symbol, { at: Date.now(), facts });
      return facts;
    } catch (e) {
      this.logger.warn(`coin details for ${asset.coingeckoId}: ${(e as Error).message}`);
      return cached?.facts ?? fallback;
    }
  }
}

function noQuoteYet(symbol: string): AppError {
  return new AppError(503, 'SERVICE_UNAVAILABLE', `No quote for ${symbol} yet`, undefined, { 'Retry-After': '2' });
}

function badRange(message: string): AppError {
  return new AppError(400, 'VALIDATION_FAILED', message, [{ field: 'from', message }]);
}

function stripHtml(s: string): string {
  return s
    .replace(/<[^>]*>/g, '')
    .trim()
    .slice(0, 4_000);
}
