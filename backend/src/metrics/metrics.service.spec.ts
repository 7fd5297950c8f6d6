import type { Request, Response } from 'express';
import { recordErrorCode } from '../common/filters/all-exceptions.filter';
import type { MarketQuotes } from '../common/market/market-quotes';
import type { PriceFreshness } from '../health/price-freshness';
import { MetricsService, wsCloseReason } from './metrics.service';

const quotes: MarketQuotes = { latest: () => undefined, all: () => [], isKnown: () => false, isLeader: () => false };

/** The value of one sample line (`name{labels} value`), or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** The request and response the edge middleware hands to observeHttp once a response closed. */
function exchange(method: string, path: string | undefined, status: number, code?: string): [Request, Response] {
  const res = { statusCode: status } as Response;
  if (code) recordErrorCode(res, code);
  return [{ method, baseUrl: '', route: path === undefined ? undefined : { path } } as unknown as Request, res];
}

describe('MetricsService: the series the alert rules read (docker/observability/alerts.yml)', () => {
  it('counts error responses by method, route template and error code; successes and errors outside the one error shape are not counted', async () => {
    const metrics = new MetricsService(quotes);
    metrics.observeHttp(...exchange('POST', '/api/auth/login', 401, 'INVALID_CREDENTIALS'), 5);
    metrics.observeHttp(...exchange('POST', '/api/auth/login', 401, 'INVALID_CREDENTIALS'), 5);
    metrics.observeHttp(...exchange('POST', '/api/auth/login', 429, 'RATE_LIMITED'), 5);
    metrics.observeHttp(...exchange('GET', undefined, 404, 'NOT_FOUND'), 1);
    metrics.observeHttp(...exchange('POST', '/api/auth/login', 200), 5);
    metrics.observeHttp(...exchange('GET', '/api/prices', 500), 5);
    const text = await metrics.render();
    expect(sample(text, 'cryptovault_http_errors_total{method="POST",route="/api/auth/login",code="INVALID_CREDENTIALS"}')).toBe(2);
    expect(sample(text, 'cryptovault_http_errors_total{method="POST",route="/api/auth/login",code="RATE_LIMITED"}')).toBe(1);
    expect(sample(text, 'cryptovault_http_errors_total{method="GET",route="unmatched",code="NOT_FOUND"}')).toBe(1);
    expect(text.split('\n').filter((l) => l.startsWith('cryptovault_http_errors_total{'))).toHaveLength(3);
    // Every request is still timed, whatever it answered.
    expect(sample(text, 'http_request_duration_seconds_count{method="GET",route="/api/prices",status_class="5xx"}')).toBe(1);
  });

  it('counts closed sockets by endpoint and reason: normal, dropped (1006) or other', async () => {
    expect([1000, 1001, 1005, 1006, 1008, 4401, 4429, undefined].map(wsCloseReason)).toEqual([
      'normal',
      'normal',
      'normal',
      'dropped',
      'other',
      'other',
      'other',
      'other',
    ]);
    const metrics = new MetricsService(quotes);
    metrics.wsOpened('/ws/prices');
    metrics.wsOpened('/ws/prices');
    metrics.wsOpened('/ws/user');
    metrics.wsClosed('/ws/prices', 1006);
    metrics.wsClosed('/ws/user', 4401);
    const text = await metrics.render();
    expect(sample(text, 'cryptovault_ws_connections{endpoint="/ws/prices"}')).toBe(1);
    expect(sample(text, 'cryptovault_ws_disconnects_total{endpoint="/ws/prices",reason="dropped"}')).toBe(1);
    expect(sample(text, 'cryptovault_ws_disconnects_total{endpoint="/ws/user",reason="other"}')).toBe(1);
  });

  it('reports the price feed: stale or not, and its state as one of live, failover, down, starting', async () => {
    let state = { source: 'coingecko', state: 'live', ageMs: 1_000, stale: false };
    const freshness: PriceFreshness = { freshness: () => state };
    const metrics = new MetricsService(quotes, freshness);
    let text = await metrics.render();
    expect(sample(text, 'cryptovault_price_feed_stale')).toBe(0);
    expect(['live', 'failover', 'down', 'starting'].map((s) => sample(text, `cryptovault_price_feed_state{state="${s}"}`))).toEqual([1, 0, 0, 0]);
    state = { source: 'binance', state: 'failover', ageMs: 60_000, stale: true };
    text = await metrics.render();
    expect(sample(text, 'cryptovault_price_feed_stale')).toBe(1);
    expect(['live', 'failover', 'down', 'starting'].map((s) => sample(text, `cryptovault_price_feed_state{state="${s}"}`))).toEqual([0, 1, 0, 0]);
  });

  it('reports the database, Redis and the pool from one probe per scrape, and nothing while there is no probe or it fails', async () => {
    const metrics = new MetricsService(quotes);
    expect(await metrics.render()).not.toMatch(/^cryptovault_(database|redis)_up /m);
    let probes = 0;
    metrics.reportDependenciesFrom(() => {
      probes++;
      return Promise.resolve({ databaseUp: false, redisUp: true, pool: { max: 20, total: 12, idle: 2, waiting: 3 } });
    });
    const text = await metrics.render();
    expect(probes).toBe(1);
    expect(sample(text, 'cryptovault_database_up')).toBe(0);
    expect(sample(text, 'cryptovault_redis_up')).toBe(1);
    expect(sample(text, 'cryptovault_db_pool_max')).toBe(20);
    expect(sample(text, 'cryptovault_db_pool_waiting')).toBe(3);
    expect(sample(text, 'cryptovault_db_pool_connections{state="in_use"}')).toBe(10);
    expect(sample(text, 'cryptovault_db_pool_connections{state="idle"}')).toBe(2);

    // The embedded database has no pool: no pool series. A probe that throws: no series at all (the scrape still answers).
    const embedded = new MetricsService(quotes);
    embedded.reportDependenciesFrom(() => Promise.resolve({ databaseUp: true, redisUp: true }));
    const embeddedText = await embedded.render();
    expect(sample(embeddedText, 'cryptovault_database_up')).toBe(1);
    expect(embeddedText).not.toMatch(/^cryptovault_db_pool_/m);
    const failing = new MetricsService(quotes);
    failing.reportDependenciesFrom(() => Promise.reject(new Error('boom')));
    expect(await failing.render()).not.toMatch(/^cryptovault_(database|redis)_up /m);
  });

  it('does not let a probe that never answers hold the scrape: its series are left out', async () => {
    jest.useFakeTimers();
    try {
      const metrics = new MetricsService(quotes);
      metrics.reportDependenciesFrom(() => new Promise(() => undefined));
      metrics.reportWithdrawalQueueFrom(() => new Promise(() => undefined));
      const rendered = metrics.render();
      await jest.advanceTimersByTimeAsync(3_000);
      const text = await rendered;
      expect(text).not.toMatch(/^cryptovault_(database_up|withdrawal_queue_size)/m);
      expect(text).toContain('cryptovault_ws_connections{endpoint="/ws/prices"} 0');
    } finally {
      jest.useRealTimers();
    }
  });

  it('leaves the reconciliation gauges out until there is a run to report (a 0 would read as a failed one and page)', async () => {
    const metrics = new MetricsService(quotes);
    let ledger: { ok: boolean; violations: Record<string, number>; at: number; durationMs: number } | undefined = undefined;
    metrics.reportLedgerFrom(() => Promise.resolve(ledger));
    metrics.reportProviderReconciliationFrom(() => Promise.resolve(undefined));
    const before = await metrics.render();
    expect(before).not.toMatch(/^cryptovault_(ledger|provider)_reconcile_\w+(\{[^}]*\})? /m);
    ledger = { ok: true, violations: { 'journals balance per asset': 0 }, at: 1_700_000_000_000, durationMs: 120 };
    const after = await metrics.render();
    expect(sample(after, 'cryptovault_ledger_reconcile_ok')).toBe(1);
    expect(sample(after, 'cryptovault_ledger_reconcile_last_run_timestamp_seconds')).toBe(1_700_000_000);
    expect(after).not.toMatch(/^cryptovault_provider_reconcile_\w+ /m);
  });

  it('reports the withdrawal queue per status, 0 for a status with none waiting', async () => {
    const metrics = new MetricsService(quotes);
    metrics.reportWithdrawalQueueFrom(() => Promise.resolve([{ status: 'pending', count: 3, oldestSeconds: 7_200.5 }]));
    const text = await metrics.render();
    expect(sample(text, 'cryptovault_withdrawal_queue_size{status="pending"}')).toBe(3);
    expect(sample(text, 'cryptovault_withdrawal_queue_oldest_age_seconds{status="pending"}')).toBe(7_200.5);
    expect(sample(text, 'cryptovault_withdrawal_queue_size{status="approved"}')).toBe(0);
    expect(sample(text, 'cryptovault_withdrawal_queue_oldest_age_seconds{status="approved"}')).toBe(0);
  });
});
