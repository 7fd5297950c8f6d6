import { Injectable, Logger } from '@nestjs/common';
import type { Quote } from '../common/market/market-quotes';
import { AppError, notFound } from '../common/errors/app-error';
import { cachedJson, type CachedJson } from '../common/http/cached-json';
import { AppConfig } from '../config/config.service';
import { AssetCatalogueService, type CatalogueAsset } from './quotes/asset-catalogue.service';
import { CANDLE_INTERVALS, CandlesService, type CandleInterval } from './candles/candles.service';
import type { CandlesResponseDto, CryptoDetailResponseDto, CryptoSummaryDto, HistoryResponseDto, PriceQuoteDto, SymbolQuoteDto } from './dto/market.dto';
import { MARKET_SNAPSHOT } from './market-snapshot';
import { MarketQuotesService, type MarketEntry } from './quotes/market-quotes.service';
import { CoinGeckoClient } from './ingestion/sources/coingecko.client';
import { amount, isNumeric, usd } from './ingestion/sources/price-source';

const DETAILS_TTL_MS = 10 * 60_000;
const MAX_CANDLES = 2_000;

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

export function toQuoteDto(q: Quote): PriceQuoteDto {
  return { price: q.price, change24h: q.change24h, timestamp: q.timestamp.toISOString(), source: q.source };
}

/** `/api/crypto/*` and `/api/prices/*`. The two hot lists are serialised once per tick, not per request. */
@Injectable()
export class PricesService {
  private readonly logger = new Logger('Prices');
  private listCache: { version: number; json: CachedJson } = { version: -1, json: cachedJson({}) };
  private pricesCache: { version: number; json: CachedJson } = { version: -1, json: cachedJson({}) };
  private readonly facts = new Map<string, { at: number; facts: Facts }>();

  constructor(
    private readonly config: AppConfig,
    private readonly catalogue: AssetCatalogueService,
    private readonly quotes: MarketQuotesService,
    private readonly candles: CandlesService,
    private readonly coingecko: CoinGeckoClient,
  ) {}

  /** JSON of CryptoListDto, with its ETag. */
  listJson(): CachedJson {
    const v = this.quotes.version();
    if (this.listCache.version !== v) {
      const cryptocurrencies: CryptoSummaryDto[] = [];
      for (const asset of this.catalogue.list()) {
        const e = this.quotes.entry(asset.symbol);
        if (e) cryptocurrencies.push(toSummary(asset, e));
      }
      this.listCache = { version: v, json: cachedJson({ cryptocurrencies }) };
    }
    return this.listCache.json;
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
    const e = this.quotes.entry(asset.symbol);
    if (!e) throw noQuoteYet(asset.symbol);
    const { image, ...facts } = await this.factsFor(asset);
    return { cryptocurrency: { ...toSummary(asset, e), ...facts, image: image ?? asset.imageUrl } };
  }

  async history(id: string, days: number): Promise<HistoryResponseDto> {
    const asset = this.find(id);
    // The granularity CoinGecko uses for the same request: 5-minutely, hourly, daily.
    const interval: CandleInterval = days <= 1 ? '5m' : days <= 90 ? '1h' : '1d';
    const to = new Date();
    const rows = await this.candles.candles(asset.symbol, interval, new Date(to.getTime() - days * 86_400_000), to);
    return { coinId: asset.coingeckoId, days, history: rows.map((r) => ({ timestamp: r.time.toISOString(), price: r.close })) };
  }

  async candleList(id: string, interval: CandleInterval, fromRaw?: string, toRaw?: string): Promise<CandlesResponseDto> {
    const asset = this.find(id);
    const widthMs = CANDLE_INTERVALS[interval] * 1000;
    const to = toRaw ? new Date(toRaw) : new Date();
    const from = fromRaw ? new Date(fromRaw) : new Date(to.getTime() - 200 * widthMs);
    if (from.getTime() >= to.getTime()) throw badRange('from must be before to');
    if ((to.getTime() - from.getTime()) / widthMs > MAX_CANDLES)
      throw badRange(`at most ${MAX_CANDLES} candles per request; narrow from/to or widen the interval`);
    const rows = await this.candles.candles(asset.symbol, interval, from, to);
    return { candles: rows.map((r) => ({ ...r, time: r.time.toISOString() })) };
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
