import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { approxAmount, CASH_ASSET, formatPrice } from '../common/money/amount-format';
import { Dec, dec } from '../common/money/decimal';
import { BindParam, LedgerService, LockedBalances } from '../wallet/ledger.service';
import { balanceKey, LedgerLine, PLATFORM_FEES, PLATFORM_TREASURY, userAccount } from '../wallet/ledger.types';
import type { OrderSide } from './dto/order.dto';
import { orderFromRow, updatedRows } from './order.mapper';
import { Execution, priceExecution } from './order-pricing';
import type { OrderEntity } from './entities/order.entity';

/**
 * Turns an execution into ledger lines and cost basis. The platform treasury
 * is the counterparty: it receives the USD of a buy and delivers the asset
 * (and the reverse for a sell); the fee goes to `platform:fees`.
 */
@Injectable()
export class TradeExecutor {
  constructor(private readonly ledger: LedgerService) {}

  /** Balance rows a trade of `symbol` by this user touches, locked in the fixed order. */
  lockTradeBalances(em: EntityManager, userId: string, symbol: string): Promise<LockedBalances> {
    const account = userAccount(userId);
    return this.ledger.lock(em, [
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

  /** The journal description, its quantity at the precision the ledger amount is shown with (not 18 raw decimals). */
  describe(side: OrderSide, symbol: string, e: Execution, price: Dec): string {
    return `${side === 'buy' ? 'Bought' : 'Sold'} ${approxAmount(e.quantity, symbol)} ${symbol} at ${formatPrice(price)} USD`;
  }

  /** Weighted average cost: a buy adds quantity and cost (fee included); a sell removes cost pro rata and realises P&L. */
  async updateCostBasis(em: EntityManager, userId: string, symbol: string, side: OrderSide, e: Execution): Promise<void> {
    const params: unknown[] = [];
    await em.query(
      this.costBasisSql(userId, symbol, side, e, (v) => `$${params.push(v)}`, 'VALUES'),
      params,
    );
  }

  /**
   * The cost basis upsert, its values bound through `bind`. `source` is
   * `VALUES` for a statement of its own, or `FROM j` inside the journal
   * statement (so it runs once the journal is written).
   */
  costBasisSql(userId: string, symbol: string, side: OrderSide, e: Execution, bind: BindParam, source: 'VALUES' | 'FROM j'): string {
    const row = (values: string[]): string => (source === 'VALUES' ? `VALUES (${values.join(', ')})` : `SELECT ${values.join(', ')} FROM j`);
    const user = `${bind(userId)}::uuid`;
    const asset = `${bind(symbol)}::varchar`;
    if (side === 'buy') {
      return `INSERT INTO position_costs (user_id, asset, quantity, cost) ${row([user, asset, `${bind(e.quantity.toFixed())}::numeric`, `${bind(e.notional.add(e.fee).toFixed())}::numeric`])}
         ON CONFLICT (user_id, asset) DO UPDATE
           SET quantity = position_costs.quantity + EXCLUDED.quantity, cost = position_costs.cost + EXCLUDED.cost, updated_at = now()`;
    }
    // Only the part of the sale that was bought here has a cost basis; proceeds are after the fee.
    const qty = `${bind(e.quantity.toFixed())}::numeric`;
    const proceeds = `${bind(e.notional.sub(e.fee).toFixed())}::numeric`;
    return `INSERT INTO position_costs AS pc (user_id, asset, realized_pnl) ${row([user, asset, '0'])}
       ON CONFLICT (user_id, asset) DO UPDATE SET
         quantity = pc.quantity - LEAST(${qty}, pc.quantity),
         cost = pc.cost - CASE WHEN pc.quantity = 0 THEN 0 ELSE round(pc.cost * LEAST(${qty}, pc.quantity) / pc.quantity, 18) END,
         realized_pnl = pc.realized_pnl
           + round(${proceeds} * LEAST(${qty}, pc.quantity) / ${qty}, 18)
           - CASE WHEN pc.quantity = 0 THEN 0 ELSE round(pc.cost * LEAST(${qty}, pc.quantity) / pc.quantity, 18) END,
         updated_at = now()`;
  }

  /**
   * Fills a resting order at `price`, exactly once: the `status = 'open'`
   * guard makes a second attempt (another instance, a replayed tick) a no-op.
   * A stop buy that costs more than its reservation takes the difference
   * from available funds; without them it is rejected and its hold released.
   * Returns the new status, or null when the order was no longer open.
   */
  async fillResting(em: EntityManager, orderId: string, price: Dec, feeRate: Dec): Promise<OrderEntity | null> {
    const rows = (await em.query(`SELECT * FROM orders WHERE id = $1 AND status = 'open' FOR UPDATE`, [orderId])) as Record<string, unknown>[];
    if (!rows.length) return null;
    const order = orderFromRow(rows[0]);
    const locked = await this.lockTradeBalances(em, order.userId, order.symbol);
    const e = priceExecution(order.side, price, feeRate, { quantity: dec(order.quantity) });
    const reserved = dec(order.reservedAmount);
    const user = userAccount(order.userId);
    const reservedAsset = order.reservedAsset ?? (order.side === 'buy' ? CASH_ASSET : order.symbol);
    const releaseAll = (kind: 'release'): LedgerLine[] => [
      { account: user, asset: reservedAsset, amount: reserved.neg(), bucket: 'locked', kind },
      { account: user, asset: reservedAsset, amount: reserved, bucket: 'available', kind },
    ];

    if (order.side === 'buy') {
      const cash = locked.get(balanceKey(user, CASH_ASSET))!;
      if (cash.available.add(reserved).lt(e.notional.add(e.fee))) {
        await this.ledger.post(
          em,
          { type: 'order_reject', reference: `order:${order.id}:reject`, userId: order.userId, description: `Rejected ${order.type} order: insufficient funds at ${formatPrice(price)}`, lines: releaseAll('release') },
          locked,
        );
        const [rejected] = updatedRows(
          await em.query(`UPDATE orders SET status = 'rejected', reserved_amount = 0, closed_at = now() WHERE id = $1 AND status = 'open' RETURNING *`, [order.id]),
        );
        return orderFromRow(rejected);
      }
    }
    // A buy: the whole USD hold goes back to available and the trade is paid from there.
    // A sell: the asset is delivered straight from the locked bucket (the hold is exactly the quantity).
    const lines = order.side === 'buy' ? [...releaseAll('release'), ...this.tradeLines(order.userId, order.symbol, 'buy', e, 'available')] : this.tradeLines(order.userId, order.symbol, 'sell', e, 'locked');
    await this.ledger.post(em, { type: 'trade', reference: `order:${order.id}:fill`, userId: order.userId, description: this.describe(order.side, order.symbol, e, price), lines }, locked);
    await this.updateCostBasis(em, order.userId, order.symbol, order.side, e);
    const [filled] = updatedRows(
      await em.query(
      `UPDATE orders SET status = 'filled', filled_price = $2, quote_amount = $3, fee = $4, reserved_amount = 0, filled_at = now(), closed_at = now()
       WHERE id = $1 AND status = 'open' RETURNING *`,
        [order.id, price.toFixed(), e.notional.toFixed(), e.fee.toFixed()],
      ),
    );
    return orderFromRow(filled);
  }
}
