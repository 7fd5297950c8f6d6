import { UnitOfWork } from '../../database/unit-of-work';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AuditService } from '../../audit/audit.service';
import type { AuthUser } from '../../common/auth/auth-user';
import { decodeCursor, encodeCursor, PageQueryDto } from '../../common/dto/pagination.dto';
import { RepeatingJob } from '../../common/lifecycle/repeating-job';
import { AppConfig } from '../../config/config.service';
import { LedgerReader } from '../../ledger/reader/ledger.reader';
import { MetricsService, type ProviderReconcileResult } from '../../metrics/metrics.service';
import { DISTRIBUTED_LOCK, KV_STORE, type DistributedLock, type KeyValueStore } from '../../redis/redis.interfaces';
import { PAYMENT_PROVIDER } from '../payments/payment-provider.factory';
import type { PaymentProvider } from '../payments/payment-provider';
import { PayoutsRepository } from '../withdrawals/payouts/payouts.repository';
import type { ReconciliationDto, ReconciliationPageDto, ReconciliationResponseDto } from './dto/reconciliation.dto';
import { compareWithProvider, ReconciliationLine, reconciliationStatus, type ReconciliationTrigger } from './provider-reconciliation';
import { ProviderReconciliationsRepository, type ReconciliationRow } from './provider-reconciliations.repository';

const LOCK = 'wallet:provider-reconcile';
const JOB = 'provider-reconcile';
const LAST_KEY = 'wallet:provider-reconcile:last';
/** The first look soon after boot (the schedule runs only when the last run is older than the interval). */
const FIRST_LOOK_MS = 5_000;
/** How often the schedule looks whether a run is due, at most (a day's interval is looked at hourly). */
const MAX_LOOK_MS = 3_600_000;

function toDto(r: ReconciliationRow): ReconciliationDto {
  return {
    id: r.id,
    provider: r.provider,
    trigger: r.trigger,
    requestedBy: r.requested_by ?? null,
    status: r.status,
    error: r.error ?? null,
    durationMs: Number(r.duration_ms),
    createdAt: new Date(r.created_at).toISOString(),
    lines: (r.lines ?? []).map((l) => ({ ...l })),
  };
}

const summary = (r: ReconciliationRow): ProviderReconcileResult => ({
  status: r.status,
  at: new Date(r.created_at).getTime(),
  differences: Object.fromEntries((r.lines ?? []).map((l) => [l.asset, l.difference])),
});

/**
 * The external reconciliation (ARCHITECTURE §3): the ledger's liabilities per asset (every user's balance, holds
 * included) against the payment provider account's balances (`GET /v1/balance`), payouts under way counted as
 * already leaving. Every run is stored (`provider_reconciliations`) and its outcome exported as
 * `cryptovault_provider_reconcile_*`; a shortfall is logged as an error. It runs every
 * PROVIDER_RECONCILE_INTERVAL_MS (a day) on one instance of the deployment (a lease, and only when the last stored
 * run is older than the interval, so a restart does not run it again), and when an admin asks.
 */
@Injectable()
export class ProviderReconciliationService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ProviderReconciliation');
  private last?: ProviderReconcileResult;
  private readonly job: RepeatingJob;

  constructor(
    private readonly repo: ProviderReconciliationsRepository,
    private readonly payouts: PayoutsRepository,
    private readonly ledger: LedgerReader,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    private readonly config: AppConfig,
    scheduler: SchedulerRegistry,
    @Inject(DISTRIBUTED_LOCK) private readonly lock: DistributedLock,
    @Inject(KV_STORE) private readonly kv: KeyValueStore,
    private readonly audit: AuditService,
    metrics: MetricsService,
    private readonly uow: UnitOfWork,
  ) {
    metrics.reportProviderReconciliationFrom(() => this.lastResult());
    this.job = new RepeatingJob(
      scheduler,
      JOB,
      () => this.tick(),
      () => Math.min(this.config.values.providerReconcileIntervalMs, MAX_LOOK_MS),
    );
  }

  private get stopped(): boolean {
    return this.job.isStopped;
  }

  onApplicationBootstrap(): void {
    if (this.config.values.providerReconcileIntervalMs <= 0) return;
    this.job.start(Math.min(FIRST_LOOK_MS, this.config.values.providerReconcileIntervalMs));
  }

  async onModuleDestroy(): Promise<void> {
    await this.job.stop();
  }

  /** On demand (an admin): runs now and answers the stored result. */
  async runNow(admin: AuthUser): Promise<ReconciliationResponseDto> {
    const row = await this.run('admin', admin.id);
    await this.audit.record({ action: 'wallet.reconciliation_run', actorId: admin.id, details: { reconciliationId: row.id, status: row.status } });
    return { reconciliation: toDto(row) };
  }

  async list(page: PageQueryDto): Promise<ReconciliationPageDto> {
    const limit = page.limit ?? 20;
    const rows = await this.repo.page(limit + 1, decodeCursor(page.cursor, 'uuid'));
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items: items.map(toDto), nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.created_at), last.id) : null };
  }

  /** One comparison, stored whatever its outcome (a provider that cannot be read is an `error` run). */
  async run(trigger: ReconciliationTrigger, requestedBy: string | null = null): Promise<ReconciliationRow> {
    const started = Date.now();
    let lines: ReconciliationLine[] = [];
    let error: string | null = null;
    try {
      // Liabilities after the provider's balances: a payout finishing in between is then counted as sent on both sides or neither, never as missing.
      const balances = await this.provider.balances();
      // Both from one snapshot: a payout finishing between two reads would otherwise be missing from both (a false shortfall).
      const [liabilities, inFlight] = await this.uow.snapshot(async (tx) => [await this.ledger.userLiabilities(tx), await this.payouts.inFlight(tx)] as const);
      lines = compareWithProvider(liabilities, balances, inFlight);
    } catch (e) {
      error = (e as Error).message;
    }
    const status = error ? 'error' : reconciliationStatus(lines);
    const row = await this.repo.insert({ provider: this.provider.name, trigger, requestedBy, status, lines, error, durationMs: Date.now() - started });
    this.last = summary(row);
    await this.kv.set(LAST_KEY, JSON.stringify(this.last)).catch(() => undefined);
    if (status === 'ok') this.logger.log({ trigger, assets: lines.length }, 'external reconciliation: the provider covers every liability');
    else if (status === 'short')
      this.logger.error(
        { trigger, short: lines.filter((l) => l.status === 'short').map((l) => ({ asset: l.asset, difference: l.difference })) },
        'external reconciliation: the provider does not cover the liabilities',
      );
    else this.logger.warn({ trigger, err: error }, 'external reconciliation: the provider could not be read');
    return row;
  }

  /** The deployment's last run (shared store), else the last this instance knows of (the table, at first). */
  async lastResult(): Promise<ProviderReconcileResult | undefined> {
    try {
      const raw = await this.kv.get(LAST_KEY);
      if (raw) return (this.last = JSON.parse(raw) as ProviderReconcileResult);
    } catch {
      /* the store is down: what this instance knows */
    }
    if (!this.last) {
      const latest = await this.repo.latest().catch(() => undefined);
      if (latest) this.last = summary(latest);
    }
    return this.last;
  }

  /** Runs when the last stored run is older than the interval, on the one instance holding the lease. */
  private async tick(): Promise<void> {
    const every = this.config.values.providerReconcileIntervalMs;
    try {
      const latest = await this.repo.latest();
      if (latest && Date.now() - new Date(latest.created_at).getTime() < every - 250) return;
      // Not released: it expires just before the next interval, so one instance runs per interval.
      if (!(await this.lock.acquire(LOCK, Math.max(500, every - 250)))) return;
      if (!this.stopped) await this.run('schedule');
    } catch (e) {
      this.logger.warn({ err: (e as Error).message }, 'external reconciliation could not run; the next look tries again');
    }
  }
}
