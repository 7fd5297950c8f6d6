import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { randomUUID } from 'node:crypto';
import { RepeatingJob } from '../../../common/lifecycle/repeating-job';
import { AppConfig } from '../../../config/config.service';
import { PAYMENT_PROVIDER } from '../../payments/payment-provider.factory';
import type { PaymentProvider, ProviderPayout } from '../../payments/payment-provider';
import { PayoutSender } from './payout-sender';
import { PayoutStatuses } from './payout-statuses';
import { PayoutsRepository } from './payouts.repository';

const JOB = 'withdrawal-payouts';
/** Payouts one round resumes, and checks, at most (the next round goes on). */
const BATCH = 20;

/** The provider's view of a payout, as a status check records it. */
const asPayload = (p: ProviderPayout): Record<string, unknown> => ({ check: true, ...p, createdAt: p.createdAt?.toISOString() ?? null });

/**
 * On every instance, at boot (without delaying it) and then every PAYOUT_WORKER_INTERVAL_MS:
 * - resumes the payouts whose sender stopped (`sending` or `created` past its claim: a crash, a provider that did
 *   not answer), claiming each in one statement so only one instance does; the sender looks each up at the
 *   provider by `unique_external_id` before creating it;
 * - looks up, at the provider (GET /v1/payout/:batch_id), the payouts under way with no status news for
 *   PAYOUT_STATUS_CHECK_MS, and applies what it says as an IPN would be (an IPN lost on the way still settles the
 *   withdrawal, with the hash the provider reports).
 * Nothing is thrown out of the schedule.
 */
@Injectable()
export class PayoutWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Payouts');
  private readonly job: RepeatingJob;

  constructor(
    private readonly config: AppConfig,
    scheduler: SchedulerRegistry,
    private readonly repo: PayoutsRepository,
    private readonly sender: PayoutSender,
    private readonly statuses: PayoutStatuses,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
  ) {
    this.job = new RepeatingJob(
      scheduler,
      JOB,
      () => this.round(),
      () => this.config.values.payoutWorkerIntervalMs,
    );
  }

  private get stopped(): boolean {
    return this.job.isStopped;
  }

  onApplicationBootstrap(): void {
    // Payouts exist only where automation is (or was) on; a deployment that never sends one has nothing to resume.
    if (!this.provider.payoutsEnabled) return;
    this.job.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.job.stop();
  }

  /** One round: resume, then check. */
  async round(): Promise<void> {
    try {
      for (const id of await this.repo.abandoned(BATCH)) {
        if (this.stopped) return;
        const past = await this.sender.send(id, randomUUID(), true);
        if (past) await this.statuses.apply(past, 'api', asPayload(past));
      }
      for (const row of await this.repo.takeStale(this.config.values.payoutStatusCheckMs, BATCH)) {
        if (this.stopped || !row.provider_batch_id) continue;
        try {
          const found = (await this.provider.getPayout(row.provider_batch_id)).find((p) => p.payoutId === row.provider_payout_id);
          if (found) await this.statuses.apply(found, 'api', asPayload(found));
        } catch (e) {
          this.logger.warn({ withdrawalId: row.withdrawal_id, err: (e as Error).message }, 'payout: status check failed; tried again later');
        }
      }
    } catch (e) {
      if (!this.stopped) this.logger.warn({ err: (e as Error).message }, 'payouts: round failed; the next one tries again');
    }
  }
}
