import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MARKET_QUOTES, type MarketQuotes, type Quote } from '../common/market/market-quotes';
import { Dec, dec } from '../common/money/decimal';
import { AppConfig } from '../config/config.service';
import { inTransaction } from '../database/transaction';
import { MetricsService } from '../metrics/metrics.service';
import { NotificationsService } from '../notifications/notifications.service';
import { PUB_SUB, type PubSub } from '../redis/redis.interfaces';
import { ORDER_BOOK_CHANNEL, OrderBookEvent, parseOrderBookEvent } from './order-book.events';
import { orderClosedNotification } from './order-notifications';
import { firesWhen } from './order-pricing';
import { toOrderDto } from './order.mapper';
import { TradeExecutor } from './trade-executor';
import { RestingOrder, TriggerBook } from './trigger-book';

/** Full reload from PostgreSQL this often on the leader, repairing any lost pub/sub message. */
const RESYNC_MS = 30_000;

/**
 * Fills resting limit and stop orders when a tick crosses them.
 *
 * Every instance keeps the book (loaded from PostgreSQL at start, then kept
 * current by create/cancel/fill events published on PUB_SUB, so an order
 * created through a non-leader instance reaches the leader). Only the leader
 * receives ticks (`MARKET_QUOTES.onTick`) and acts on them; when an instance
 * becomes leader it reloads the book from the database first, and the leader
 * reloads every 30 s, so a lost message delays a fill but never loses it.
 * Exactly-once does not depend on any of this: a fill is the transition
 * `open → filled` under a row lock (`... WHERE status = 'open'`), plus a
 * unique journal reference per fill, so two instances or a replayed tick
 * can never fill an order twice.
 */
@Injectable()
export class TriggerEngine implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TriggerEngine.name);
  private readonly book = new TriggerBook();
  private unsubscribeTicks?: () => void;
  private unsubscribeBook?: () => Promise<void>;
  private resyncTimer?: NodeJS.Timeout;
  /** Latest unprocessed price per symbol: ticks are coalesced while a batch is being filled. */
  private readonly pending = new Map<string, Dec>();
  private draining?: Promise<void>;
  private leaderSynced = false;
  /** Events heard while a reload is reading the database, re-applied after it. */
  private reloadBuffer?: OrderBookEvent[];
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(MARKET_QUOTES) private readonly quotes: MarketQuotes,
    @Inject(PUB_SUB) private readonly pubsub: PubSub,
    private readonly executor: TradeExecutor,
    private readonly config: AppConfig,
    private readonly notifications: NotificationsService,
    private readonly metrics: MetricsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.unsubscribeBook = await this.pubsub.subscribe(ORDER_BOOK_CHANNEL, (m) => {
      const event = parseOrderBookEvent(m);
      if (event) this.apply(event);
    });
    await this.reload();
    this.unsubscribeTicks = this.quotes.onTick((quotes) => this.onTick(quotes));
    this.resyncTimer = setInterval(() => {
      if (this.quotes.isLeader()) this.reload().catch((e: unknown) => this.logger.warn(`resync failed: ${(e as Error).message}`));
      else this.leaderSynced = false;
    }, RESYNC_MS);
    this.resyncTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.unsubscribeTicks?.();
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    await this.unsubscribeBook?.().catch(() => undefined);
    await this.draining;
  }

  /** A resting order was committed: index it here and on every other instance. */
  async track(order: RestingOrder): Promise<void> {
    this.book.add(order);
    await this.publish({ op: 'add', id: order.id, symbol: order.symbol, direction: order.direction, trigger: order.trigger.toFixed() });
  }

  /** An order left the book (cancelled, filled, rejected). */
  async untrack(id: string): Promise<void> {
    this.book.remove(id);
    await this.publish({ op: 'remove', id });
  }

  get restingCount(): number {
    return this.book.size;
  }

  private async publish(event: OrderBookEvent): Promise<void> {
    try {
      await this.pubsub.publish(ORDER_BOOK_CHANNEL, JSON.stringify(event));
    } catch (e) {
      // The periodic resync repairs the other instances' books.
      this.logger.warn(`could not publish order-book event: ${(e as Error).message}`);
    }
  }

  private apply(event: OrderBookEvent): void {
    this.reloadBuffer?.push(event);
    if (event.op === 'remove') this.book.remove(event.id);
    else this.book.add({ id: event.id, symbol: event.symbol, direction: event.direction, trigger: dec(event.trigger) });
  }

  /** Replaces the book with the open limit and stop orders in PostgreSQL. */
  private async reload(): Promise<void> {
    this.reloadBuffer = [];
    try {
      const rows = (await this.dataSource.query(
        `SELECT id, symbol, side, type, limit_price, stop_price FROM orders WHERE status = 'open' AND type IN ('limit', 'stop')`,
      )) as { id: string; symbol: string; side: 'buy' | 'sell'; type: 'limit' | 'stop'; limit_price: string | null; stop_price: string | null }[];
      const buffered = this.reloadBuffer;
      this.book.clear();
      for (const r of rows) {
        this.book.add({ id: r.id, symbol: r.symbol, direction: firesWhen(r.side, r.type), trigger: dec((r.type === 'limit' ? r.limit_price : r.stop_price)!) });
      }
      this.reloadBuffer = undefined;
      for (const event of buffered) this.apply(event);
    } finally {
      this.reloadBuffer = undefined;
    }
  }

  private onTick(quotes: Quote[]): void {
    if (this.stopped) return;
    for (const q of quotes) this.pending.set(q.symbol, dec(q.price));
    this.draining ??= this.drain()
      .catch((e: unknown) => this.logger.error(`trigger engine: ${(e as Error).message}`))
      .finally(() => (this.draining = undefined));
  }

  private async drain(): Promise<void> {
    if (!this.leaderSynced) {
      await this.reload().catch((e: unknown) => this.logger.warn(`reload on leadership failed: ${(e as Error).message}`));
      this.leaderSynced = true;
    }
    while (this.pending.size && !this.stopped) {
      const batch = [...this.pending];
      this.pending.clear();
      for (const [symbol, price] of batch) {
        for (const order of this.book.crossed(symbol, price)) await this.fill(order, price);
      }
    }
  }

  private async fill(order: RestingOrder, price: Dec): Promise<void> {
    try {
      const result = await inTransaction(this.dataSource, (em) => this.executor.fillResting(em, order.id, price, dec(this.config.values.tradingFeeRate)));
      await this.untrack(order.id);
      if (result) {
        this.logger.log({ orderId: order.id, status: result.status, price: price.toFixed() }, `order ${result.status}`);
        this.metrics.orderClosed(result);
        const notice = orderClosedNotification(toOrderDto(result));
        if (notice) await this.notifications.notify(result.userId, notice).catch((e: unknown) => this.logger.warn(`order ${order.id}: owner not notified: ${(e as Error).message}`));
      }
    } catch (e) {
      // Left in the book: the next crossing tick tries again.
      this.logger.error(`filling order ${order.id} failed: ${(e as Error).message}`);
    }
  }
}
