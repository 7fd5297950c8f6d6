import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/config.service';
import { DISTRIBUTED_LOCK, KV_STORE, type DistributedLock, type KeyValueStore } from '../redis/redis.interfaces';
import { reconcile } from '../wallet/reconciliation';
import { LedgerCheckResult, MetricsService } from './metrics.service';

const LOCK = 'ledger:check';
const LAST_KEY = 'ledger:check:last';
/** The first check runs this soon after boot (or after one interval, if shorter). */
const FIRST_RUN_MS = 5_000;

/**
 * Runs the ledger reconciliation (`npm run reconcile`'s invariants) every
 * LEDGER_CHECK_INTERVAL_MS on one instance of the deployment: whichever takes
 * the `ledger:check` lease for that interval. The result is stored in the
 * shared key-value store, so every instance's /metrics reports the same last
 * run (`cryptovault_ledger_reconcile_*`), and logged as an error when an
 * invariant is violated.
 */
@Injectable()
export class LedgerCheckService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('LedgerCheck');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private last?: LedgerCheckResult;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DISTRIBUTED_LOCK) private readonly lock: DistributedLock,
    @Inject(KV_STORE) private readonly kv: KeyValueStore,
    private readonly config: AppConfig,
    metrics: MetricsService,
  ) {
    metrics.reportLedgerFrom(() => this.lastResult());
  }

  onApplicationBootstrap(): void {
    const every = this.config.values.ledgerCheckIntervalMs;
    if (every > 0) this.schedule(Math.min(FIRST_RUN_MS, every));
  }

  /** Stops the schedule and waits for a check in progress (it holds a database connection). */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** The deployment's last result (shared store), else the last one this instance saw. */
  async lastResult(): Promise<LedgerCheckResult | undefined> {
    try {
      const raw = await this.kv.get(LAST_KEY);
      if (raw) this.last = JSON.parse(raw) as LedgerCheckResult;
    } catch {
      /* the store is down: report what this instance saw last */
    }
    return this.last;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = undefined;
        this.schedule(this.config.values.ledgerCheckIntervalMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    const every = this.config.values.ledgerCheckIntervalMs;
    try {
      // Not released: the lease expires just before the next interval, so one instance runs the check per interval.
      if (!(await this.lock.acquire(LOCK, Math.max(500, every - 250)))) return;
      if (this.stopped) return;
      const started = Date.now();
      const checks = await reconcile(this.dataSource);
      const result: LedgerCheckResult = {
        ok: checks.every((c) => c.count === 0),
        violations: Object.fromEntries(checks.map((c) => [c.name, c.count])),
        at: Date.now(),
        durationMs: Date.now() - started,
      };
      this.last = result;
      await this.kv.set(LAST_KEY, JSON.stringify(result));
      if (result.ok) this.logger.log({ durationMs: result.durationMs }, 'ledger reconciliation: every invariant holds');
      else this.logger.error({ violations: result.violations, firstViolations: checks.flatMap((c) => c.violations).slice(0, 10) }, 'ledger reconciliation found violations');
    } catch (e) {
      this.logger.warn(`ledger reconciliation could not run: ${(e as Error).message}`);
    }
  }
}
