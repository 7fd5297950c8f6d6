import { Injectable } from '@nestjs/common';
import { MetricsService } from '../../metrics/metrics.service';
import { WithdrawalsRepository } from './withdrawals.repository';

/**
 * The withdrawal queue on /metrics (`cryptovault_withdrawal_queue_size`, `cryptovault_withdrawal_queue_oldest_age_seconds`
 * by status): read from the table at each scrape, so every instance reports the deployment's queue. The alerts on it
 * (docker/observability/alerts.yml, docs/runbooks/withdrawal-queue.md) catch reviews and payouts left waiting.
 */
@Injectable()
export class WithdrawalQueueGauge {
  constructor(repo: WithdrawalsRepository, metrics: MetricsService) {
    metrics.reportWithdrawalQueueFrom(() => repo.queue());
  }
}
