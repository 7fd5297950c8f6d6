import { getHeapStatistics } from 'node:v8';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { errorCodeOf } from '../common/filters/all-exceptions.filter';
import { MARKET_QUOTES, type MarketQuotes } from '../common/market/market-quotes';
import { PRICE_FRESHNESS, type PriceFreshness } from '../health/price-freshness';
import { type HistogramSeries, SeriesHistogram } from './series-histogram';

/** The WebSocket endpoints, as route templates (never a raw URL with a symbol in it). */
export type WsEndpoint = '/ws/prices' | '/ws/prices/:symbol' | '/ws/user';

/** What the order counters need to know about an order. */
export interface OrderFacts {
  type: string;
  side: string;
  symbol: string;
  status: string;
}

/** The last ledger reconciliation, as every instance reports it (see LedgerCheckService). */
export interface LedgerCheckResult {
  ok: boolean;
  /** Violations per invariant, every invariant listed (0 when it holds). */
  violations: Record<string, number>;
  /** When it finished, epoch ms. */
  at: number;
  durationMs: number;
}

/** The last comparison of the ledger's liabilities with the payment provider's balances (wallet's ProviderReconciliationService). */
export interface ProviderReconcileResult {
  /** ok: every asset covered; short: one is not; error: the provider could not be read. */
  status: 'ok' | 'short' | 'error';
  /** When it ran, epoch ms. */
  at: number;
  /** provider + in flight − liabilities per asset (a decimal string; negative is a shortfall). */
  differences: Record<string, string>;
}

/** The database and Redis as this instance sees them when scraped (HealthService answers it). */
export interface DependencyStatus {
  databaseUp: boolean;
  redisUp: boolean;
  /** node-postgres' pool; absent on the embedded database (one connection, no pool). */
  pool?: { max: number; total: number; idle: number; waiting: number };
}

/** Withdrawals waiting on us, per status (wallet's WithdrawalQueueGauge): pending review, or approved and not yet sent. */
export interface WithdrawalQueueLine {
  status: 'pending' | 'approved';
  count: number;
  /** Age of the oldest one: since it was requested (pending) or approved (approved); 0 when there is none. */
  oldestSeconds: number;
}

/** Requests that matched no route share one label, so a scan of random URLs cannot grow the label set. */
const UNMATCHED = 'unmatched';
const STATUS_CLASSES = ['0xx', '1xx', '2xx', '3xx', '4xx', '5xx'];
/**
 * How often the event-loop lag is sampled (prom-client's `eventLoopMonitoringPrecision`). Its
 * default of 10 ms wakes an idle process 100 times a second; ten samples a second still catch
 * every block of the loop (a late sample records how late it was) and give a scrape interval
 * of 15 s 150 samples for the percentiles.
 */
const EVENT_LOOP_SAMPLE_MS = 100;
/** A scrape-time source (a database or Redis round trip) that has not answered after this long is reported as absent (or down). */
const SOURCE_TIMEOUT_MS = 2_500;
/** The price feed's states (prices/ingestion, FeedStatus.state); each one's gauge is 1 for the current state, else 0. */
const FEED_STATES = ['starting', 'live', 'failover', 'down'];

/**
 * Why a WebSocket closed, from its close code, in three kinds: `normal` (1000, 1001 going away, 1005 no status),
 * `dropped` (1006: the connection ended without a close frame, a network drop or a heartbeat that went unanswered),
 * `other` (policy closes: unauthenticated, too many connections, a bad frame).
 */
export function wsCloseReason(code: number | undefined): 'normal' | 'dropped' | 'other' {
  if (code === 1000 || code === 1001 || code === 1005) return 'normal';
  if (code === 1006) return 'dropped';
  return 'other';
}

/**
 * `load()`, shared by the gauges that read it during one scrape: prom-client starts every metric's collect in the
 * same pass, so they all find the one load in flight; the next scrape loads again.
 */
function perScrape<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= load().finally(() => {
      pending = undefined;
    }));
}

/** `p`, or undefined when it fails or takes longer than SOURCE_TIMEOUT_MS (a scrape never waits on a dead dependency). */
function bounded<T>(p: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), SOURCE_TIMEOUT_MS).unref()));
  return Promise.race([p.catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
}

/**
 * This instance's Prometheus metrics (each instance behind the load balancer
 * exposes its own; Prometheus scrapes every one). One registry per process,
 * so the e2e suites can boot many apps without clashing names.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly httpDuration: SeriesHistogram<'method' | 'route' | 'status_class'>;
  private readonly ordersCreated: Counter<'type' | 'side'>;
  private readonly ordersFilled: Counter<'type' | 'side'>;
  private readonly ordersCancelled: Counter<'type' | 'side' | 'reason'>;
  private readonly fills: Counter<'symbol' | 'side'>;
  private readonly marketBatchSize: Histogram;
  private readonly marketBatchFallbacks: Counter;
  private readonly wsConnections: Gauge<'endpoint'>;
  private readonly wsDisconnects: Counter<'endpoint' | 'reason'>;
  private readonly httpErrors: Counter<'method' | 'route' | 'code'>;
  /**
   * The request-duration series of each matched route (Express' route object, one per route for the
   * life of the process), by method and then status class (index = status / 100): found with no
   * string built per request. Requests that matched no route, or a route mounted under a base URL, use `httpByKey`.
   */
  private readonly httpByRoute = new WeakMap<object, Map<string, HistogramSeries[]>>();
  private readonly httpByKey = new Map<string, HistogramSeries>();
  private ledgerSource?: () => Promise<LedgerCheckResult | undefined>;
  private providerSource?: () => Promise<ProviderReconcileResult | undefined>;
  private dependencySource?: () => Promise<DependencyStatus>;
  private withdrawalQueueSource?: () => Promise<WithdrawalQueueLine[]>;

  constructor(@Inject(MARKET_QUOTES) quotes: MarketQuotes, @Optional() @Inject(PRICE_FRESHNESS) freshness?: PriceFreshness) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
    // What nodejs_heap_size_used_bytes is measured against: past it the process dies ("JavaScript heap out of memory").
    // backend/scripts/run.sh sets it (HEAP_LIMIT_MB); the HeapNearLimit alert compares the two.
    new Gauge({
      name: 'cryptovault_heap_limit_bytes',
      help: "V8's heap size limit of this instance (HEAP_LIMIT_MB plus the young generation); the process dies past it",
      registers,
    }).set(getHeapStatistics().heap_size_limit);
    this.httpDuration = new SeriesHistogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by method, route template and status class, from arrival to the end of the response',
      labelNames: ['method', 'route', 'status_class'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.ordersCreated = new Counter({
      name: 'cryptovault_orders_created_total',
      help: 'Orders accepted (not replays)',
      labelNames: ['type', 'side'],
      registers,
    });
    this.ordersFilled = new Counter({
      name: 'cryptovault_orders_filled_total',
      help: 'Orders filled, at once (market) or by the trigger engine',
      labelNames: ['type', 'side'],
      registers,
    });
    this.ordersCancelled = new Counter({
      name: 'cryptovault_orders_cancelled_total',
      help: 'Open orders closed without a fill: cancelled by the user, or rejected at the trigger for want of funds',
      labelNames: ['type', 'side', 'reason'],
      registers,
    });
    this.fills = new Counter({ name: 'cryptovault_fills_total', help: 'Trade executions by asset and side', labelNames: ['symbol', 'side'], registers });
    this.marketBatchSize = new Histogram({
      name: 'cryptovault_market_order_batch_size',
      help: 'Market orders posted by one database statement (orders that arrived while the previous statements ran go together)',
      buckets: [1, 2, 4, 8, 16, 32, 64],
      registers,
    });
    this.marketBatchFallbacks = new Counter({
      name: 'cryptovault_market_order_batch_fallbacks_total',
      help: 'Batches of market orders refused as a whole (one order could not be afforded) and then posted one by one',
      registers,
    });
    this.wsConnections = new Gauge({
      name: 'cryptovault_ws_connections',
      help: 'Open WebSocket connections on this instance, by endpoint',
      labelNames: ['endpoint'],
      registers,
    });
    for (const endpoint of ['/ws/prices', '/ws/prices/:symbol', '/ws/user'] as WsEndpoint[]) this.wsConnections.set({ endpoint }, 0);
    this.wsDisconnects = new Counter({
      name: 'cryptovault_ws_disconnects_total',
      help: 'WebSocket connections closed on this instance, by endpoint and reason (normal: 1000/1001/1005; dropped: 1006, no close frame; other: policy closes)',
      labelNames: ['endpoint', 'reason'],
      registers,
    });
    this.httpErrors = new Counter({
      name: 'cryptovault_http_errors_total',
      help: 'Error responses (4xx and 5xx) by method, route template and the error code of the body (RATE_LIMITED, INVALID_CREDENTIALS, INVALID_SIGNATURE, INTERNAL, ...)',
      labelNames: ['method', 'route', 'code'],
      registers,
    });

    if (freshness) {
      new Gauge({
        name: 'cryptovault_price_feed_stale',
        help: "Whether this instance's newest quote is older than PRICE_MAX_AGE_MS (1), so market orders and withdrawals are refused with PRICE_STALE, or fresh (0)",
        registers,
        collect() {
          this.set(freshness.freshness().stale ? 1 : 0);
        },
      });
      new Gauge({
        name: 'cryptovault_price_feed_state',
        help: 'The price feed as this instance last heard it from the ingesting one: 1 for its current state (live: the first source; failover: a later one; down: none), else 0',
        labelNames: ['state'],
        registers,
        collect() {
          this.reset();
          const current = freshness.freshness().state;
          for (const state of new Set([...FEED_STATES, current])) this.set({ state }, state === current ? 1 : 0);
        },
      });
    }

    const dependencies = perScrape(() => (this.dependencySource ? bounded(this.dependencySource()) : Promise.resolve(undefined)));
    const dependencyGauge = (name: string, help: string, value: (d: DependencyStatus) => number | undefined): void => {
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          this.reset();
          const d = await dependencies();
          const v = d && value(d);
          if (v !== undefined) this.set(v);
          else this.remove();
        },
      });
    };
    dependencyGauge('cryptovault_database_up', 'Whether the database answered a query from this instance within 2 s at this scrape (1) or not (0)', (d) =>
      d.databaseUp ? 1 : 0,
    );
    dependencyGauge(
      'cryptovault_redis_up',
      'Whether Redis answered PING from this instance within 1 s at this scrape (1), or not (0: degraded mode, see README "When a dependency fails"); 1 with the in-process twin',
      (d) => (d.redisUp ? 1 : 0),
    );
    dependencyGauge('cryptovault_db_pool_max', "The size of this instance's PostgreSQL connection pool (absent on the embedded database)", (d) => d.pool?.max);
    dependencyGauge(
      'cryptovault_db_pool_waiting',
      'Queries of this instance waiting for a free connection of the PostgreSQL pool (more than 0 for long: the pool is saturated)',
      (d) => d.pool?.waiting,
    );
    new Gauge({
      name: 'cryptovault_db_pool_connections',
      help: "Connections of this instance's PostgreSQL pool, by state (in_use: lent to a query or transaction; idle)",
      labelNames: ['state'],
      registers,
      async collect() {
        this.reset();
        const pool = (await dependencies())?.pool;
        if (!pool) return;
        this.set({ state: 'in_use' }, Math.max(0, pool.total - pool.idle));
        this.set({ state: 'idle' }, pool.idle);
      },
    });

    const withdrawalQueue = perScrape(() => (this.withdrawalQueueSource ? bounded(this.withdrawalQueueSource()) : Promise.resolve(undefined)));
    const queueGauge = (name: string, help: string, value: (line: WithdrawalQueueLine) => number): void => {
      new Gauge({
        name,
        help,
        labelNames: ['status'],
        registers,
        async collect() {
          this.reset();
          const lines = await withdrawalQueue();
          if (!lines) return;
          for (const status of ['pending', 'approved'] as const) {
            const line = lines.find((l) => l.status === status) ?? { status, count: 0, oldestSeconds: 0 };
            this.set({ status }, value(line));
          }
        },
      });
    };
    queueGauge('cryptovault_withdrawal_queue_size', 'Withdrawals waiting: pending (for review) and approved (not yet sent or completed)', (l) => l.count);
    queueGauge(
      'cryptovault_withdrawal_queue_oldest_age_seconds',
      'Age of the oldest waiting withdrawal: since it was requested (pending) or approved (approved); 0 when none waits',
      (l) => l.oldestSeconds,
    );

    new Gauge({
      name: 'cryptovault_price_age_seconds',
      help: "Age of the newest quote this instance holds from each price source (the feed's freshness)",
      labelNames: ['source'],
      registers,
      collect() {
        this.reset();
        const newest = new Map<string, number>();
        for (const q of quotes.all()) newest.set(q.source, Math.max(newest.get(q.source) ?? 0, q.timestamp.getTime()));
        const now = Date.now();
        for (const [source, at] of newest) this.set({ source }, Math.max(0, now - at) / 1000);
      },
    });

    const ledger = (): Promise<LedgerCheckResult | undefined> => this.ledgerSource?.() ?? Promise.resolve(undefined);
    const ledgerGauge = (name: string, help: string, value: (last: LedgerCheckResult) => number): void => {
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          this.reset();
          const last = await ledger();
          // A gauge without labels renders 0 after reset(): remove() leaves it out until there is a value.
          if (last) this.set(value(last));
          else this.remove();
        },
      });
    };
    ledgerGauge(
      'cryptovault_ledger_reconcile_ok',
      'Whether the last ledger reconciliation found every invariant holding (1) or a violation (0); absent before the first run',
      (last) => (last.ok ? 1 : 0),
    );
    ledgerGauge(
      'cryptovault_ledger_reconcile_last_run_timestamp_seconds',
      'When the last ledger reconciliation finished (Unix time)',
      (last) => last.at / 1000,
    );
    ledgerGauge('cryptovault_ledger_reconcile_duration_seconds', 'How long the last ledger reconciliation took', (last) => last.durationMs / 1000);
    new Gauge({
      name: 'cryptovault_ledger_reconcile_violations',
      help: 'Violations per ledger invariant found by the last reconciliation',
      labelNames: ['check'],
      registers,
      async collect() {
        this.reset();
        const last = await ledger();
        for (const [check, count] of Object.entries(last?.violations ?? {})) this.set({ check }, count);
      },
    });

    const provider = (): Promise<ProviderReconcileResult | undefined> => this.providerSource?.() ?? Promise.resolve(undefined);
    new Gauge({
      name: 'cryptovault_provider_reconcile_ok',
      help: "Whether the last external reconciliation found the provider's balances covering the ledger's liabilities of every asset (1), or not or could not read them (0); absent before the first run",
      registers,
      async collect() {
        this.reset();
        const last = await provider();
        if (last) this.set(last.status === 'ok' ? 1 : 0);
        else this.remove();
      },
    });
    new Gauge({
      name: 'cryptovault_provider_reconcile_last_run_timestamp_seconds',
      help: 'When the last external reconciliation ran (Unix time)',
      registers,
      async collect() {
        this.reset();
        const last = await provider();
        if (last) this.set(last.at / 1000);
        else this.remove();
      },
    });
    new Gauge({
      name: 'cryptovault_provider_reconcile_difference',
      help: "Per asset, the provider's balance plus payouts under way less the users' balances (the ledger's liabilities) at the last external reconciliation; negative is a shortfall",
      labelNames: ['asset'],
      registers,
      async collect() {
        this.reset();
        const last = await provider();
        for (const [asset, difference] of Object.entries(last?.differences ?? {})) this.set({ asset }, Number(difference));
      },
    });
  }

  /** Prometheus text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** Called once per finished (or aborted) HTTP response by the edge middleware. */
  observeHttp(req: Request, res: Response, durationMs: number): void {
    const route = req.route as { path?: unknown } | undefined;
    const classIndex = Math.floor(res.statusCode / 100);
    let series: HistogramSeries | undefined;
    if (route && typeof route.path === 'string' && !req.baseUrl) {
      let byMethod = this.httpByRoute.get(route);
      if (!byMethod) this.httpByRoute.set(route, (byMethod = new Map()));
      let byClass = byMethod.get(req.method);
      if (!byClass) byMethod.set(req.method, (byClass = []));
      series = byClass[classIndex];
      if (!series) series = byClass[classIndex] = this.httpSeries(req.method, route.path, classIndex);
    } else {
      const template = typeof route?.path === 'string' ? `${req.baseUrl}${route.path}` : UNMATCHED;
      const key = `${req.method} ${classIndex} ${template}`;
      series = this.httpByKey.get(key);
      if (!series) this.httpByKey.set(key, (series = this.httpSeries(req.method, template, classIndex)));
    }
    series.observe(durationMs / 1000);
    if (res.statusCode >= 400) {
      const code = errorCodeOf(res);
      if (code) this.httpErrors.inc({ method: req.method, route: typeof route?.path === 'string' ? `${req.baseUrl}${route.path}` : UNMATCHED, code });
    }
  }

  private httpSeries(method: string, route: string, classIndex: number): HistogramSeries {
    return this.httpDuration.series({ method, route, status_class: STATUS_CLASSES[classIndex] ?? 'other' });
  }

  /** A new order was committed (a replayed Idempotency-Key is not a new order). */
  orderCreated(order: OrderFacts): void {
    this.ordersCreated.inc({ type: order.type, side: order.side });
    if (order.status === 'filled') this.orderFilled(order);
  }

  /** An order left the book: filled by the trigger engine, cancelled by its owner, or rejected at the trigger. */
  orderClosed(order: OrderFacts): void {
    if (order.status === 'filled') this.orderFilled(order);
    else if (order.status === 'cancelled' || order.status === 'rejected')
      this.ordersCancelled.inc({ type: order.type, side: order.side, reason: order.status });
  }

  /** A statement posted `size` market orders together. */
  marketOrderBatch(size: number): void {
    this.marketBatchSize.observe(size);
  }

  /** A batch was refused as a whole and its orders were posted one by one. */
  marketOrderBatchFallback(): void {
    this.marketBatchFallbacks.inc();
  }

  wsOpened(endpoint: WsEndpoint): void {
    this.wsConnections.inc({ endpoint });
  }

  /** A socket of `endpoint` closed, with this close code (see wsCloseReason). */
  wsClosed(endpoint: WsEndpoint, code?: number): void {
    this.wsConnections.dec({ endpoint });
    this.wsDisconnects.inc({ endpoint, reason: wsCloseReason(code) });
  }

  /** Where the database, Redis and pool gauges read this instance's view from at each scrape (set by HealthService). */
  reportDependenciesFrom(source: () => Promise<DependencyStatus>): void {
    this.dependencySource = source;
  }

  /** Where the withdrawal queue gauges read from at each scrape (set by wallet's WithdrawalQueueGauge). */
  reportWithdrawalQueueFrom(source: () => Promise<WithdrawalQueueLine[]>): void {
    this.withdrawalQueueSource = source;
  }

  /** Where the external reconciliation gauges read the last run from (set by wallet's ProviderReconciliationService). */
  reportProviderReconciliationFrom(source: () => Promise<ProviderReconcileResult | undefined>): void {
    this.providerSource = source;
  }

  /** Where the ledger gauges read the last reconciliation from (set by LedgerCheckService). */
  reportLedgerFrom(source: () => Promise<LedgerCheckResult | undefined>): void {
    this.ledgerSource = source;
  }

  private orderFilled(order: OrderFacts): void {
    this.ordersFilled.inc({ type: order.type, side: order.side });
    this.fills.inc({ symbol: order.symbol, side: order.side });
  }
}
