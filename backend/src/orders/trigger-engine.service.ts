import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { Quote } from '../common/market/market-quotes';
import { Dec, dec } from '../common/money/decimal';
import { AppConfig } from '../config/config.service';
import { UnitOfWork, type Tx } from '../database/unit-of-work';
import { MetricsService } from '../metrics/metrics.service';
import { NotificationsService, type StagedNotification } from '../notifications/notifications.service';
import { PUB_SUB, type PubSub } from '../redis/redis.interfaces';
import type { Trigger } from '../triggers/trigger-book';
import { TriggerEngine as SharedTriggerEngine, type TriggerHandle, type TriggerRegistrant } from '../triggers/trigger-engine';
import { parseTriggerBookEvent, type TriggerBookEvent } from '../triggers/trigger-events';
import type { OrderEntity } from './entities/order.entity';
import { orderClosedNotification } from './order-notifications';
import { firesWhen } from './order-pricing';
import { toOrderDto } from './order.mapper';
import { OrdersRepository } from './orders.repository';
import { TradeExecutor } from './trade-executor';

/** Channel on which every instance hears about resting orders created or closed anywhere. */
export const ORDER_BOOK_CHANNEL = 'orders:book';
/** Every instance reloads the open orders this often, repairing any lost pub/sub message. */
const RESYNC_MS = 30_000;

/** A resting limit or stop order in the trigger book. */
export type RestingOrder = Trigger;

/**
 * Resting limit and stop orders as a registrant of the shared trigger engine
 * (triggers/): it tells the engine which orders are open and fills one when a
 * tick crosses it. Exactly-once is the fill's: the transition `open → filled`
 * under a row lock (`... WHERE status = 'open'`) plus a unique journal
 * reference per fill, so two instances or a replayed tick never fill twice.
 * Ticks that pile up are evaluated at the latest price.
 */
@Injectable()
export class RestingOrderTriggers implements TriggerRegistrant<RestingOrder>, OnModuleInit {
  readonly kind = 'orders';
  readonly channel = ORDER_BOOK_CHANNEL;
  readonly resyncMs = RESYNC_MS;
  readonly pileUp = 'latest';
  readonly fireOnArm = false;
  private readonly logger = new Logger('RestingOrders');
  private handle!: TriggerHandle<RestingOrder>;

  constructor(
    private readonly engine: SharedTriggerEngine,
    private readonly orders: OrdersRepository,
    private readonly uow: UnitOfWork,
    @Inject(PUB_SUB) private readonly pubsub: PubSub,
    private readonly executor: TradeExecutor,
    private readonly config: AppConfig,
    private readonly notifications: NotificationsService,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    this.handle = this.engine.register(this);
  }

  /** A resting order was committed: index it here and on every other instance. */
  async track(order: RestingOrder): Promise<void> {
    this.handle.arm(order);
    await this.publish({ op: 'add', id: order.id, symbol: order.symbol, direction: order.direction, trigger: order.trigger.toFixed() });
  }

  /** An order left the book (cancelled, filled, rejected). */
  async untrack(id: string): Promise<void> {
    this.handle.disarm(id);
    await this.publish({ op: 'remove', id });
  }

  get restingCount(): number {
    return this.handle.size;
  }

  async loadArmed(): Promise<RestingOrder[]> {
    return (await this.orders.openResting()).map((r) => ({
      id: r.id,
      symbol: r.symbol,
      direction: firesWhen(r.side, r.type),
      trigger: dec((r.type === 'limit' ? r.limit_price : r.stop_price)!),
    }));
  }

  async changed(message: string): Promise<{ id: string; armed: RestingOrder | null } | undefined> {
    const event = parseTriggerBookEvent(message);
    if (!event) return undefined;
    if (event.op === 'remove') return { id: event.id, armed: null };
    return { id: event.id, armed: { id: event.id, symbol: event.symbol, direction: event.direction, trigger: dec(event.trigger) } };
  }

  async fire(order: RestingOrder, quote: Quote): Promise<RestingOrder | null> {
    const price = dec(quote.price);
    let closed: { result: OrderEntity | null; notices: StagedNotification[] };
    try {
      closed = await this.uow.run(async (tx) => {
        const result = await this.executor.fillResting(tx, order.id, price, dec(this.config.values.tradingFeeRate));
        return { result, notices: await this.stageNotices(tx, result ? [result] : []) };
      });
    } catch (e) {
      // Left in the book: the next crossing tick tries again.
      this.logger.error(`filling order ${order.id} failed: ${(e as Error).message}`);
      return order;
    }
    await this.announce([order], closed.result ? [closed.result] : [], closed.notices, price);
    return null;
  }

  /**
   * Fills orders one tick crossed together, in one transaction (TradeExecutor.fillRestingMany: their fills posted by
   * one journal statement). When that transaction fails, each is tried on its own, so one bad order holds up no other.
   */
  async fireMany(orders: RestingOrder[], quote: Quote): Promise<(RestingOrder | null)[]> {
    const price = dec(quote.price);
    let closed: { results: OrderEntity[]; notices: StagedNotification[] };
    try {
      closed = await this.uow.run(async (tx) => {
        const results = await this.executor.fillRestingMany(
          tx,
          orders.map((o) => o.id),
          price,
          dec(this.config.values.tradingFeeRate),
        );
        return { results, notices: await this.stageNotices(tx, results) };
      });
    } catch (e) {
      this.logger.warn(`filling ${orders.length} crossed orders together failed, filling them one at a time: ${(e as Error).message}`);
      const after: (RestingOrder | null)[] = [];
      for (const order of orders) after.push(await this.fire(order, quote));
      return after;
    }
    await this.announce(orders, closed.results, closed.notices, price);
    return orders.map(() => null);
  }

  /** The owners' notifications of these closed orders, stored in the transaction that closed them (one statement). */
  private stageNotices(tx: Tx, results: OrderEntity[]): Promise<StagedNotification[]> {
    const items = results.flatMap((result) => {
      const input = orderClosedNotification(toOrderDto(result));
      return input ? [{ userId: result.userId, input }] : [];
    });
    return items.length ? this.notifications.stage(tx, items) : Promise.resolve([]);
  }

  /**
   * After the commit: the log lines and metrics, then side by side the other instances' books and the owners'
   * notifications (which reach their `/ws/user` sockets).
   */
  private async announce(left: RestingOrder[], results: OrderEntity[], notices: StagedNotification[], price: Dec): Promise<void> {
    for (const result of results) {
      this.logger.log({ orderId: result.id, status: result.status, price: price.toFixed() }, `order ${result.status}`);
      this.metrics.orderClosed(result);
    }
    await Promise.all([...notices.map((n) => this.notifications.deliver(n)), ...left.map((o) => this.publish({ op: 'remove', id: o.id }))]);
  }

  private async publish(event: TriggerBookEvent): Promise<void> {
    try {
      await this.pubsub.publish(ORDER_BOOK_CHANNEL, JSON.stringify(event));
    } catch (e) {
      // The periodic resync repairs the other instances' books.
      this.logger.warn(`could not publish order-book event: ${(e as Error).message}`);
    }
  }
}

/** The name orders.service.ts and orders.module.ts know this registrant by. */
export { RestingOrderTriggers as TriggerEngine };
