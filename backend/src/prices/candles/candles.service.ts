import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Cron, CronExpression, Interval } from '@nestjs/schedule';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { dec, type Dec } from '../../common/money/decimal';
import { AppConfig } from '../../config/config.service';
import { UnitOfWork } from '../../database/unit-of-work';
import { AssetCatalogueService, type CatalogueAsset } from '../quotes/asset-catalogue.service';
import { MarketEvents } from '../quotes/market-events';
import { MarketQuotesService, type WireQuote } from '../quotes/market-quotes.service';
import { CoinGeckoClient, CoinGeckoError, type CoinGeckoMarketChart } from '../ingestion/sources/coingecko.client';
import { amount, usd } from '../ingestion/sources/price-source';
import { simulatedHistory } from '../ingestion/sources/simulated.source';
import { CandlesRepository, type NewCandle } from './candles.repository';

export const CANDLE_INTERVALS = { '1m': 60, '5m': 300, '15m': 900, '1h': 3_600, '4h': 14_400, '1d': 86_400 } as const;
export type CandleInterval = keyof typeof CANDLE_INTERVALS;

export interface CandleRow {
  time: Date;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
}

interface OpenCandle {
  bucket: number;
  open: Dec;
  high: Dec;
  low: Dec;
  close: Dec;
  volume: string;
  source: string;
  dirty: boolean;
}

/** What `CandlesService.extremes` reads of a symbol's recorded series (USD decimal strings). */
export interface SeriesExtremes {
  /** Over the window asked for; null when no candle starts in it. */
  high: string | null;
  low: string | null;
  /** The highest high ever recorded and the start of its candle; null when none is. */
  allTimeHigh: { price: string; at: Date } | null;
}

const DAY_MS = 86_400_000;
/** Open candles are written this often (and at a minute's roll-over, and at shutdown). */
const FLUSH_EVERY_MS = 5_000;

/**
 * 1-minute OHLC candles in PostgreSQL, written by the ingesting instance
 * from the MarketEvents `ingested` batches; coarser intervals are aggregated
 * by query (CandlesRepository). Application jobs: the flush of open candles
 * (every 5 s) and the hourly retention roll-up, both @nestjs/schedule jobs.
 */
@Injectable()
export class CandlesService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Candles');
  private readonly open = new Map<string, OpenCandle>();
  private backfilled = false;
  private offIngested?: () => void;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly config: AppConfig,
    private readonly repo: CandlesRepository,
    private readonly uow: UnitOfWork,
    private readonly catalogue: AssetCatalogueService,
    private readonly quotes: MarketQuotesService,
    private readonly events: MarketEvents,
    private readonly coingecko: CoinGeckoClient,
  ) {}

  onModuleInit(): void {
    this.offIngested = this.events.on('ingested', (batch) => this.record(batch));
  }

  async onApplicationShutdown(): Promise<void> {
    this.offIngested?.();
    await this.flush();
  }

  /** Folds the leader's accepted quotes into the open 1-minute candles. */
  record(batch: readonly WireQuote[]): void {
    let rolled = false;
    for (const q of batch) {
      const at = Date.parse(q.timestamp);
      const bucket = Math.floor(at / 60_000) * 60_000;
      const price = dec(q.price);
      const volume = q.volume24h ? amount(dec(q.volume24h).div(1_440)) : '0';
      const cur = this.open.get(q.symbol);
      if (cur && cur.bucket === bucket) {
        if (price.gt(cur.high)) cur.high = price;
        if (price.lt(cur.low)) cur.low = price;
        cur.close = price;
        cur.volume = volume;
        cur.source = q.source;
        cur.dirty = true;
      } else if (!cur || bucket > cur.bucket) {
        if (cur?.dirty) rolled = true;
        this.open.set(q.symbol, { bucket, open: price, high: price, low: price, close: price, volume, source: q.source, dirty: true });
        if (cur?.dirty) this.enqueue([this.toRow(q.symbol, cur)]);
      }
    }
    if (rolled) void this.flush();
    if (!this.backfilled) {
      // Once per process, on its first ingested tick: catch up on retention missed while no instance ran, then fill history.
      this.backfilled = true;
      void this.retention()
        .catch((e: Error) => this.logger.warn(`retention failed: ${e.message}`))
        .then(() => this.backfill())
        .catch((e: Error) => this.logger.warn(`backfill stopped: ${e.message}`));
    }
  }

  private toRow(symbol: string, c: OpenCandle): NewCandle {
    return {
      symbol,
      bucket: new Date(c.bucket),
      width: 60,
      open: usd(c.open),
      high: usd(c.high),
      low: usd(c.low),
      close: usd(c.close),
      volume: c.volume,
      source: c.source,
    };
  }

  /** Upserts every open candle that changed since the last flush. */
  @Interval('candles:flush', FLUSH_EVERY_MS)
  async flush(): Promise<void> {
    const rows: NewCandle[] = [];
    for (const [symbol, c] of this.open) {
      if (!c.dirty) continue;
      c.dirty = false;
      rows.push(this.toRow(symbol, c));
    }
    if (rows.length) this.enqueue(rows);
    await this.writing;
  }

  /** Writes run one after another, so a minute's upserts land in order. */
  private enqueue(rows: NewCandle[]): void {
    this.writing = this.writing.then(() => this.upsert(rows)).catch((e: Error) => this.logger.warn(`writing candles failed: ${e.message}`));
  }

  private upsert(rows: NewCandle[]): Promise<void> {
    return this.repo.upsert(rows);
  }

  /**
   * Candles of `interval` over [from, to), oldest first, from the database. The ingesting instance writes its open
   * candles first, so what it serves includes every tick it took; another instance serves what was written.
   */
  async candles(symbol: string, interval: CandleInterval, from: Date, to: Date): Promise<CandleRow[]> {
    await this.flush();
    const width = CANDLE_INTERVALS[interval];
    const rows = await this.repo.aggregate(symbol, width, from, to);
    return rows.map((r) => ({ time: new Date(r.time), open: usd(r.open), high: usd(r.high), low: usd(r.low), close: usd(r.close), volume: amount(r.volume) }));
  }

  /**
   * The extremes of the series `candles` serves for `symbol`: the highest high and lowest low of the candles that
   * start at or after `since`, and the highest high of all of them with the start of the candle that made it.
   */
  async extremes(symbol: string, since: Date): Promise<SeriesExtremes> {
    await this.flush();
    const r = await this.repo.extremes(symbol, since);
    return {
      high: r.high === null ? null : usd(r.high),
      low: r.low === null ? null : usd(r.low),
      allTimeHigh: r.allTimeHigh === null || !r.allTimeHighAt ? null : { price: usd(r.allTimeHigh), at: r.allTimeHighAt },
    };
  }

  /** For each symbol with candles since `since`: their highest high and lowest low (`extremes` for many symbols at once). */
  async recentExtremes(symbols: readonly string[], since: Date): Promise<Map<string, { high: string; low: string }>> {
    await this.flush();
    const out = new Map<string, { high: string; low: string }>();
    for (const r of await this.repo.recentExtremes(symbols, since)) {
      if (r.high !== null && r.low !== null) out.set(r.symbol, { high: usd(r.high), low: usd(r.low) });
    }
    return out;
  }

  /**
   * History for the charts of a fresh install: from CoinGecko `market_chart`
   * when that source is configured, else a simulated path (labelled
   * `simulated`) when the simulated source is. Only the time before the
   * oldest stored candle is filled: 5-minute candles for the last day,
   * hourly to 90 days, daily to 365 days (CoinGecko's own granularity).
   */
  async backfill(): Promise<void> {
    if (!this.config.values.candleHistoryBackfill) return;
    const sources = this.config.values.priceSources;
    const kind = sources.includes('coingecko') ? 'coingecko' : sources.includes('simulated') ? 'simulated' : null;
    if (!kind) return;
    for (const asset of this.catalogue.list()) {
      // Requests first, between assets: the embedded database (PGlite) answers in-process without I/O, so a chain of
      // its queries never returns to the event loop, and a fresh install's backfill (every asset's year of candles,
      // right after the first tick) held every request, /health included, for seconds of its first start.
      await yieldToLoop();
      if (!this.quotes.isLeader()) return;
      const oldest = await this.repo.oldest(asset.symbol);
      const now = Date.now();
      const end = oldest ? oldest.getTime() : Math.floor(now / 60_000) * 60_000;
      if (end <= now - 364 * DAY_MS) continue;
      const ranges = backfillRanges(now, end);
      const rows = kind === 'coingecko' ? await this.coingeckoHistory(asset, ranges) : this.simulatedHistoryRows(asset, ranges);
      if (rows.length) await this.repo.insertIfAbsent(rows);
    }
    this.logger.log(`history backfilled from ${kind}`);
  }

  private simulatedHistoryRows(asset: CatalogueAsset, ranges: BackfillRange[]): NewCandle[] {
    let endPrice = this.quotes.latest(asset.symbol)?.price;
    if (!endPrice) return [];
    const rows: NewCandle[] = [];
    // Newest range first, each ending where the finer one begins.
    for (const r of ranges) {
      const candles = simulatedHistory(
        asset.symbol,
        endPrice,
        r.from,
        r.to,
        r.width,
        Math.max(this.config.values.simulatedVolatility, 0.3),
        asset.rank * 7919 + r.width,
      );
      if (candles.length) endPrice = candles[0].open;
      for (const c of candles)
        rows.push({
          symbol: asset.symbol,
          bucket: c.bucket,
          width: r.width,
          open: c.open,
          high: c.high,
          low: c.low,
          close: c.close,
          volume: c.volume,
          source: 'simulated',
        });
    }
    return rows;
  }

  private async coingeckoHistory(asset: CatalogueAsset, ranges: BackfillRange[]): Promise<NewCandle[]> {
    const rows: NewCandle[] = [];
    const spacing = Math.min(3_000, Math.floor(this.config.values.coingeckoPollMs / 4));
    for (const r of ranges) {
      if (r.to <= r.from) continue;
      // CoinGecko picks the granularity from `days`: 1 → 5-minutely, 2–90 → hourly, more → daily.
      const days = r.width === 300 ? 1 : r.width === 3_600 ? 90 : 365;
      const chart = await this.chartWithRetry(asset.coingeckoId, days, spacing);
      const volumes = new Map((chart.total_volumes ?? []).map(([t, v]) => [Math.floor(t / (r.width * 1000)), v]));
      const buckets = new Map<number, { open: Dec; high: Dec; low: Dec; close: Dec }>();
      for (const [t, p] of chart.prices) {
        const bucket = Math.floor(t / (r.width * 1000)) * r.width * 1000;
        if (bucket < r.from || bucket + r.width * 1000 > r.to) continue;
        const price = dec(p);
        const b = buckets.get(bucket);
        if (!b) buckets.set(bucket, { open: price, high: price, low: price, close: price });
        else {
          if (price.gt(b.high)) b.high = price;
          if (price.lt(b.low)) b.low = price;
          b.close = price;
        }
      }
      for (const [bucket, b] of buckets) {
        const vol24 = volumes.get(bucket / (r.width * 1000));
        rows.push({
          symbol: asset.symbol,
          bucket: new Date(bucket),
          width: r.width,
          open: usd(b.open),
          high: usd(b.high),
          low: usd(b.low),
          close: usd(b.close),
          volume: vol24 !== undefined ? amount(dec(vol24).times(r.width).div(86_400)) : '0',
          source: 'coingecko',
        });
      }
    }
    return rows;
  }

  /** Paced calls; a 429 waits out its Retry-After (a few times) instead of abandoning the backfill. */
  private async chartWithRetry(id: string, days: number, spacing: number): Promise<CoinGeckoMarketChart> {
    for (let attempt = 1; ; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, spacing + this.coingecko.waitMs()));
      try {
        return await this.coingecko.marketChart(id, days);
      } catch (e) {
        if (!(e instanceof CoinGeckoError) || e.status !== 429 || attempt >= 3) throw e;
      }
    }
  }

  /**
   * Retention (leader only): 1- and 5-minute candles older than
   * CANDLE_RETENTION_DAYS are rolled into hourly candles; anything older
   * than 400 days is dropped.
   */
  @Cron(CronExpression.EVERY_HOUR)
  async retention(): Promise<void> {
    if (!this.quotes.isLeader()) return;
    const cutoff = new Date(Math.floor((Date.now() - this.config.values.candleRetentionDays * DAY_MS) / 3_600_000) * 3_600_000);
    await this.rollUp(cutoff);
  }

  /** Rolls the candles narrower than an hour before `cutoff` into hourly ones and drops those older than 400 days. */
  async rollUp(cutoff: Date): Promise<void> {
    await this.uow.run(async (tx) => {
      await this.repo.rollUpToHours(tx, cutoff);
      await this.repo.deleteBefore(tx, new Date(Date.now() - 400 * DAY_MS));
    });
  }
}

export interface BackfillRange {
  width: number;
  from: number;
  to: number;
}

/** Non-overlapping ranges ending at `end` (the oldest stored candle), newest first. */
export function backfillRanges(now: number, end: number): BackfillRange[] {
  const floorTo = (t: number, ms: number) => Math.floor(t / ms) * ms;
  const hi5 = floorTo(end, 300_000);
  // Each range starts on a boundary of the next coarser width, so the ranges join without gaps or overlaps.
  const lo5 = floorTo(Math.min(hi5, now - DAY_MS), 3_600_000);
  const lo1h = floorTo(Math.min(lo5, now - 90 * DAY_MS), DAY_MS);
  const lo1d = floorTo(Math.min(lo1h, now - 365 * DAY_MS), DAY_MS);
  return [
    { width: 300, from: lo5, to: hi5 },
    { width: 3_600, from: lo1h, to: lo5 },
    { width: 86_400, from: lo1d, to: lo1h },
  ].filter((r) => r.to > r.from);
}
