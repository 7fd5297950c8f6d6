import { Injectable } from '@nestjs/common';
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
import { OrdersRepository } from './orders.repository';
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
    // A stop buy by USD amount buys, at the crossing tick, what a market buy of the amount it holds would (never more
    // than the hold); every other order trades its quantity.
    const e =
      order.sizedBy === 'quoteAmount' && order.side === 'buy'
        ? priceExecution('buy', price, feeRate, { quoteAmount: reserved })
        : priceExecution(order.side, price, feeRate, { quantity: dec(order.quantity) });
    const user = userAccount(order.userId);
    const reservedAsset = order.reservedAsset ?? (order.side === 'buy' ? CASH_ASSET : order.symbol);
    const releaseAll = (kind: 'release'): LedgerLine[] => [
      { account: user, asset: reservedAsset, amount: reserved.neg(), bucket: 'locked', kind },
      { account: user, asset: reservedAsset, amount: reserved, bucket: 'available', kind },
    ];

    if (order.side === 'buy') {
      const cash = locked.get(balanceKey(user, CASH_ASSET))!;
      if (e.quantity.isZero() || cash.available.add(reserved).lt(e.notional.add(e.fee))) {
        await this.ledger.post(
          tx,
          {
            type: 'order_reject',
            reference: `order:${order.id}:reject`,
            userId: order.userId,
            description: `Rejected ${order.type} buy of ${order.sizedBy === 'quoteAmount' ? order.symbol : formatCrypto(order.quantity, order.symbol)}: ${e.quantity.isZero() ? 'too small' : 'insufficient funds'} at ${formatUsdPrice(price)}`,
            lines: releaseAll('release'),
          },
          locked,
        );
        const rejected = await this.orders.close(tx, order.id, 'rejected');
        // A rejected resting order is closed without a fill: its webhook is `order.cancelled`, with status `rejected`.
        await this.outbox.record(tx, rejected.userId, 'order.cancelled', toOrderDto(rejected));
        return rejected;
      }
    }
    // A buy: the whole USD hold goes back to available and the trade is paid from there.
    // A sell: the asset is delivered straight from the locked bucket (the hold is exactly the quantity).
    const lines =
      order.side === 'buy'
        ? [...releaseAll('release'), ...this.tradeLines(order.userId, order.symbol, 'buy', e, 'available')]
        : this.tradeLines(order.userId, order.symbol, 'sell', e, 'locked');
    await this.ledger.post(
      tx,
      { type: 'trade', reference: `order:${order.id}:fill`, userId: order.userId, description: this.describe(order.side, order.symbol, e, price), lines },
      locked,
    );
    await this.positions.updateCostBasis(tx, { userId: order.userId, symbol: order.symbol, side: order.side, e });
    const filled = await this.orders.markFilled(tx, order.id, price, e);
    await this.outbox.record(tx, filled.userId, 'order.filled', toOrderDto(filled));
    return filled;
  }
}
