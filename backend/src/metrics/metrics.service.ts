import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { MARKET_QUOTES, type MarketQuotes } from '../common/market/market-quotes';
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
  /**
   * The request-duration series of each matched route (Express' route object, one per route for the
   * life of the process), by method and then status class (index = status / 100): found with no
   * string built per request. Requests that matched no route, or a route mounted under a base URL, use `httpByKey`.
   */
  private readonly httpByRoute = new WeakMap<object, Map<string, HistogramSeries[]>>();
  private readonly httpByKey = new Map<string, HistogramSeries>();
  private ledgerSource?: () => Promise<LedgerCheckResult | undefined>;

  constructor(@Inject(MARKET_QUOTES) quotes: MarketQuotes) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
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
          if (last) this.set(value(last));
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

  wsClosed(endpoint: WsEndpoint): void {
    this.wsConnections.dec({ endpoint });
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
