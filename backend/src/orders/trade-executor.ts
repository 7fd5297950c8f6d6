import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { WebhookOutbox } from '../auth/api-keys/webhooks/webhook-outbox';
import { CASH_ASSET } from '../common/money/amount-format';
import { Dec, dec } from '../common/money/decimal';
import { formatCrypto, formatMoney, formatUsdPrice } from '../common/money/prose-format';
import type { Tx } from '../database/unit-of-work';
import { LedgerService, LockedBalances } from '../ledger/ledger.service';
import { balanceKey, LedgerLine, PLATFORM_FEES, PLATFORM_TREASURY, userAccount } from '../ledger/ledger.types';
import type { OrderSide } from './dto/order.dto';
import { Execution, priceExecution } from './order-pricing';
import type { OrderEntity } from './entities/order.entity';
import { toOrderDto } from './order.mapper';
import { MarketFill, OrderRow, orderFromRow, OrdersRepository } from './orders.repository';
import { Fill, PositionsRepository } from './positions.repository';

export type { Fill };

/**
 * Turns an execution into ledger lines and cost basis. The platform treasury
 * is the counterparty: it receives the USD of a buy and delivers the asset
 * (and the reverse for a sell); the fee goes to `platform:fees`.
 */
@Injectable()
export class TradeExecutor {
  constructor(
    private readonly ledger: LedgerService,
    private readonly orders: OrdersRepository,
    private readonly positions: PositionsRepository,
    private readonly outbox: WebhookOutbox,
  ) {}

  /** Balance rows a trade of `symbol` by this user touches, locked in the fixed order. */
  lockTradeBalances(tx: Tx, userId: string, symbol: string): Promise<LockedBalances> {
    const account = userAccount(userId);
    return this.ledger.lock(tx, [
      { account, asset: CASH_ASSET },
      { account, asset: symbol },
    ]);
  }

  /** Lines of a trade paid from (buy) or delivered to (sell) the user's `source` bucket. */
  tradeLines(userId: string, symbol: string, side: OrderSide, e: Execution, source: 'available' | 'locked'): LedgerLine[] {
    const user = userAccount(userId);
    const buy = side === 'buy';
    return [
      { account: user, asset: CASH_ASSET, amount: buy ? e.notional.neg() : e.notional, bucket: buy ? source : 'available', kind: 'trade' },
      { account: PLATFORM_TREASURY, asset: CASH_ASSET, amount: buy ? e.notional : e.notional.neg(), bucket: 'available', kind: 'trade' },
      { account: user, asset: symbol, amount: buy ? e.quantity : e.quantity.neg(), bucket: buy ? 'available' : source, kind: 'trade' },
      { account: PLATFORM_TREASURY, asset: symbol, amount: buy ? e.quantity.neg() : e.quantity, bucket: 'available', kind: 'trade' },
      ...(e.fee.isZero()
        ? []
        : [
            { account: user, asset: CASH_ASSET, amount: e.fee.neg(), bucket: buy ? source : 'available', kind: 'fee' } as LedgerLine,
            { account: PLATFORM_FEES, asset: CASH_ASSET, amount: e.fee, bucket: 'available', kind: 'fee' } as LedgerLine,
          ]),
    ];
  }

  /**
   * The journal description: "Bought 0.004 BTC at $104,250.00 (fee ≈$0.42)"; amounts as prose (at most
   * 8 decimals, dollars and cents), "≈" where digits were dropped (the ledger amounts stay exact).
   */
  describe(side: OrderSide, symbol: string, e: Execution, price: Dec): string {
    const fee = e.fee.isZero() ? '' : ` (fee ${formatMoney(e.fee, CASH_ASSET, { approx: true })})`;
    return `${side === 'buy' ? 'Bought' : 'Sold'} ${formatCrypto(e.quantity, symbol)} at ${formatUsdPrice(price)}${fee}`;
  }

  /**
   * Fills a resting order at `price`, exactly once: the `status = 'open'`
   * guard makes a second attempt (another instance, a replayed tick) a no-op.
   * A stop buy that costs more than its reservation takes the difference
   * from available funds; without them it is rejected and its hold released.
   * A stop buy by USD amount (`sizedBy: 'quoteAmount'`) spends its hold as a
   * market buy of that amount at `price` would, and sets its quantity.
   * Returns the new status, or null when the order was no longer open.
   */
  async fillResting(tx: Tx, orderId: string, price: Dec, feeRate: Dec): Promise<OrderEntity | null> {
    const order = await this.orders.lockOpen(tx, orderId);
    if (!order) return null;
    const locked = await this.lockTradeBalances(tx, order.userId, order.symbol);
    const reserved = dec(order.reservedAmount);
    const e = restingExecution(order, price, feeRate);
    if (order.side === 'buy') {
      const cash = locked.get(balanceKey(userAccount(order.userId), CASH_ASSET))!;
      if (e.quantity.isZero() || cash.available.add(reserved).lt(e.notional.add(e.fee))) {
        await this.ledger.post(
          tx,
          {
            type: 'order_reject',
            reference: `order:${order.id}:reject`,
            userId: order.userId,
            description: `Rejected ${order.type} buy of ${order.sizedBy === 'quoteAmount' ? order.symbol : formatCrypto(order.quantity, order.symbol)}: ${e.quantity.isZero() ? 'too small' : 'insufficient funds'} at ${formatUsdPrice(price)}`,
            lines: releaseHold(order),
          },
          locked,
        );
        const rejected = await this.orders.close(tx, order.id, 'rejected');
        // A rejected resting order is closed without a fill: its webhook is `order.cancelled`, with status `rejected`.
        await this.outbox.record(tx, rejected.userId, 'order.cancelled', toOrderDto(rejected));
        return rejected;
      }
    }
    await this.ledger.post(
      tx,
      {
        type: 'trade',
        reference: `order:${order.id}:fill`,
        userId: order.userId,
        description: this.describe(order.side, order.symbol, e, price),
        lines: this.restingFillLines(order, e),
      },
      locked,
    );
    await this.positions.updateCostBasis(tx, { userId: order.userId, symbol: order.symbol, side: order.side, e });
    const filled = await this.orders.markFilled(tx, order.id, price, e);
    await this.outbox.record(tx, filled.userId, 'order.filled', toOrderDto(filled));
    return filled;
  }

  /**
   * Fills the resting orders among `orderIds` that are still open at `price`, in `tx`, with the same outcome per order
   * as `fillResting` (exactly once, the same journals, cost basis, order rows and webhook events) but in a few round
   * trips instead of several per order: the orders are locked in id order, then every user balance row they touch in
   * the ledger's (account, asset) order, so nothing below waits for a user row while holding a platform row. The fills
   * of distinct users are posted by ONE journal statement (as the MarketOrderBatcher posts market orders), the order
   * rows and `order.filled` events being parts of it. A user's second order, an order too small to fill, and every
   * order of a statement the balances CHECK refused (a stop buy whose price outgrew its hold and the funds beside it;
   * nothing of it was written) go through `fillResting` one by one, which rejects what cannot be paid.
   * Returns the orders closed (filled or rejected); an order no longer open is skipped.
   */
  async fillRestingMany(tx: Tx, orderIds: string[], price: Dec, feeRate: Dec): Promise<OrderEntity[]> {
    const open = await this.orders.lockOpenMany(tx, orderIds);
    if (!open.length) return [];
    await this.ledger.lock(
      tx,
      open.flatMap((o) => [
        { account: userAccount(o.userId), asset: CASH_ASSET },
        { account: userAccount(o.userId), asset: o.symbol },
      ]),
    );
    const together: { order: OrderEntity; e: Execution }[] = [];
    const alone: OrderEntity[] = [];
    const users = new Set<string>();
    for (const order of open) {
      const e = restingExecution(order, price, feeRate);
      if (users.has(order.userId) || e.quantity.isZero()) alone.push(order);
      else {
        users.add(order.userId);
        together.push({ order, e });
      }
    }
    const closed: OrderEntity[] = [];
    if (together.length > 1) {
      try {
        closed.push(...(await this.postRestingFills(tx, together, price)));
      } catch (e) {
        // The balances CHECK refused the statement as a whole (the ledger rolled back to before it): one by one.
        if (!(e instanceof AppError && e.code === 'INSUFFICIENT_FUNDS')) throw e;
        alone.unshift(...together.map((t) => t.order));
      }
    } else alone.unshift(...together.map((t) => t.order));
    for (const order of alone) {
      const result = await this.fillResting(tx, order.id, price, feeRate);
      if (result) closed.push(result);
    }
    return closed;
  }

  /** One journal statement for these fills (one per user): journals, cost basis, order rows and webhook events. */
  private async postRestingFills(tx: Tx, batch: { order: OrderEntity; e: Execution }[], price: Dec): Promise<OrderEntity[]> {
    const fills: MarketFill[] = batch.map(({ order, e }) => ({ id: order.id, userId: order.userId, symbol: order.symbol, side: order.side, e, price }));
    await this.positions.ensureRows(tx, fills);
    const rows = await this.ledger.postManyInOneStatement<OrderRow>(
      tx,
      batch.map(({ order, e }) => ({
        type: 'trade',
        reference: `order:${order.id}:fill`,
        userId: order.userId,
        description: this.describe(order.side, order.symbol, e, price),
        lines: this.restingFillLines(order, e),
      })),
      {
        parts: [
          this.positions.costBasisPart(fills),
          this.orders.restingFillsPart(fills),
          this.outbox.orderFilledPart(
            batch.map(({ order, e }) => ({ userId: order.userId, data: toOrderDto(filledRestingOrder(order, e, price)) })),
            ['filledAt'],
          ),
        ],
        select: 'SELECT * FROM o',
      },
    );
    if (rows.length !== batch.length) throw new Error(`resting fills: ${rows.length} of ${batch.length} orders were marked filled`);
    const byId = new Map(rows.map((r) => [String(r.id), orderFromRow(r)]));
    return batch.map(({ order }) => byId.get(order.id)!);
  }

  /**
   * A resting order's fill: a buy's whole USD hold goes back to available and the trade is paid from there; a sell's
   * asset is delivered straight from the locked bucket (the hold is exactly the quantity).
   */
  private restingFillLines(order: OrderEntity, e: Execution): LedgerLine[] {
    return order.side === 'buy'
      ? [...releaseHold(order), ...this.tradeLines(order.userId, order.symbol, 'buy', e, 'available')]
      : this.tradeLines(order.userId, order.symbol, 'sell', e, 'locked');
  }
}

/**
 * What a resting order trades at `price`: a stop buy by USD amount buys what a market buy of the amount it holds would
 * (never more than the hold); every other order trades its quantity.
 */
function restingExecution(order: OrderEntity, price: Dec, feeRate: Dec): Execution {
  return order.sizedBy === 'quoteAmount' && order.side === 'buy'
    ? priceExecution('buy', price, feeRate, { quoteAmount: dec(order.reservedAmount) })
    : priceExecution(order.side, price, feeRate, { quantity: dec(order.quantity) });
}

/** The lines giving a resting order's whole hold back to available. */
function releaseHold(order: OrderEntity): LedgerLine[] {
  const user = userAccount(order.userId);
  const reserved = dec(order.reservedAmount);
  const asset = order.reservedAsset ?? (order.side === 'buy' ? CASH_ASSET : order.symbol);
  return [
    { account: user, asset, amount: reserved.neg(), bucket: 'locked', kind: 'release' },
    { account: user, asset, amount: reserved, bucket: 'available', kind: 'release' },
  ];
}

/** A resting order as `restingFillsPart` marks it filled, for its webhook event's data (`filledAt`: the statement's now()). */
function filledRestingOrder(order: OrderEntity, e: Execution, price: Dec): OrderEntity {
  return {
    ...order,
    status: 'filled',
    quantity: e.quantity.toFixed(),
    quoteAmount: e.notional.toFixed(),
    filledPrice: price.toFixed(),
    fee: e.fee.toFixed(),
    reservedAmount: '0',
    filledAt: new Date(0),
    closedAt: new Date(0),
  };
}
