import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { RepeatingJob } from '../common/lifecycle/repeating-job';
import { formatDateTime } from '../common/money/prose-format';
import { AppConfig } from '../config/config.service';
import { UnitOfWork } from '../database/unit-of-work';
import { NotificationsService } from '../notifications/notifications.service';
import { buildExportArchive, type ExportedTable } from './account-export-archive';
import { EXPORT_LEASE_MS, EXPORT_MAX_ATTEMPTS, EXPORT_TABLES, type ExportTable, isSecretColumn, NOT_PERSONAL_TABLES } from './account-export-rules';
import { AccountRepository, type ClaimedExport } from './account.repository';

const JOB = 'account-exports';
/** Exports one round makes at most (the next round goes on). */
const BATCH = 5;

/**
 * Makes the data exports ("Download my data") on every instance, at boot and then every ACCOUNT_EXPORT_INTERVAL_MS:
 * claims the oldest waiting one with a lease (one instance gets it; one whose maker stopped, a crash or a restart,
 * is taken up again after EXPORT_LEASE_MS, up to EXPORT_MAX_ATTEMPTS claims), reads the user's rows table by table
 * (recording the progress, which renews the lease), stores the zip in the row and tells the owner (in the app and by
 * email). It also deletes the files of exports past their time.
 */
@Injectable()
export class AccountExportWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AccountExports');
  private readonly job: RepeatingJob;

  constructor(
    private readonly config: AppConfig,
    scheduler: SchedulerRegistry,
    private readonly repo: AccountRepository,
    private readonly notifications: NotificationsService,
    private readonly uow: UnitOfWork,
  ) {
    this.job = new RepeatingJob(
      scheduler,
      JOB,
      () => this.round(),
      () => this.config.values.accountExportIntervalMs,
    );
  }

  onApplicationBootstrap(): void {
    this.job.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.job.stop();
  }

  async round(): Promise<void> {
    try {
      await this.repo.expire();
      for (const failed of await this.repo.failAbandoned(EXPORT_MAX_ATTEMPTS)) {
        this.logger.warn({ exportId: failed.id, attempts: failed.attempts }, 'data export given up after its attempts');
      }
      for (let i = 0; i < BATCH && !this.job.isStopped; i++) {
        const claim = await this.repo.claimNext(EXPORT_LEASE_MS, EXPORT_MAX_ATTEMPTS);
        if (!claim) return;
        await this.make(claim);
      }
    } catch (e) {
      if (!this.job.isStopped) this.logger.warn({ err: (e as Error).message }, 'data exports: round failed; the next one tries again');
    }
  }

  /** The tables to read: the known ones, then any other table with a `user_id` column (a table added since). */
  private async plan(): Promise<{ spec: ExportTable; columns: string[]; omitted: string[] }[]> {
    const schema = new Map((await this.repo.schemaTables()).map((t) => [t.table, t.columns]));
    const specs: ExportTable[] = EXPORT_TABLES.filter((t) => schema.has(t.table));
    const known = new Set([...EXPORT_TABLES.map((t) => t.table), ...NOT_PERSONAL_TABLES]);
    for (const [table, columns] of schema) {
      if (!known.has(table) && columns.includes('user_id')) specs.push({ table, where: 'user_id = $1', orderBy: 'user_id' });
    }
    return specs.map((spec) => {
      const all = schema.get(spec.table)!;
      return { spec, columns: all.filter((c) => !isSecretColumn(spec.table, c)), omitted: all.filter((c) => isSecretColumn(spec.table, c)) };
    });
  }

  private async make(claim: ClaimedExport): Promise<void> {
    const started = Date.now();
    const plan = await this.plan();
    const tables: ExportedTable[] = [];
    const omitted: Record<string, string[]> = {};
    for (const [i, { spec, columns, omitted: secret }] of plan.entries()) {
      // A very active account's ledger can be large: the read is not cut at the statement timeout.
      const rows = await this.uow.snapshot((tx) => this.repo.readUserRows(spec.table, columns, spec.where, spec.orderBy, claim.user_id, spec.onlyWhere, tx), {
        unbounded: true,
      });
      tables.push({ table: spec.table, columns, rows });
      if (secret.length) omitted[spec.table] = secret;
      // Up to 90 % while reading; the zip is the rest.
      if (!(await this.repo.progress(claim, Math.floor(((i + 1) / plan.length) * 90), EXPORT_LEASE_MS))) {
        this.logger.warn({ exportId: claim.id }, 'data export: the claim was lost (taken over or erased); stopping');
        return;
      }
    }
    const file = buildExportArchive({ userId: claim.user_id, exportId: claim.id, createdAt: new Date(claim.created_at), tables, omitted });
    const done = await this.repo.finish(claim, file, this.config.values.accountExportTtlDays);
    if (!done) return;
    this.logger.log({ exportId: claim.id, tables: tables.length, bytes: file.length, ms: Date.now() - started }, 'data export ready');
    try {
      await this.notifications.notify(claim.user_id, {
        type: 'notification',
        title: 'Your data export is ready',
        body:
          `The export of your data you asked for is ready. Download it under Settings > Your data until ${formatDateTime(done.expires_at!)}: ` +
          `${this.config.values.appUrl}/settings/data`,
        data: { kind: 'account_export_ready', exportId: done.id, expiresAt: new Date(done.expires_at!).toISOString() },
        email: true,
      });
    } catch (e) {
      this.logger.warn({ exportId: claim.id, err: (e as Error).message }, 'data export ready, but the owner could not be told');
    }
  }
}
