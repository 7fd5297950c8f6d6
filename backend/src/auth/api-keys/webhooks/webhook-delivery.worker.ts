import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { randomUUID } from 'node:crypto';
import { RepeatingJob } from '../../../common/lifecycle/repeating-job';
import { AppConfig } from '../../../config/config.service';
import { WEBHOOK_RETENTION_DAYS, WEBHOOK_TIMEOUT_MS } from './webhook-events';
import { retryDelayMs } from './webhook-retry';
import { WebhookSecretBox } from './webhook-secret-box';
import { type AttemptOutcome, WebhookSender } from './webhook-sender';
import { type ClaimedDelivery, WebhooksRepository } from './webhooks.repository';

const JOB = 'webhook-deliveries';
/** Deliveries one round claims at most; a full batch starts the next round at once. */
const BATCH = 20;
/** Requests a round has under way at once. */
const PARALLEL = 8;
/** How long a claim holds: well past an attempt's 10 seconds, so a live worker never loses one it is sending. */
const CLAIM_MS = WEBHOOK_TIMEOUT_MS * 6;
/** Each instance deletes events past their retention at most this often, a bounded number at a time. */
const PRUNE_EVERY_MS = 3_600_000;
const PRUNE_BATCH = 1_000;

/** The body of a delivery: the same bytes for every attempt of the event (the signature covers them with its time). */
export function webhookEventBody(d: Pick<ClaimedDelivery, 'event_id' | 'type' | 'event_created_at' | 'data'>): string {
  return JSON.stringify({ id: d.event_id, type: d.type, createdAt: new Date(d.event_created_at).toISOString(), data: d.data });
}

/**
 * Sends the outbox's deliveries, on every instance, at boot and then every WEBHOOK_WORKER_INTERVAL_MS (at once
 * again after a full batch): claims what is due (WebhooksRepository.claimDue: one statement, SKIP LOCKED, committed
 * before any request goes out, so no connection is held during the HTTP calls and two instances never send the same
 * attempt), sends each (WebhookSender), and records each attempt under its claim, scheduling the next one with
 * exponential backoff and jitter (retryDelayMs) until 24 hours after the event. The event id is the same in every
 * attempt and redelivery: receivers de-duplicate on it (delivery is at least once: a crash after a receiver answered
 * but before the answer was recorded sends the event again when the claim runs out).
 */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Webhooks');
  private readonly job: RepeatingJob;
  private full = false;
  private lastPrune = Date.now();

  constructor(
    private readonly config: AppConfig,
    scheduler: SchedulerRegistry,
    private readonly repo: WebhooksRepository,
    private readonly sender: WebhookSender,
    private readonly box: WebhookSecretBox,
  ) {
    this.job = new RepeatingJob(
      scheduler,
      JOB,
      () => this.round(),
      () => (this.full ? 0 : this.config.values.webhooks.workerIntervalMs),
    );
  }

  onApplicationBootstrap(): void {
    this.job.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.job.stop();
  }

  /** One round: claim, send (PARALLEL at a time), record; now and then, prune. */
  async round(): Promise<void> {
    try {
      const token = randomUUID();
      const claimed = await this.repo.claimDue(BATCH, CLAIM_MS, token);
      this.full = claimed.length === BATCH;
      let next = 0;
      const lane = async (): Promise<void> => {
        while (next < claimed.length) {
          const d = claimed[next++];
          // Not recorded (the database went away): the claim runs out and the attempt is made again.
          await this.deliver(d, token).catch((e: unknown) =>
            this.logger.warn({ eventId: d.event_id, endpointId: d.endpoint_id, err: (e as Error).message }, 'webhook attempt not recorded'),
          );
        }
      };
      await Promise.all(Array.from({ length: Math.min(PARALLEL, claimed.length) }, lane));
      if (Date.now() - this.lastPrune >= PRUNE_EVERY_MS) {
        this.lastPrune = Date.now();
        const pruned = await this.repo.prune(WEBHOOK_RETENTION_DAYS, PRUNE_BATCH);
        if (pruned) this.logger.log({ pruned }, 'webhook events past their retention deleted');
      }
    } catch (e) {
      this.full = false;
      if (!this.job.isStopped) this.logger.warn({ err: (e as Error).message }, 'webhooks: round failed; the next one tries again');
    }
  }

  private async deliver(d: ClaimedDelivery, token: string): Promise<void> {
    const attemptedAt = new Date();
    let outcome: AttemptOutcome;
    let secret: string | undefined;
    try {
      secret = this.box.open(d.secret_sealed, d.endpoint_id);
    } catch {
      // WEBHOOK_SECRET_KEY changed (or, in development, the JWT secret it is derived from): the endpoint must be made again.
      this.logger.error({ endpointId: d.endpoint_id }, 'webhook secret cannot be decrypted with WEBHOOK_SECRET_KEY: the endpoint must be created again');
    }
    if (secret === undefined) outcome = { delivered: false, statusCode: null, error: 'secret_unreadable', snippet: null, durationMs: 0 };
    else outcome = await this.sender.send({ url: d.url, eventId: d.event_id, body: webhookEventBody(d), secret });
    const attempt = d.attempts + 1;
    const recorded = await this.repo.recordAttempt({
      eventId: d.event_id,
      endpointId: d.endpoint_id,
      claimToken: token,
      attemptedAt,
      delivered: outcome.delivered,
      statusCode: outcome.statusCode,
      error: outcome.error,
      snippet: outcome.snippet,
      durationMs: outcome.durationMs,
      retryDelayMs: retryDelayMs(attempt, this.config.values.webhooks.retryBaseMs),
    });
    const fields = { eventId: d.event_id, endpointId: d.endpoint_id, type: d.type, attempt, statusCode: outcome.statusCode, error: outcome.error };
    if (!recorded) this.logger.warn(fields, 'webhook attempt not recorded: the endpoint was deleted or the claim ran out');
    else if (outcome.delivered) this.logger.log(fields, 'webhook delivered');
    else if (recorded.next_retry_at) this.logger.log({ ...fields, nextRetryAt: recorded.next_retry_at }, 'webhook attempt failed; retried later');
    else this.logger.warn(fields, 'webhook delivery failed for good');
  }
}
