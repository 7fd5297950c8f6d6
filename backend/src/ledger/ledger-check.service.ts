import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../config/config.service';
import { LedgerCheckResult, MetricsService } from '../metrics/metrics.service';
import { DISTRIBUTED_LOCK, KV_STORE, type DistributedLock, type KeyValueStore } from '../redis/redis.interfaces';
import { UnitOfWork } from '../database/unit-of-work';
import { ReconciliationRepository } from './reconciliation.repository';

const LOCK = 'ledger:check';
const FIRST_JOB = 'ledger-check:first';
const JOB = 'ledger-check';
const LAST_KEY = 'ledger:check:last';
/** The first check runs this soon after boot (or after one interval, if shorter). */
const FIRST_RUN_MS = 5_000;

/**
 * Runs the ledger reconciliation (`npm run reconcile`'s invariants) every
 * LEDGER_CHECK_INTERVAL_MS on one instance of the deployment: whichever takes
 * the `ledger:check` lease for that interval. The result is stored in the
 * shared key-value store, so every instance's /metrics reports the same last
 * run (`cryptovault_ledger_reconcile_*`), and logged as an error when an
 * invariant is violated. Scheduled through @nestjs/schedule's registry (the
 * period comes from config): a first run soon after boot, then every interval.
 */
@Injectable()
export class LedgerCheckService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('LedgerCheck');
  private running?: Promise<void>;
  private last?: LedgerCheckResult;
  private stopped = false;

  constructor(
    private readonly checks: ReconciliationRepository,
    private readonly scheduler: SchedulerRegistry,
    @Inject(DISTRIBUTED_LOCK) private readonly lock: DistributedLock,
    @Inject(KV_STORE) private readonly kv: KeyValueStore,
    private readonly config: AppConfig,
    private readonly uow: UnitOfWork,
    metrics: MetricsService,
  ) {
    metrics.reportLedgerFrom(() => this.lastResult());
  }

  onApplicationBootstrap(): void {
    const every = this.config.values.ledgerCheckIntervalMs;
    if (every <= 0) return;
    const first = setTimeout(
      () => {
        this.scheduler.deleteTimeout(FIRST_JOB);
        if (this.stopped) return;
        this.scheduler.addInterval(JOB, setInterval(() => void this.runOnce(), every).unref());
        void this.runOnce();
      },
      Math.min(FIRST_RUN_MS, every),
    ).unref();
    this.scheduler.addTimeout(FIRST_JOB, first);
  }

  /** Stops the schedule and waits for a check in progress (it holds a database connection). */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    for (const name of [FIRST_JOB, JOB]) {
      if (this.scheduler.doesExist('timeout', name)) this.scheduler.deleteTimeout(name);
      if (this.scheduler.doesExist('interval', name)) this.scheduler.deleteInterval(name);
    }
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

  /** One check, unless the previous one is still running (a slow database never stacks them). */
  private runOnce(): Promise<void> {
    if (this.running || this.stopped) return this.running ?? Promise.resolve();
    this.running = this.tick().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async tick(): Promise<void> {
    const every = this.config.values.ledgerCheckIntervalMs;
    try {
      // Not released: the lease expires just before the next interval, so one instance runs the check per interval.
      if (!(await this.lock.acquire(LOCK, Math.max(500, every - 250)))) return;
      if (this.stopped) return;
      const started = Date.now();
      // Scans of the whole book: not cut at the statement timeout.
      const checks = await this.checks.checks((read) => this.uow.snapshot((tx) => read(tx), { unbounded: true }));
      const result: LedgerCheckResult = {
        ok: checks.every((c) => c.count === 0),
        violations: Object.fromEntries(checks.map((c) => [c.name, c.count])),
        at: Date.now(),
        durationMs: Date.now() - started,
      };
      this.last = result;
      await this.kv.set(LAST_KEY, JSON.stringify(result));
      if (result.ok) this.logger.log({ durationMs: result.durationMs }, 'ledger reconciliation: every invariant holds');
      else
        this.logger.error(
          { violations: result.violations, firstViolations: checks.flatMap((c) => c.violations).slice(0, 10) },
          'ledger reconciliation found violations',
        );
    } catch (e) {
      this.logger.warn(`ledger reconciliation could not run: ${(e as Error).message}`);
    }
  }
}
