import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { MarketQuotes, Quote } from '../../common/market/market-quotes';
import { AppConfig } from '../../config/config.service';
import type { PriceFreshness } from '../../health/price-freshness';
import { PUB_SUB, type PubSub } from '../../redis/redis.interfaces';
import { AssetCatalogueService } from './asset-catalogue.service';
import { MarketEvents } from './market-events';
import type { FeedStatus, MarketStats, WireQuote } from './wire-quote';

export const PRICE_TICKS_CHANNEL = 'prices:ticks';

export type { FeedStatus, MarketStats, WireQuote } from './wire-quote';

/** One tick as published on PUB_SUB by the ingesting instance. */
export interface TickMessage {
  origin: string;
  quotes: WireQuote[];
  status: FeedStatus;
}

export interface MarketEntry {
  quote: Quote;
  stats: MarketStats;
}

/**
 * The latest quote per asset on THIS instance, kept from the ticks every
 * instance receives over PUB_SUB (the leader applies its own ticks directly).
 * Implements MARKET_QUOTES and PRICE_FRESHNESS; announces what changed on
 * MarketEvents (`updated`, `ticks`, `leadership`).
 */
@Injectable()
export class MarketQuotesService implements MarketQuotes, PriceFreshness, OnModuleInit, OnModuleDestroy {
  readonly instanceId = randomUUID();
  private readonly logger = new Logger('MarketQuotes');
  private readonly entries = new Map<string, MarketEntry>();
  private feedStatus: FeedStatus = { source: 'none', state: 'starting', lastUpdate: null };
  private newest = 0;
  private leader = false;
  private tickVersion = 0;
  private unsubscribe?: () => Promise<void>;

  constructor(
    private readonly config: AppConfig,
    private readonly catalogue: AssetCatalogueService,
    @Inject(PUB_SUB) private readonly pubsub: PubSub,
    private readonly events: MarketEvents,
  ) {}

  async onModuleInit(): Promise<void> {
    this.unsubscribe = await this.pubsub.subscribe(PRICE_TICKS_CHANNEL, (raw) => {
      try {
        const msg = JSON.parse(raw) as TickMessage;
        if (msg.origin !== this.instanceId) this.apply(msg, false);
      } catch (e) {
        this.logger.warn(`ignoring a malformed tick: ${(e as Error).message}`);
      }
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.unsubscribe?.().catch(() => undefined);
  }

  /**
   * Applies a tick: every instance for PUB_SUB ticks; `local` for the leader's
   * own ingestion. Then `updated` (every instance) and, for the leader's own
   * tick, `ticks` go out on MarketEvents.
   */
  apply(msg: TickMessage, local: boolean): void {
    const changed: string[] = [];
    const fresh: Quote[] = [];
    for (const w of msg.quotes) {
      if (!this.catalogue.bySymbolOrUndefined(w.symbol)) continue;
      const timestamp = new Date(w.timestamp);
      const quote: Quote = { symbol: w.symbol, price: w.price, change24h: w.change24h, timestamp, source: w.source };
      // A source that streams prices only (CoinCap) sends no stats: keep the last real ones, never simulated ones.
      const prev = this.entries.get(w.symbol);
      const keep = prev && (prev.quote.source !== 'simulated' || w.source === 'simulated') ? prev.stats : undefined;
      const stats: MarketStats = {
        volume24h: w.volume24h ?? keep?.volume24h ?? null,
        high24h: w.high24h ?? keep?.high24h ?? null,
        low24h: w.low24h ?? keep?.low24h ?? null,
        marketCap: w.marketCap ?? keep?.marketCap ?? null,
      };
      this.entries.set(w.symbol, { quote, stats });
      if (timestamp.getTime() > this.newest) this.newest = timestamp.getTime();
      changed.push(w.symbol);
      fresh.push(quote);
    }
    this.feedStatus = { ...msg.status, lastUpdate: this.newest ? new Date(this.newest).toISOString() : null };
    this.tickVersion++;
    if (local && this.leader && fresh.length) this.events.emit('ticks', fresh);
    this.events.emit('updated', changed);
  }

  /** Set by the ingestion as it takes or leaves the lease; announced as `leadership`. */
  setLeader(leader: boolean): void {
    if (this.leader === leader) return;
    this.leader = leader;
    this.events.emit('leadership', leader);
  }

  latest(symbol: string): Quote | undefined {
    if (typeof symbol !== 'string') return undefined;
    return this.entries.get(symbol.toUpperCase())?.quote;
  }

  all(): Quote[] {
    return [...this.entries.values()].map((e) => e.quote);
  }

  entry(symbol: string): MarketEntry | undefined {
    return this.entries.get(symbol.toUpperCase());
  }

  isKnown(symbol: string): boolean {
    return typeof symbol === 'string' && this.catalogue.bySymbolOrUndefined(symbol) !== undefined;
  }

  isLeader(): boolean {
    return this.leader;
  }

  status(): FeedStatus {
    return this.feedStatus;
  }

  /** Increments once per applied tick: lets readers cache what they derive from the quotes. */
  version(): number {
    return this.tickVersion;
  }

  freshness(): { source: string; state: string; ageMs: number | null; stale: boolean } {
    const ageMs = this.newest ? Math.max(0, Date.now() - this.newest) : null;
    return { source: this.feedStatus.source, state: this.feedStatus.state, ageMs, stale: ageMs === null || ageMs > this.config.values.priceMaxAgeMs };
  }
}
