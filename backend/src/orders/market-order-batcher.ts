import { Injectable } from '@nestjs/common';
import { WebhookOutbox } from '../auth/api-keys/webhooks/webhook-outbox';
import { AppError } from '../common/errors/app-error';
import { CASH_ASSET } from '../common/money/amount-format';
import { AppConfig } from '../config/config.service';
import { pgErrorCode, withRetries } from '../database/transaction';
import type { Tx } from '../database/unit-of-work';
import { LedgerService } from '../ledger/ledger.service';
import { MetricsService } from '../metrics/metrics.service';
import type { OrderEntity } from './entities/order.entity';
import { toOrderDto } from './order.mapper';
import { MarketFill, OrderRow, orderFromRow, OrdersRepository } from './orders.repository';
import { PositionsRepository } from './positions.repository';
import { TradeExecutor } from './trade-executor';

export type { MarketFill };

interface Pending {
  fill: MarketFill;
  resolve: (order: OrderEntity) => void;
  reject: (e: unknown) => void;
}

/**
 * Posts market orders: order row, journal, balances and cost basis in one
 * statement that commits by itself.
 *
 * Orders are not held back to wait for company: while fewer than
 * ORDER_BATCH_CONCURRENCY statements are in flight, an order goes at once,
 * alone. Orders that arrive while every slot is busy queue, and the next free
 * slot posts them together (up to ORDER_BATCH_MAX) in ONE statement: one
 * round trip, one plan, one commit for all of them, instead of one each. The
 * statement is the same whatever the number of orders.
 *
 * A statement holds at most one order per user, so no balance or position row
 * appears twice in it, and the result is exactly that of posting them one
 * after another (a user's next order simply waits for the next statement).
 * When the database refuses the statement as a whole (one of the users could
 * not afford their order: the balances CHECK), nothing was written, and the
 * orders are posted one by one, each getting its own answer. A failure that
 * is not such a refusal (the connection was lost) is every order's answer:
 * an order is never posted twice.
 */
@Injectable()
export class MarketOrderBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;

  constructor(
    private readonly ledger: LedgerService,
    private readonly executor: TradeExecutor,
    private readonly orders: OrdersRepository,
    private readonly positions: PositionsRepository,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly outbox: WebhookOutbox,
  ) {}

  /**
   * Posts one market order and returns it. Inside a transaction (`tx`, an
   * Idempotency-Key's): there and then, alone. Otherwise through the queue,
   * each statement committing by itself.
   */
  post(fill: MarketFill, tx?: Tx): Promise<OrderEntity> {
    if (tx) return this.postTogether(tx, [fill]).then(([order]) => order);
    return new Promise((resolve, reject) => {
      this.queue.push({ fill, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.config.values.orderBatchConcurrency && this.queue.length) {
      const batch = this.take();
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  /** The oldest queued orders, at most one per user, up to ORDER_BATCH_MAX; the rest keep their place. */
  private take(): Pending[] {
    const max = this.config.values.orderBatchMax;
    const users = new Set<string>();
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    for (const p of this.queue) {
      if (batch.length < max && !users.has(p.fill.userId)) {
        users.add(p.fill.userId);
        batch.push(p);
      } else rest.push(p);
    }
    this.queue = rest;
    return batch;
  }

  private async run(batch: Pending[]): Promise<void> {
    this.metrics.marketOrderBatch(batch.length);
    try {
      const rows = await withRetries(() =>
        this.postTogether(
          this.orders.autocommit(),
          batch.map((p) => p.fill),
        ),
      );
      batch.forEach((p, i) => p.resolve(rows[i]));
      return;
    } catch (e) {
      if (batch.length === 1 || !refusedAsAWhole(e)) {
        for (const p of batch) p.reject(e);
        return;
      }
    }
    this.metrics.marketOrderBatchFallback();
    await Promise.all(
      batch.map((p) =>
        withRetries(() => this.postTogether(this.orders.autocommit(), [p.fill])).then(
          ([row]) => p.resolve(row),
          (e: unknown) => p.reject(e),
        ),
      ),
    );
  }

  /**
   * One statement for these orders (one per user): the ledger's journals with
   * the order rows and the cost basis as parts built here, as values. Their
   * orders, in the same order.
   */
  private async postTogether(tx: Tx, fills: MarketFill[]): Promise<OrderEntity[]> {
    await this.positions.ensureRows(tx, fills);
    const rows = await this.ledger.postManyInOneStatement<OrderRow>(
      tx,
      fills.map((f) => ({
        type: 'trade',
        reference: `order:${f.id}:fill`,
        userId: f.userId,
        description: this.executor.describe(f.side, f.symbol, f.e, f.price),
        lines: this.executor.tradeLines(f.userId, f.symbol, f.side, f.e, 'available'),
      })),
      {
        parts: [
          this.positions.costBasisPart(fills),
          this.orders.marketOrdersPart(fills),
          // `order.filled` for the owners' webhooks, in the same statement (the outbox; nothing when they have none).
          this.outbox.orderFilledPart(fills.map((f) => ({ userId: f.userId, data: toOrderDto(filledMarketOrder(f)) }))),
        ],
        select: 'SELECT * FROM o',
      },
    );
    const byId = new Map(rows.map((r) => [String(r.id), r]));
    return fills.map((f) => {
      const row = byId.get(f.id);
      if (!row) throw new Error(`market order ${f.id} was not returned by its statement`);
      return orderFromRow(row);
    });
  }
}

/**
 * A market order as its statement writes it (OrdersRepository.marketOrdersPart), for its webhook event's data; the
 * times are the statement's now(), set by the outbox's part.
 */
function filledMarketOrder(f: MarketFill): OrderEntity {
  const at = new Date(0);
  return {
    id: f.id,
    userId: f.userId,
    symbol: f.symbol,
    side: f.side,
    type: 'market',
    status: 'filled',
    quantity: f.e.quantity.toFixed(),
    quoteAmount: f.e.notional.toFixed(),
    limitPrice: null,
    stopPrice: null,
    filledPrice: f.price.toFixed(),
    fee: f.e.fee.toFixed(),
    feeAsset: CASH_ASSET,
    reservedAsset: null,
    reservedAmount: '0',
    sizedBy: 'quantity',
    createdAt: at,
    filledAt: at,
    closedAt: at,
  };
}

/**
 * The database refused the whole statement, so nothing of it was written and
 * each order may be posted again on its own: a business refusal mapped to a
 * 4xx (INSUFFICIENT_FUNDS from the balances CHECK), or any other error
 * PostgreSQL answered with a SQLSTATE. A lost connection is neither: whether
 * the statement committed is unknown. Nor is a statement the server cancelled
 * (57014: it ran past DATABASE_STATEMENT_TIMEOUT_MS): every order of the batch
 * is answered 503 DATABASE_BUSY, and posting them again one by one, each with
 * a fresh timeout, would place orders whose requests have been answered
 * "retry" (a retry would then place a second one).
 */
function refusedAsAWhole(e: unknown): boolean {
  if (e instanceof AppError) return e.status >= 400 && e.status < 500;
  const err = ((e as { driverError?: unknown }).driverError ?? e) as { code?: unknown; severity?: unknown };
  if (pgErrorCode(e) === STATEMENT_CANCELLED) return false;
  return typeof err.severity === 'string' && typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code);
}

/** SQLSTATE query_canceled. */
const STATEMENT_CANCELLED = '57014';
