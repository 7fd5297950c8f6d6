import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../common/auth/auth-user';
import { conflict, ErrorDetail, notFound, unprocessable, validationFailed } from '../common/errors/app-error';
import { freshPrice } from '../common/market/fresh-quote';
import { MARKET_QUOTES, type MarketQuotes } from '../common/market/market-quotes';
import { decodeCursor, encodeCursor } from '../common/dto/pagination.dto';
import { CASH_ASSET, formatAmount } from '../common/money/amount-format';
import { Dec, dec } from '../common/money/decimal';
import { AppConfig } from '../config/config.service';
import { inTransaction } from '../database/transaction';
import { MetricsService } from '../metrics/metrics.service';
import { UserEventsService } from '../notifications/user-events.service';
import { IdempotencyService } from '../wallet/idempotency.service';
import { LedgerService } from '../wallet/ledger.service';
import { userAccount } from '../wallet/ledger.types';
import { CreateOrderDto, ListOrdersQueryDto, OrderListDto, OrderResponseDto } from './dto/order.dto';
import type { OrderEntity } from './entities/order.entity';
import { orderFromRow, toOrderDto, updatedRows } from './order.mapper';
import { buyReservation, firesWhen, MIN_NOTIONAL, priceExecution } from './order-pricing';
import { MarketOrderBatcher } from './market-order-batcher';
import { TradeExecutor } from './trade-executor';
import { TriggerEngine } from './trigger-engine.service';

/** Checks the field combinations each order type allows (400 with the offending fields). */
export function orderShapeProblems(dto: CreateOrderDto): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const forbid = (field: keyof CreateOrderDto, why: string): void => {
    if (dto[field] !== undefined) problems.push({ field, message: `${field} ${why}` });
  };
  const need = (field: keyof CreateOrderDto, why: string): void => {
    if (dto[field] === undefined) problems.push({ field, message: `${field} ${why}` });
  };
  if (dto.type === 'market') {
    if ((dto.quantity === undefined) === (dto.quoteAmount === undefined)) {
      problems.push({ field: 'quantity', message: 'a market order needs exactly one of quantity or quoteAmount' });
    }
    forbid('limitPrice', 'is only for limit orders');
    forbid('stopPrice', 'is only for stop orders');
  } else {
    need('quantity', `is required for ${dto.type} orders`);
    forbid('quoteAmount', 'is only for market orders');
    if (dto.type === 'limit') {
      need('limitPrice', 'is required for limit orders');
      forbid('stopPrice', 'is only for stop orders');
    } else {
      need('stopPrice', 'is required for stop orders');
      forbid('limitPrice', 'is only for limit orders');
    }
  }
  return problems;
}

@Injectable()
export class OrdersService {
  private readonly logger = new Logger('Orders');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(MARKET_QUOTES) private readonly quotes: MarketQuotes,
    private readonly config: AppConfig,
    private readonly ledger: LedgerService,
    private readonly executor: TradeExecutor,
    private readonly batcher: MarketOrderBatcher,
    private readonly idempotency: IdempotencyService,
    private readonly engine: TriggerEngine,
    private readonly events: UserEventsService,
    private readonly metrics: MetricsService,
  ) {}

  private get feeRate(): Dec {
    return dec(this.config.values.tradingFeeRate);
  }

  async createOrder(user: AuthUser, input: CreateOrderDto, idempotencyKey: string | undefined): Promise<OrderResponseDto> {
    // An explicit null is the same as leaving the field out.
    const dto = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined)) as CreateOrderDto;
    const problems = orderShapeProblems(dto);
    if (problems.length) throw validationFailed(problems);
    if (dto.symbol === CASH_ASSET || !this.quotes.isKnown(dto.symbol)) throw unprocessable('UNKNOWN_ASSET', `Unknown asset ${dto.symbol}`);
    const body = { ...dto };
    // A market order is one statement (see placeMarket): without a key it needs no transaction.
    // Set when this call placed the order (not when an Idempotency-Key replayed an earlier one): only new orders are counted.
    let placed = false;
    const result = await this.idempotency.run({ userId: user.id, scope: 'orders.create', key: idempotencyKey, body, atomic: dto.type === 'market' }, (em) => {
      placed = true;
      return dto.type === 'market' ? this.placeMarket(em, user.id, dto) : this.placeResting(em, user.id, dto);
    });
    if (placed) this.metrics.orderCreated(result.order);
    if (result.order.status === 'open') {
      const trigger = dto.type === 'limit' ? dto.limitPrice! : dto.stopPrice!;
      await this.engine.track({ id: result.order.id, symbol: dto.symbol, direction: firesWhen(dto.side, dto.type as 'limit' | 'stop'), trigger: dec(trigger) });
    } else if (result.order.status === 'filled') {
      // The caller has the HTTP answer; the event keeps the user's other tabs and devices current.
      this.pushEvent(user.id, 'order_filled', result);
    }
    return result;
  }

  /** Fills now at the live quote (never a client price): order, journal, balances and cost basis in one statement. */
  private async placeMarket(em: EntityManager, userId: string, dto: CreateOrderDto): Promise<OrderResponseDto> {
    const price = this.freshPrice(dto.symbol);
    const e = priceExecution(dto.side, price, this.feeRate, {
      quantity: dto.quantity !== undefined ? dec(dto.quantity) : undefined,
      quoteAmount: dto.quoteAmount !== undefined ? dec(dto.quoteAmount) : undefined,
    });
    this.checkNotional(e.notional);
    if (e.quantity.isZero()) throw unprocessable('MIN_NOTIONAL', 'The order is too small to buy any of the asset');
    // Order row, journal, entries, balances and cost basis in ONE statement, alone or with the
    // market orders of other users that arrived at the same time (see MarketOrderBatcher).
    // Inside an Idempotency-Key's transaction it is posted there, alone.
    const row = await this.batcher.post({ id: randomUUID(), userId, symbol: dto.symbol, side: dto.side, e, price }, em.queryRunner?.isTransactionActive ? em : undefined);
    return { order: toOrderDto(orderFromRow(row)) };
  }

  /** Limit and stop orders reserve what they may spend (available → locked) and rest open. */
  private async placeResting(em: EntityManager, userId: string, dto: CreateOrderDto): Promise<OrderResponseDto> {
    const quantity = dec(dto.quantity!);
    const trigger = dec(dto.type === 'limit' ? dto.limitPrice! : dto.stopPrice!);
    this.checkNotional(quantity.mul(trigger));
    // A resting order needs a live market too: refusing on a stale quote keeps it from firing on an old price.
    this.freshPrice(dto.symbol);
    const reservedAsset = dto.side === 'buy' ? CASH_ASSET : dto.symbol;
    const reserved = dto.side === 'buy' ? buyReservation(quantity, trigger, this.feeRate) : quantity;
    const id = randomUUID();
    const locked = await this.executor.lockTradeBalances(em, userId, dto.symbol);
    await this.ledger.hold(
      em,
      {
        account: userAccount(userId),
        asset: reservedAsset,
        amount: reserved,
        type: 'order_hold',
        reference: `order:${id}:hold`,
        userId,
        description: `Reserved ${formatAmount(reserved, reservedAsset)} ${reservedAsset} for a ${dto.type} ${dto.side} of ${dto.symbol}`,
      },
      locked,
    );
    const [row] = (await em.query(
      `INSERT INTO orders (id, user_id, symbol, side, type, status, quantity, limit_price, stop_price, fee_asset, reserved_asset, reserved_amount)
       VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8, $9, $10, $11) RETURNING *`,
      [id, userId, dto.symbol, dto.side, dto.type, quantity.toFixed(), dto.limitPrice ?? null, dto.stopPrice ?? null, CASH_ASSET, reservedAsset, reserved.toFixed()],
    )) as Record<string, unknown>[];
    return { order: toOrderDto(orderFromRow(row)) };
  }

  async listOrders(user: AuthUser, q: ListOrdersQueryDto): Promise<OrderListDto> {
    const limit = q.limit ?? 20;
    const cursor = decodeCursor(q.cursor, 'uuid');
    const params: unknown[] = [user.id];
    const where = ['user_id = $1'];
    if (q.status) where.push(`status = $${params.push(q.status)}`);
    if (q.symbol) where.push(`symbol = $${params.push(q.symbol)}`);
    if (q.side) where.push(`side = $${params.push(q.side)}`);
    if (cursor) {
      where.push(`(created_at, id) < ($${params.push(cursor.createdAt)}, $${params.push(cursor.id)}::uuid)`);
    }
    const rows = (await this.dataSource.query(
      `SELECT * FROM orders WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ${limit + 1}`,
      params,
    )) as Record<string, unknown>[];
    const page = rows.slice(0, limit).map(orderFromRow);
    const last = page[page.length - 1];
    return { items: page.map(toOrderDto), nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.createdAt), last.id) : null };
  }

  async getOrder(user: AuthUser, id: string): Promise<OrderResponseDto> {
    return { order: toOrderDto(await this.findOwn(this.dataSource.manager, user.id, id)) };
  }

  /** Cancels an open order and releases its reservation; 409 INVALID_STATE once it is filled, cancelled or rejected. */
  async cancelOrder(user: AuthUser, id: string): Promise<OrderResponseDto> {
    const result = await inTransaction(this.dataSource, async (em) => {
      const order = await this.findOwn(em, user.id, id, true);
      if (order.status !== 'open') throw conflict('INVALID_STATE', `The order is ${order.status}, only open orders can be cancelled`);
      const reserved = dec(order.reservedAmount);
      if (reserved.gt(0)) {
        const asset = order.reservedAsset ?? CASH_ASSET;
        await this.ledger.release(em, {
          account: userAccount(user.id),
          asset,
          amount: reserved,
          type: 'order_cancel',
          reference: `order:${order.id}:cancel`,
          userId: user.id,
          description: `Released ${formatAmount(reserved, asset)} ${asset}: cancelled ${order.type} ${order.side} of ${order.symbol}`,
        });
      }
      const [row] = updatedRows(
        await em.query(`UPDATE orders SET status = 'cancelled', reserved_amount = 0, closed_at = now() WHERE id = $1 AND status = 'open' RETURNING *`, [order.id]),
      );
      return { order: toOrderDto(orderFromRow(row)) };
    });
    await this.engine.untrack(id);
    this.metrics.orderClosed(result.order);
    this.pushEvent(user.id, 'order_cancelled', { ...result, reason: 'cancelled' });
    return result;
  }

  /** A realtime `/ws/user` event for a change the user made themselves (no in-app notification: they know). */
  private pushEvent(userId: string, type: 'order_filled' | 'order_cancelled', data: OrderResponseDto & { reason?: string }): void {
    this.events.publish(userId, { type, data: { ...data }, timestamp: new Date().toISOString() }).catch((e: unknown) => this.logger.warn(`order event not published: ${(e as Error).message}`));
  }

  private async findOwn(em: EntityManager, userId: string, id: string, forUpdate = false): Promise<OrderEntity> {
    const rows = (await em.query(`SELECT * FROM orders WHERE id = $1 AND user_id = $2${forUpdate ? ' FOR UPDATE' : ''}`, [id, userId])) as Record<string, unknown>[];
    if (!rows.length) throw notFound('No such order');
    return orderFromRow(rows[0]);
  }

  private freshPrice(symbol: string): Dec {
    return freshPrice(this.quotes, symbol, this.config.values.priceMaxAgeMs);
  }

  private checkNotional(notional: Dec): void {
    if (notional.lt(MIN_NOTIONAL)) throw unprocessable('MIN_NOTIONAL', `The order value must be at least ${MIN_NOTIONAL.toFixed(2)} USD`);
  }
}
