import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AuditService } from '../audit/audit.service';
import { UsersReader } from '../auth/users/users.reader';
import { AppError } from '../common/errors/app-error';
import { isDatabaseUnavailable, isStatementCancelled } from '../common/filters/all-exceptions.filter';
import { CASH_ASSET, formatAmount } from '../common/money/amount-format';
import { formatUsd } from '../common/money/prose-format';
import { RepeatingJob } from '../common/lifecycle/repeating-job';
import { AppConfig } from '../config/config.service';
import { UnitOfWork } from '../database/unit-of-work';
import { NotificationsService } from '../notifications/notifications.service';
import type { OrderDto } from '../orders/dto/order.dto';
import { MIN_NOTIONAL } from '../orders/order-pricing';
import { OrdersService } from '../orders/orders.service';
import { recurringRunNotification } from './recurring-buy-notifications';
import { toRecurringBuyDto, toRecurringBuyRunDto } from './recurring-buy.mapper';
import { type ClaimedRun, type RunOutcome, RecurringBuysRepository } from './recurring-buys.repository';
import { RecurringBuysService } from './recurring-buys.service';

const JOB = 'recurring-buys';
/** Schedules (or retries) one transaction claims; a round claims batches until nothing is due. */
const CLAIM_BATCH = 50;
/** Batches one round works through at most (the next tick goes on). */
const MAX_BATCHES = 20;
/** Buys of one batch placed at once. */
const CONCURRENCY = 4;
/** Attempts of a run that meets a stale price or an error on our side before it is recorded as failed. */
export const MAX_ATTEMPTS = 5;
/**
 * A claimed run is taken up again by any instance this long after its claim when it has not finished: the
 * instance that claimed it stopped (a crash) in the middle. The retry places the order with the same
 * Idempotency-Key, so an order that did commit is found, never placed twice.
 */
export const IN_FLIGHT_LEASE_MS = 120_000;
/** Refusals that may pass by themselves: the run is tried again (under a new key: they are stored under theirs), up to MAX_ATTEMPTS. */
const RETRYABLE = new Set(['PRICE_STALE', 'DATABASE_BUSY', 'SERVICE_UNAVAILABLE', 'IDEMPOTENCY_CONFLICT']);

/**
 * Runs the recurring buys (ARCHITECTURE §3 "Recurring buys"). On every
 * instance, at boot (without delaying it) and then every RECURRING_BUYS_TICK_MS:
 *
 * 1. Claim, in one short transaction: the active schedules whose `next_run_at`
 *    has come (`FOR UPDATE SKIP LOCKED`: instances share the work, none
 *    waits), by the database's clock. For each, the latest period that began
 *    (however many passed while no instance ran: they run once, not once per
 *    missed period) is claimed by inserting its run, which UNIQUE
 *    (recurring_buy_id, period_start) allows once; `next_run_at` moves to the
 *    next period that starts after now.
 * 2. Buy, with no transaction held: the market buy by quoteAmount of POST
 *    /api/orders (OrdersService.createOrder: fresh quote, fee, the one-statement
 *    journal and cost basis), with the Idempotency-Key
 *    `recurring-buy:<run>:<attempt>`; an attempt after one whose outcome is
 *    unknown or was not stored (a lost connection, a server error) reuses the
 *    earlier attempt's key (`order_key_attempt`), so an order that did commit
 *    is found, never placed twice.
 * 3. Record the outcome on the run (`WHERE status = 'pending'`: once), then
 *    audit it and tell the owner. Short funds (or any other refusal of the
 *    order) record the run as skipped with the reason; a stale price or an
 *    error on our side is tried again after a delay, up to MAX_ATTEMPTS, then
 *    recorded as failed. Before a run is recorded as failed or skipped, its key
 *    is read (OrdersService.placedUnder: waits for a request in flight under
 *    it, places nothing): an order that committed under it after all (an
 *    answer lost, another instance's attempt) records the run as filled.
 *    Nothing is thrown out of the schedule.
 */
@Injectable()
export class RecurringBuysRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('RecurringBuys');
  private readonly job: RepeatingJob;

  constructor(
    private readonly config: AppConfig,
    scheduler: SchedulerRegistry,
    private readonly uow: UnitOfWork,
    private readonly repo: RecurringBuysRepository,
    private readonly schedules: RecurringBuysService,
    private readonly orders: OrdersService,
    private readonly users: UsersReader,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
  ) {
    this.job = new RepeatingJob(
      scheduler,
      JOB,
      () => this.round(),
      () => this.config.values.recurringBuysTickMs,
    );
  }

  private get stopped(): boolean {
    return this.job.isStopped;
  }

  onApplicationBootstrap(): void {
    this.job.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  /** Stops the schedule and waits for the round under way (it may be placing an order). */
  stop(): Promise<void> {
    return this.job.stop();
  }

  /** One tick: claims and runs what is due, in batches. */
  async round(): Promise<void> {
    try {
      for (let batch = 0; batch < MAX_BATCHES && !this.stopped; batch++) {
        const claimed = [...(await this.claimDue()), ...(await this.uow.run((tx) => this.repo.lockRetries(tx, CLAIM_BATCH, IN_FLIGHT_LEASE_MS)))];
        if (claimed.length === 0) return;
        await inParallel(claimed, CONCURRENCY, (c) => this.execute(c));
      }
    } catch (e) {
      if (!this.stopped) this.logger.warn({ reason: (e as Error).message }, 'recurring buys: round failed; the next tick tries again');
    }
  }

  /** Step 1: claims the latest period of every due schedule (once per period across instances) and moves its next run on. */
  private claimDue(): Promise<ClaimedRun[]> {
    return this.uow.run(async (tx) => {
      const { now, due } = await this.repo.lockDue(tx, CLAIM_BATCH);
      const claimed: ClaimedRun[] = [];
      for (const schedule of due) {
        const periods = this.schedules.periods(schedule);
        const period = periods.latestAtOrBefore(now) ?? new Date(schedule.start_at);
        const next = periods.firstAfter(now);
        const run = await this.repo.claimRun(tx, schedule, period, new Date(now.getTime() + IN_FLIGHT_LEASE_MS));
        await this.repo.setNextRun(tx, schedule.id, next);
        if (run) claimed.push({ run, schedule: { ...schedule, next_run_at: next } });
      }
      return claimed;
    });
  }

  /** Steps 2 and 3 for one claimed run. Never throws. */
  private async execute({ run, schedule }: ClaimedRun): Promise<void> {
    const quoteAmount = formatAmount(schedule.quote_amount, CASH_ASSET);
    const key = orderKey(run);
    const input = { symbol: schedule.symbol, side: 'buy', type: 'market', quoteAmount } as const;
    let order: OrderDto | undefined;
    let outcome: RunOutcome;
    /** The last attempt's error, for the log of a failed run. */
    let cause: string | undefined;
    try {
      if (await this.users.isSuspended(schedule.user_id)) {
        outcome = { status: 'skipped', reasonCode: 'ACCOUNT_SUSPENDED', reason: 'Your account is suspended' };
      } else {
        ({ order } = await this.orders.createOrder({ id: schedule.user_id }, input, key, { announce: false }));
        outcome = filledOutcome(order);
      }
    } catch (e) {
      const code = failureCode(e);
      if (e instanceof AppError && e.status < 500 && !RETRYABLE.has(code)) {
        outcome = { status: 'skipped', reasonCode: code, reason: skipReason(e, schedule.symbol, quoteAmount) };
      } else if (run.attempts < MAX_ATTEMPTS) {
        // Only a refusal stored under the key (a 4xx) needs a new one: after anything else the order may have
        // committed (a lost connection) or left nothing under the key, and the same key finds it or places it.
        const sameKey = !(e instanceof AppError && e.status < 500);
        try {
          if (await this.repo.retryLater(run.id, run.attempts, this.retryDelayMs(run.attempts), sameKey)) {
            this.logger.log({ run: run.id, attempt: run.attempts, reason: code }, 'recurring buy: will try again');
          }
          // Not moved on: another instance took this attempt up meanwhile (its lease ended) or ended the run.
        } catch (retryError) {
          // The run stays pending: its lease ends and a later tick takes it up, under this attempt's key.
          this.logger.warn({ run: run.id, reason: (retryError as Error).message }, 'recurring buy: retry not recorded');
        }
        return;
      } else {
        cause = (e as Error).message;
        outcome = { status: 'failed', ...failedReason(code, schedule.symbol, run.attempts) };
      }
    }
    if (outcome.status !== 'filled') {
      // Before a run is recorded as not bought, its key says whether an order committed under it after all: this
      // attempt's answer or an earlier one's was lost, or another instance's attempt under the same key (its lease
      // ended) is committing now (the read waits for it).
      try {
        order = await this.orders.placedUnder({ id: schedule.user_id }, input, key);
      } catch (e) {
        // The run stays pending: its lease ends and a later tick takes it up, under this attempt's key.
        this.logger.warn({ run: run.id, reason: (e as Error).message }, 'recurring buy: its key could not be read; a later tick takes it up');
        return;
      }
      if (order) {
        this.logger.log({ run: run.id, attempts: run.attempts, was: outcome.reasonCode }, 'recurring buy: its order was found under its key');
        outcome = filledOutcome(order);
      } else if (outcome.status === 'failed') {
        this.logger.warn({ run: run.id, attempts: run.attempts, reasonCode: outcome.reasonCode, reason: cause }, 'recurring buy: failed');
      }
    }
    await this.finish({ run, schedule }, outcome, order);
  }

  /** Records the outcome (once: the instance that records it audits and notifies). */
  private async finish({ run, schedule }: ClaimedRun, outcome: RunOutcome, order: OrderDto | undefined): Promise<void> {
    try {
      const finished = await this.repo.finishRun(run.id, outcome);
      if (!finished) return;
      const runDto = toRecurringBuyRunDto(finished, schedule.symbol);
      await this.audit.record({
        action: `recurring_buy.run_${outcome.status}`,
        userId: schedule.user_id,
        details: { recurringBuyId: schedule.id, runId: run.id, periodStart: runDto.periodStart, orderId: runDto.orderId, reasonCode: runDto.reasonCode },
      });
      const notice = recurringRunNotification(toRecurringBuyDto(schedule), runDto, order);
      await this.notifications.notify(schedule.user_id, { ...notice, email: outcome.status !== 'filled' });
    } catch (e) {
      this.logger.warn({ run: run.id, reason: (e as Error).message }, 'recurring buy: outcome not recorded or not told');
    }
  }

  /** The wait before attempt n + 1: a tick, or RECURRING_BUYS_RETRY_MS (default a second) if longer, doubling per attempt, at most an hour. */
  private retryDelayMs(attempt: number): number {
    const { recurringBuysTickMs, recurringBuysRetryMs } = this.config.values;
    return Math.min(3_600_000, Math.max(recurringBuysRetryMs, recurringBuysTickMs) * 2 ** (attempt - 1));
  }
}

/** The Idempotency-Key of a run's order: its attempt's number, or that of the earlier attempt whose outcome is unknown. */
function orderKey(run: { id: string; attempts: number; order_key_attempt: number | null }): string {
  return `recurring-buy:${run.id}:${run.order_key_attempt ?? run.attempts}`;
}

function filledOutcome(order: OrderDto): RunOutcome {
  return {
    status: 'filled',
    orderId: order.id,
    quantity: order.quantity,
    price: order.filledPrice ?? undefined,
    fee: order.fee ?? undefined,
    quoteAmount: order.quoteAmount ?? undefined,
  };
}

/** Why a run was skipped, in words (the run's `reason`; the notification quotes it). */
function skipReason(e: AppError, symbol: string, quoteAmount: string): string {
  switch (e.code) {
    case 'INSUFFICIENT_FUNDS':
      return `Your available USD balance did not cover ${formatUsd(quoteAmount)}`;
    case 'MIN_NOTIONAL':
      return `After the fee, ${formatUsd(quoteAmount)} is below the minimum order value of ${formatUsd(MIN_NOTIONAL)}`;
    case 'UNKNOWN_ASSET':
      return `${symbol} is no longer listed`;
    default:
      return e.message;
  }
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}

/**
 * What a failed attempt was, as the error shape would name it: an AppError's code; a statement the database cancelled
 * (it waited longer than DATABASE_STATEMENT_TIMEOUT_MS, e.g. on a lock) DATABASE_BUSY; a database that could not be
 * reached SERVICE_UNAVAILABLE (all-exceptions.filter answers a request the same); anything else ERROR.
 */
function failureCode(e: unknown): string {
  if (e instanceof AppError) return e.code;
  if (isStatementCancelled(e)) return 'DATABASE_BUSY';
  if (isDatabaseUnavailable(e)) return 'SERVICE_UNAVAILABLE';
  return 'ERROR';
}

/** Why a run failed after its last attempt, for its owner: the last attempt's cause. */
function failedReason(code: string, symbol: string, attempts: number): { reasonCode: string; reason: string } {
  switch (code) {
    case 'PRICE_STALE':
      return { reasonCode: 'PRICE_STALE', reason: `No current ${symbol} price was available (${attempts} attempts)` };
    case 'DATABASE_BUSY':
      return { reasonCode: 'DATABASE_BUSY', reason: `The service was too busy to place it (${attempts} attempts)` };
    case 'SERVICE_UNAVAILABLE':
      return { reasonCode: 'SERVICE_UNAVAILABLE', reason: `A service it needs was unavailable (${attempts} attempts)` };
    default:
      return { reasonCode: 'ERROR', reason: 'Something went wrong on our side' };
  }
}
