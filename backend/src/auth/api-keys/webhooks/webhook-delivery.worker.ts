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
/** Requests an instance has under way at once (its lanes): a round claims as many deliveries as lanes are free. */
const PARALLEL = 8;
/** One account's deliveries a claim takes at most (one per endpoint in any case). */
const PER_USER = 4;
/** How long a claim holds: well past an attempt's 10 seconds, so a live worker never loses one it is sending. */
const CLAIM_MS = WEBHOOK_TIMEOUT_MS * 6;
/** Events past their retention are deleted in batches of this many, more batches while a full one came back, for at most PRUNE_BUDGET_MS. */
const PRUNE_BATCH = 1_000;
const PRUNE_BUDGET_MS = 5_000;

/** The body of a delivery: the same bytes for every attempt of the event (the signature covers them with its time). */
export function webhookEventBody(d: Pick<ClaimedDelivery, 'event_id' | 'type' | 'event_created_at' | 'data'>): string {
  return JSON.stringify({ id: d.event_id, type: d.type, createdAt: new Date(d.event_created_at).toISOString(), data: d.data });
}

/**
 * Sends the outbox's deliveries, on every instance, at boot and then every WEBHOOK_WORKER_INTERVAL_MS, in PARALLEL
 * lanes that refill as soon as one is free (a receiver that hangs holds one lane for its 10 seconds, never the others):
 * claims what is due for the free lanes (WebhooksRepository.claimDue: one statement, SKIP LOCKED, one delivery per
 * endpoint at a time and PER_USER per account, committed before any request goes out, so no connection is held during
 * the HTTP calls and two instances never send the same attempt), sends each (WebhookSender), and records each attempt
 * under its claim, scheduling the next one with
 * exponential backoff and jitter (retryDelayMs) until 24 hours after the event. The event id is the same in every
 * attempt and redelivery: receivers de-duplicate on it (delivery is at least once: a crash after a receiver answered
 * but before the answer was recorded sends the event again when the claim runs out).
 */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Webhooks');
  private readonly job: RepeatingJob;
  private full = false;
  /** 0: the first round after boot prunes. */
  private lastPrune = 0;
  /** The sends under way (each settles once its attempt is recorded, or not). */
  private readonly inFlight = new Set<Promise<void>>();

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
    await Promise.allSettled([...this.inFlight]);
  }

  /**
   * One round: waits for a free lane when none is, claims deliveries for the free ones and starts them; then, while
   * any is under way, waits until one ends (its endpoint may have more due) or the interval passes, so the next round
   * refills at once. Now and then, prunes.
   */
  async round(): Promise<void> {
    try {
      if (this.inFlight.size >= PARALLEL) await Promise.race(this.inFlight);
      const free = PARALLEL - this.inFlight.size;
      const token = randomUUID();
      const claimed = await this.repo.claimDue(free, CLAIM_MS, token, PER_USER);
      for (const d of claimed) {
        // Not recorded (the database went away): the claim runs out and the attempt is made again.
        const sending: Promise<void> = this.deliver(d, token)
          .catch((e: unknown) =>
            this.logger.warn({ eventId: d.event_id, endpointId: d.endpoint_id, err: (e as Error).message }, 'webhook attempt not recorded'),
          )
          .finally(() => this.inFlight.delete(sending));
        this.inFlight.add(sending);
      }
      this.full = claimed.length === free;
      if (Date.now() - this.lastPrune >= this.config.values.webhooks.pruneIntervalMs) await this.prune();
      if (!this.full && this.inFlight.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.race(this.inFlight),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, this.config.values.webhooks.workerIntervalMs).unref();
          }),
        ]);
        clearTimeout(timer);
        this.full = true;
      }
    } catch (e) {
      this.full = false;
      if (!this.job.isStopped) this.logger.warn({ err: (e as Error).message }, 'webhooks: round failed; the next one tries again');
    }
  }

  /** Deletes events past their retention: batch after batch while full ones come back, for at most PRUNE_BUDGET_MS. */
  private async prune(): Promise<void> {
    const started = Date.now();
    this.lastPrune = started;
    let pruned = 0;
    let batch: number;
    do {
      batch = await this.repo.prune(WEBHOOK_RETENTION_DAYS, PRUNE_BATCH);
      pruned += batch;
    } while (batch === PRUNE_BATCH && Date.now() - started < PRUNE_BUDGET_MS && !this.job.isStopped);
    if (pruned) this.logger.log({ pruned }, 'webhook events past their retention deleted');
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
