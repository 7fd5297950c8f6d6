import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { WebhookOutbox } from '../auth/api-keys/webhooks/webhook-outbox';
import type { AuthUser } from '../common/auth/auth-user';
import { conflict, ErrorDetail, notFound, unprocessable, validationFailed } from '../common/errors/app-error';
import { freshPrice } from '../common/market/fresh-quote';
import { MARKET_QUOTES, type MarketQuotes } from '../common/market/market-quotes';
import { decodeCursor, encodeCursor } from '../common/dto/pagination.dto';
import { CASH_ASSET, formatAmount } from '../common/money/amount-format';
import { Dec, dec } from '../common/money/decimal';
import { formatCrypto, formatMoney, formatUsdPrice } from '../common/money/prose-format';
import { AppConfig } from '../config/config.service';
import { IdempotencyService } from '../common/idempotency/idempotency.service';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { LedgerService } from '../ledger/ledger.service';
import { userAccount } from '../ledger/ledger.types';
import { MetricsService } from '../metrics/metrics.service';
import { UserEventsService } from '../notifications/user-events.service';
import {
  CreateOrderDto,
  ListOrdersQueryDto,
  MAX_AMOUNT,
  type OrderDto,
  OrderListDto,
  OrderResponseDto,
  type OrderSizing,
  OrderTermsResponseDto,
} from './dto/order.dto';
import type { OrderEntity } from './entities/order.entity';
import { toOrderDto } from './order.mapper';
import { OrdersRepository } from './orders.repository';
import { buyReservation, firesWhen, MIN_NOTIONAL, priceExecution, quantityForAmount } from './order-pricing';
import { AssetCatalogueService } from '../prices/quotes/asset-catalogue.service';
import { MarketOrderBatcher } from './market-order-batcher';
import { TradeExecutor } from './trade-executor';
import { TriggerEngine } from './trigger-engine.service';

/** Quantity decimals of an asset the catalogue does not say (every asset has 8: ARCHITECTURE §3). */
const DEFAULT_QUANTITY_DECIMALS = 8;

/** The fields of an order in words, as its messages name them. */
const ORDER_FIELD_WORDS: Partial<Record<keyof CreateOrderDto, string>> = {
  quantity: 'a quantity',
  quoteAmount: 'an amount in USD',
  limitPrice: 'a limit price',
  stopPrice: 'a stop price',
};

/** The order request as it is checked, hashed under its Idempotency-Key and placed: an explicit null is the same as leaving the field out. */
function orderBody(input: CreateOrderDto): CreateOrderDto {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined)) as CreateOrderDto;
}

/** Checks the field combinations each order type allows (400 with the offending fields, one plain message each). */
export function orderShapeProblems(dto: CreateOrderDto): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const forbid = (field: keyof CreateOrderDto, onlyFor: string): void => {
    if (dto[field] !== undefined) problems.push({ field, message: `Leave out ${ORDER_FIELD_WORDS[field]}: it is only for ${onlyFor} orders` });
  };
  const need = (field: keyof CreateOrderDto): void => {
    if (dto[field] === undefined) problems.push({ field, message: `Enter ${ORDER_FIELD_WORDS[field]} for a ${dto.type} order` });
  };
  // Every type is sized by a quantity or by an amount in USD (quoteAmount), one of the two.
  if (dto.quantity === undefined && dto.quoteAmount === undefined) {
    problems.push({ field: 'quantity', message: 'Enter a quantity or an amount in USD' });
  } else if (dto.quantity !== undefined && dto.quoteAmount !== undefined) {
    problems.push({ field: 'quantity', message: 'Enter a quantity or an amount in USD, not both' });
  }
  if (dto.type === 'market') {
    forbid('limitPrice', 'limit');
    forbid('stopPrice', 'stop');
  } else if (dto.type === 'limit') {
    need('limitPrice');
    forbid('stopPrice', 'stop');
  } else {
    need('stopPrice');
    forbid('limitPrice', 'limit');
  }
  return problems;
}

@Injectable()
export class OrdersService {
  private readonly logger = new Logger('Orders');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly orders: OrdersRepository,
    @Inject(MARKET_QUOTES) private readonly quotes: MarketQuotes,
    private readonly config: AppConfig,
    private readonly ledger: LedgerService,
    private readonly executor: TradeExecutor,
    private readonly batcher: MarketOrderBatcher,
    private readonly idempotency: IdempotencyService,
    private readonly engine: TriggerEngine,
    private readonly events: UserEventsService,
    private readonly metrics: MetricsService,
    private readonly catalogue: AssetCatalogueService,
    private readonly outbox: WebhookOutbox,
  ) {}

  private get feeRate(): Dec {
    return dec(this.config.values.tradingFeeRate);
  }

  /**
   * POST /api/orders, and the buys the platform places for a user on their own schedule (recurring-buys: `user` is
   * then only the owner's id, `announce: false` because the caller notifies the owner itself).
   */
  async createOrder(
    user: Pick<AuthUser, 'id'>,
    input: CreateOrderDto,
    idempotencyKey: string | undefined,
    opts: { announce?: boolean } = {},
  ): Promise<OrderResponseDto> {
    const dto = orderBody(input);
    const problems = orderShapeProblems(dto);
    if (problems.length) throw validationFailed(problems);
    if (dto.symbol === CASH_ASSET || !this.quotes.isKnown(dto.symbol)) throw unprocessable('UNKNOWN_ASSET', `Unknown asset ${dto.symbol}`);
    const body = { ...dto };
    // A market order is one statement (see placeMarket): without a key it needs no transaction.
    // Set when this call placed the order (not when an Idempotency-Key replayed an earlier one): only new orders are counted.
    let placed = false;
    const result = await this.idempotency.run(
      { userId: user.id, scope: 'orders.create', key: idempotencyKey, body, atomic: dto.type === 'market' },
      (tx, inTransaction) => {
        placed = true;
        return dto.type === 'market' ? this.placeMarket(inTransaction ? tx : undefined, user.id, dto) : this.placeResting(tx, user.id, dto);
      },
    );
    if (placed) this.metrics.orderCreated(result.order);
    if (result.order.status === 'open') {
      const trigger = dto.type === 'limit' ? dto.limitPrice! : dto.stopPrice!;
      await this.engine.track({ id: result.order.id, symbol: dto.symbol, direction: firesWhen(dto.side, dto.type as 'limit' | 'stop'), trigger: dec(trigger) });
    } else if (result.order.status === 'filled' && opts.announce !== false) {
      // The caller has the HTTP answer; the event keeps the user's other tabs and devices current.
      this.pushEvent(user.id, 'order_filled', result);
    }
    return result;
  }

  /**
   * The order createOrder placed for this input under this Idempotency-Key, found without placing anything (a request
   * still in flight under the key is waited for): for a caller of createOrder that lost every answer (the recurring-buy
   * runner). Undefined when none committed under the key for this input.
   */
  async placedUnder(user: Pick<AuthUser, 'id'>, input: CreateOrderDto, idempotencyKey: string): Promise<OrderDto | undefined> {
    const answer = await this.idempotency.committedAnswer<OrderResponseDto>(user.id, 'orders.create', idempotencyKey, orderBody(input));
    return answer?.order;
  }

  /** Fills now at the live quote (never a client price): order, journal, balances and cost basis in one statement. */
  private async placeMarket(tx: Tx | undefined, userId: string, dto: CreateOrderDto): Promise<OrderResponseDto> {
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
    const order = await this.batcher.post({ id: randomUUID(), userId, symbol: dto.symbol, side: dto.side, e, price }, tx);
    return { order: toOrderDto(order) };
  }

  /**
   * Limit and stop orders reserve what they may spend (available → locked) and rest open. Sized by a USD amount,
   * a limit order or a stop sell converts it to a quantity at its own price (quantityForAmount) and rests as an order
   * of that quantity; a stop buy holds the whole amount and sets its quantity at the fill (TradeExecutor.fillResting),
   * since it fills at the crossing tick, at or above its stop. A stop sell cannot do the same safely: selling a USD
   * amount at a tick below the stop needs more of the asset than any hold made now, so its quantity is fixed here.
   */
  private async placeResting(tx: Tx, userId: string, dto: CreateOrderDto): Promise<OrderResponseDto> {
    const type = dto.type as 'limit' | 'stop';
    const trigger = dec(type === 'limit' ? dto.limitPrice! : dto.stopPrice!);
    const amount = dto.quoteAmount !== undefined ? dec(dto.quoteAmount) : undefined;
    const quantity = amount === undefined ? dec(dto.quantity!) : quantityForAmount(dto.side, trigger, this.feeRate, amount, this.quantityDecimals(dto.symbol));
    if (quantity.isZero()) throw unprocessable('MIN_NOTIONAL', `The order is too small to ${dto.side} any of the asset`);
    // An amount at a tiny price could convert to more than any quantity the API takes (or a numeric(38,18) holds).
    if (quantity.gt(MAX_AMOUNT)) {
      throw validationFailed([{ field: 'quoteAmount', message: `At that price this amount is more than ${formatCrypto(MAX_AMOUNT, dto.symbol)}: enter less` }]);
    }
    this.checkNotional(quantity.mul(trigger));
    // A resting order needs a live market too: refusing on a stale quote keeps it from firing on an old price.
    this.freshPrice(dto.symbol);
    const sizedBy: OrderSizing = amount !== undefined && dto.side === 'buy' && type === 'stop' ? 'quoteAmount' : 'quantity';
    const reservedAsset = dto.side === 'buy' ? CASH_ASSET : dto.symbol;
    const reserved = sizedBy === 'quoteAmount' ? amount! : dto.side === 'buy' ? buyReservation(quantity, trigger, this.feeRate) : quantity;
    const id = randomUUID();
    const locked = await this.executor.lockTradeBalances(tx, userId, dto.symbol);
    // "Reserved ≈$1,001.00 for a limit buy of 0.01 BTC at $100,000.00" / "Reserved 0.01 BTC for a limit sell at $110,000.00"
    // / "Reserved $500.50 for a stop buy of BTC at $101,000.00" (its quantity is set at the fill)
    const bought = sizedBy === 'quoteAmount' ? ` of ${dto.symbol}` : ` of ${formatCrypto(quantity, dto.symbol)}`;
    await this.ledger.hold(
      tx,
      {
        account: userAccount(userId),
        asset: reservedAsset,
        amount: reserved,
        type: 'order_hold',
        reference: `order:${id}:hold`,
        userId,
        description: `Reserved ${formatMoney(reserved, reservedAsset, { approx: true })} for a ${type} ${dto.side}${dto.side === 'buy' ? bought : ''} at ${formatUsdPrice(trigger)}`,
      },
      locked,
    );
    const order = await this.orders.insertResting(tx, {
      id,
      userId,
      symbol: dto.symbol,
      side: dto.side,
      type,
      quantity,
      limitPrice: dto.limitPrice ?? null,
      stopPrice: dto.stopPrice ?? null,
      reservedAsset,
      reserved,
      sizedBy,
    });
    return { order: toOrderDto(order) };
  }

  /**
   * What the order ticket needs to show, before anything is sent, what an order of `symbol` will cost and whether
   * the balance covers it: the fee rate, the decimals of a quantity converted from a USD amount, the minimum
   * notional, and what the user can spend of USD and sell of the asset now.
   */
  async orderTerms(user: AuthUser, symbol: string): Promise<OrderTermsResponseDto> {
    if (symbol === CASH_ASSET || !this.quotes.isKnown(symbol)) throw unprocessable('UNKNOWN_ASSET', `Unknown asset ${symbol}`);
    const balances = await this.ledger.balancesOf(userAccount(user.id));
    const available = (asset: string): string => formatAmount(balances.find((b) => b.asset === asset)?.available ?? '0', asset);
    return {
      terms: {
        symbol,
        feeRate: this.feeRate.toFixed(),
        quantityDecimals: this.quantityDecimals(symbol),
        minNotional: formatAmount(MIN_NOTIONAL, CASH_ASSET),
        usdAvailable: available(CASH_ASSET),
        assetAvailable: available(symbol),
      },
    };
  }

  /** Decimals of a quantity the server computes for a resting order of `symbol` (the catalogue's, 8 by default). */
  private quantityDecimals(symbol: string): number {
    return this.catalogue.bySymbolOrUndefined(symbol)?.decimals ?? DEFAULT_QUANTITY_DECIMALS;
  }

  async listOrders(user: AuthUser, q: ListOrdersQueryDto): Promise<OrderListDto> {
    const limit = q.limit ?? 20;
    const cursor = decodeCursor(q.cursor, 'uuid');
    const rows = await this.orders.page(user.id, { status: q.status, symbol: q.symbol, side: q.side }, limit + 1, cursor);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toOrderDto), nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.createdAt), last.id) : null };
  }

  async getOrder(user: AuthUser, id: string): Promise<OrderResponseDto> {
    return { order: toOrderDto(await this.findOwn(user.id, id)) };
  }

  /** Cancels an open order and releases its reservation; 409 INVALID_STATE once it is filled, cancelled or rejected. */
  async cancelOrder(user: AuthUser, id: string): Promise<OrderResponseDto> {
    const result = await this.uow.run(async (tx) => {
      const order = await this.findOwn(user.id, id, tx, true);
      if (order.status !== 'open') throw conflict('INVALID_STATE', `The order is ${order.status}, only open orders can be cancelled`);
      const reserved = dec(order.reservedAmount);
      if (reserved.gt(0)) {
        const asset = order.reservedAsset ?? CASH_ASSET;
        await this.ledger.release(tx, {
          account: userAccount(user.id),
          asset,
          amount: reserved,
          type: 'order_cancel',
          reference: `order:${order.id}:cancel`,
          userId: user.id,
          description: `Released ${formatMoney(reserved, asset, { approx: true })}: cancelled ${order.type} ${order.side}${order.side === 'buy' && order.sizedBy !== 'quoteAmount' ? ` of ${formatCrypto(order.quantity, order.symbol)}` : ` of ${order.symbol}`}`,
        });
      }
      const cancelled = toOrderDto(await this.orders.close(tx, order.id, 'cancelled'));
      await this.outbox.record(tx, user.id, 'order.cancelled', cancelled);
      return { order: cancelled };
    });
    await this.engine.untrack(id);
    this.metrics.orderClosed(result.order);
    this.pushEvent(user.id, 'order_cancelled', { ...result, reason: 'cancelled' });
    return result;
  }

  /** A realtime `/ws/user` event for a change the user made themselves (no in-app notification: they know). */
  private pushEvent(userId: string, type: 'order_filled' | 'order_cancelled', data: OrderResponseDto & { reason?: string }): void {
    this.events
      .publish(userId, { type, data: { ...data }, timestamp: new Date().toISOString() })
      .catch((e: unknown) => this.logger.warn(`order event not published: ${(e as Error).message}`));
  }

  private async findOwn(userId: string, id: string, tx?: Tx, forUpdate = false): Promise<OrderEntity> {
    const order = await this.orders.findOwn(userId, id, tx, forUpdate);
    if (!order) throw notFound('No such order');
    return order;
  }

  private freshPrice(symbol: string): Dec {
    return freshPrice(this.quotes, symbol, this.config.values.priceMaxAgeMs);
  }

  private checkNotional(notional: Dec): void {
    if (notional.lt(MIN_NOTIONAL)) throw unprocessable('MIN_NOTIONAL', `The order value must be at least ${MIN_NOTIONAL.toFixed(2)} USD`);
  }
}
