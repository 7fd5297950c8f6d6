import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../config/config.service';
import { DISTRIBUTED_LOCK, PUB_SUB, type DistributedLock, type PubSub } from '../../redis/redis.interfaces';
import { AssetCatalogueService } from '../quotes/asset-catalogue.service';
import { MarketEvents } from '../quotes/market-events';
import { CircuitBreaker } from './circuit-breaker';
import { MarketQuotesService, PRICE_TICKS_CHANNEL, type FeedStatus, type TickMessage, type WireQuote } from '../quotes/market-quotes.service';
import { CoinGeckoClient } from './sources/coingecko.client';
import type { PriceSource, SourceQuote, SourceSink } from './sources/price-source';
import { createSources } from './sources/source-factory';

const LEADER_LOCK = 'prices:ingest';
/** A leader that resigns (graceful shutdown) says so here, so the others run an election at once instead of at their next poll. */
const LEADER_RESIGNED_CHANNEL = 'prices:leader-resigned';

interface SourceState {
  source: PriceSource;
  rank: number;
  breaker: CircuitBreaker;
  startedAt: number;
  lastDataAt: number | null;
}

/**
 * Exactly one instance ingests (ARCHITECTURE §1): it holds the
 * DISTRIBUTED_LOCK lease, runs every configured source (hot standby, each
 * behind its own circuit breaker), picks per asset the quote of the first
 * healthy source in PRICE_SOURCES order, and publishes each tick on PUB_SUB.
 * Its own ticks it applies to the quotes at once and announces as
 * `ingested` on MarketEvents (the candles record them).
 */
@Injectable()
export class PriceIngestionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('PriceIngestion');
  private token: string | null = null;
  private electionTimer?: NodeJS.Timeout;
  private silenceTimer?: NodeJS.Timeout;
  private flushTimer?: NodeJS.Timeout;
  private states: SourceState[] = [];
  private readonly pending = new Map<string, WireQuote>();
  private lastStatusKey = '';
  private stopping = false;
  private electing = false;
  private electAgain = false;
  private unsubscribeResigned?: () => Promise<void>;
  private lockStoreDown = false;
  private publishFailing = false;

  constructor(
    private readonly config: AppConfig,
    private readonly catalogue: AssetCatalogueService,
    private readonly quotes: MarketQuotesService,
    @Inject(DISTRIBUTED_LOCK) private readonly lock: DistributedLock,
    @Inject(PUB_SUB) private readonly pubsub: PubSub,
    private readonly coingecko: CoinGeckoClient,
    private readonly events: MarketEvents,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    void this.election();
    this.unsubscribeResigned = await this.pubsub.subscribe(LEADER_RESIGNED_CHANNEL, () => {
      if (this.token || this.stopping) return;
      // Mid-election (its acquire may have just lost to the resigning leader): run again right after it.
      if (this.electing) this.electAgain = true;
      else {
        clearTimeout(this.electionTimer);
        void this.election();
      }
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.resign();
  }

  /** Leaves the election for good: stops the sources and releases the lease, so another instance leads at once. */
  async resign(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.electionTimer);
    await this.unsubscribeResigned?.().catch(() => undefined);
    this.unsubscribeResigned = undefined;
    const wasLeader = this.token !== null;
    await this.stepDown('shutting down');
    if (wasLeader) await this.pubsub.publish(LEADER_RESIGNED_CHANNEL, this.quotes.instanceId).catch(() => undefined);
  }

  private get leaseMs(): number {
    return this.config.values.priceLeaderLeaseMs;
  }

  private async election(): Promise<void> {
    if (this.stopping) return;
    this.electing = true;
    try {
      if (this.token) {
        if (!(await this.lock.renew(LEADER_LOCK, this.token, this.leaseMs))) {
          // Led through an outage and the store came back without the lease (a restarted Redis): take it again if it is free.
          const again = this.lockStoreDown ? await this.lock.acquire(LEADER_LOCK, this.leaseMs) : null;
          if (again) this.token = again;
          else await this.stepDown('lease lost');
        }
      } else {
        const token = await this.lock.acquire(LEADER_LOCK, this.leaseMs);
        if (token && !this.stopping) {
          this.token = token;
          this.becomeLeader();
        } else if (token) {
          // Shutdown began while acquiring: hand the lease straight back.
          await this.lock.release(LEADER_LOCK, token).catch(() => undefined);
        }
      }
      if (this.lockStoreDown) this.logger.log('leader election: lock store reachable again');
      this.lockStoreDown = false;
    } catch (e) {
      // The lock store (Redis) is unreachable. A leader keeps ingesting: nobody
      // can take a lease from a store that does not answer, and prices must not
      // go stale because the cache is down. Once the store answers again, `renew`
      // says whether the lease survived; if not (a restarted Redis lost it) the
      // leader takes it again when free, else steps down. A non-leader waits.
      // Should another instance still reach the store and lead meanwhile (a
      // partition of this instance alone), SQL guards keep fills and alerts single.
      if (!this.lockStoreDown) this.logger.warn(`leader election: lock store unreachable${this.token ? ', still ingesting' : ''}: ${(e as Error).message}`);
      this.lockStoreDown = true;
    }
    this.electing = false;
    const soon = this.electAgain && !this.token;
    this.electAgain = false;
    if (!this.stopping) this.electionTimer = setTimeout(() => void this.election(), soon ? 0 : Math.max(100, Math.floor(this.leaseMs / 3)));
  }

  private becomeLeader(): void {
    this.logger.log(`this instance ingests prices (sources: ${this.config.values.priceSources.join(' > ')})`);
    this.quotes.setLeader(true);
    const now = Date.now();
    this.states = createSources(this.config.values, this.catalogue.list(), { coingecko: this.coingecko, reference: (s) => this.quotes.latest(s) }).map(
      (source, rank) => ({
        source,
        rank,
        breaker: new CircuitBreaker(this.config.values.priceBreakerThreshold, this.config.values.priceBreakerCooldownMs),
        startedAt: now,
        lastDataAt: null,
      }),
    );
    for (const st of this.states) st.source.start(this.sinkFor(st));
    const every = Math.max(50, Math.min(1_000, Math.floor(this.config.values.priceSourceSilenceMs / 4)));
    this.silenceTimer = setInterval(() => this.checkSilence(), every);
  }

  private async stepDown(reason: string): Promise<void> {
    if (!this.token) return;
    this.logger.log(`this instance stops ingesting prices: ${reason}`);
    const token = this.token;
    this.token = null;
    this.quotes.setLeader(false);
    clearInterval(this.silenceTimer);
    clearTimeout(this.flushTimer);
    // scheduleFlush() only arms a timer when none is set: a leader that steps down
    // and later leads again must start without the cleared one, or it never flushes.
    this.flushTimer = undefined;
    this.lastStatusKey = '';
    this.pending.clear();
    const states = this.states;
    this.states = [];
    await Promise.all(states.map((st) => st.source.stop().catch(() => undefined)));
    await this.lock.release(LEADER_LOCK, token).catch(() => undefined);
  }

  private sinkFor(st: SourceState): SourceSink {
    return {
      quotes: (batch) => {
        if (!this.states.includes(st)) return;
        st.lastDataAt = Date.now();
        if (!st.breaker.success()) {
          this.publishStatusIfChanged();
          return;
        }
        for (const q of batch) if (this.accepts(st, q)) this.pending.set(q.symbol, toWire(q, st.source.name));
        if (this.pending.size) this.scheduleFlush();
        else this.publishStatusIfChanged();
      },
      error: (message) => {
        if (!this.states.includes(st)) return;
        this.logger.warn(`${st.source.name}: ${message}`);
        st.breaker.failure(message);
        this.publishStatusIfChanged();
      },
      down: (message) => {
        if (!this.states.includes(st)) return;
        this.logger.warn(`${st.source.name} down: ${message}`);
        st.breaker.trip(message);
        this.publishStatusIfChanged();
      },
    };
  }

  private healthy(st: SourceState, now = Date.now()): boolean {
    return st.breaker.state === 'closed' && st.lastDataAt !== null && now - st.lastDataAt <= st.source.silenceMs;
  }

  /**
   * Per asset: a quote is taken from the best-ranked healthy source; a lower
   * source fills in only while every better one is failed or has not quoted
   * that asset for the silence window.
   */
  private accepts(st: SourceState, q: SourceQuote): boolean {
    if (!this.catalogue.bySymbolOrUndefined(q.symbol)) return false;
    const cur = this.pending.get(q.symbol) ?? this.quotes.latest(q.symbol);
    if (!cur) return true;
    const holder = this.states.find((s) => s.source.name === cur.source);
    if (!holder || holder.rank >= st.rank) return true;
    const curAt = typeof cur.timestamp === 'string' ? Date.parse(cur.timestamp) : cur.timestamp.getTime();
    return !this.healthy(holder) || Date.now() - curAt > holder.source.silenceMs;
  }

  private checkSilence(): void {
    const now = Date.now();
    for (const st of this.states) {
      if (st.breaker.state !== 'open' && now - (st.lastDataAt ?? st.startedAt) > st.source.silenceMs) {
        this.logger.warn(`${st.source.name} silent for ${st.source.silenceMs} ms`);
        st.breaker.trip('silent');
      }
    }
    this.publishStatusIfChanged();
  }

  private status(): FeedStatus {
    const active = this.states.find((st) => this.healthy(st));
    return {
      source: active?.source.name ?? 'none',
      state: !active ? 'down' : active.rank === 0 ? 'live' : 'failover',
      lastUpdate: this.quotes.status().lastUpdate,
    };
  }

  private publishStatusIfChanged(): void {
    const s = this.status();
    if (`${s.source}/${s.state}` !== this.lastStatusKey) this.scheduleFlush();
  }

  private scheduleFlush(): void {
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, this.config.values.priceCoalesceMs);
  }

  private flush(): void {
    if (!this.token) return;
    const quotes = [...this.pending.values()];
    this.pending.clear();
    const status = this.status();
    this.lastStatusKey = `${status.source}/${status.state}`;
    const msg: TickMessage = { origin: this.quotes.instanceId, quotes, status };
    this.quotes.apply(msg, true);
    msg.status = this.quotes.status();
    this.events.emit('ingested', quotes);
    this.pubsub.publish(PRICE_TICKS_CHANNEL, JSON.stringify(msg)).then(
      () => {
        if (this.publishFailing) this.logger.log('publishing ticks again');
        this.publishFailing = false;
      },
      (e: Error) => {
        // Once per outage: a tick a second would flood the log.
        if (!this.publishFailing) this.logger.warn(`publishing ticks failed (until it works again): ${e.message}`);
        this.publishFailing = true;
      },
    );
  }
}

function toWire(q: SourceQuote, source: string): WireQuote {
  return {
    symbol: q.symbol,
    price: q.price,
    change24h: q.change24h,
    volume24h: q.volume24h,
    high24h: q.high24h,
    low24h: q.low24h,
    marketCap: q.marketCap,
    timestamp: q.timestamp.toISOString(),
    source,
  };
}
