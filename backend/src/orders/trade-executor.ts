import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { approxAmount, CASH_ASSET, formatPrice } from '../common/money/amount-format';
import { EnsuredRows } from '../database/ensured-rows';
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
/** One execution of an order: who, what, which way, how much. */
export interface Fill {
  userId: string;
  symbol: string;
  side: OrderSide;
  e: Execution;
}

@Injectable()
export class TradeExecutor {
  private readonly positionRows = new EnsuredRows(
    `INSERT INTO position_costs (user_id, asset)
     SELECT * FROM unnest($1::uuid[], $2::varchar[]) ORDER BY 1, 2
     ON CONFLICT DO NOTHING`,
  );

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

  /**
   * Weighted average cost of one fill, in a statement of its own (a resting
   * order's fill, inside its transaction): the same SQL as a market order's.
   */
  async updateCostBasis(em: EntityManager, fill: Fill): Promise<void> {
    await this.ensurePositionRows(em, [fill]);
    const params: unknown[] = [];
    const ctes = this.costBasisCtes([fill], (v) => `$${params.push(v)}`);
    await em.query(`WITH j AS (SELECT 1)${ctes.map((c) => `, ${c.name} AS (${c.sql})`).join('')} SELECT 1`, params);
  }

  /**
   * A sale updates its position row in place, so the row must exist (a sale
   * of an asset never bought here has a zero cost basis): created at zero
   * beforehand, in a statement of its own, like balance rows. Rows are never
   * deleted; a process remembers which exist.
   */
  ensurePositionRows(em: EntityManager, fills: Fill[]): Promise<void> {
    const sells = fills.filter((f) => f.side === 'sell');
    return this.positionRows.ensure(em, sells.map((f) => ({ key: `${f.userId}|${f.symbol}`, columns: [f.userId, f.symbol] })));
  }

  /**
   * Weighted average cost of these fills (at most one per user and asset),
   * as CTEs of the journal statement: they run once the journals `j` are
   * written. A buy adds quantity and cost (fee included); a sale removes cost
   * pro rata and realises P&L on the part that was bought here (proceeds are
   * after the fee). A sale's row must exist: see `ensurePositionRows`.
   */
  costBasisCtes(fills: Fill[], bind: BindParam): { name: string; sql: string }[] {
    const keys = new Set(fills.map((f) => `${f.userId}|${f.symbol}`));
    if (keys.size !== fills.length) throw new Error('trade executor: one fill per user and asset in a statement');
    const buys = fills.filter((f) => f.side === 'buy');
    const sells = fills.filter((f) => f.side === 'sell');
    const column = (fs: Fill[], value: (f: Fill) => string, type: string): string => `${bind(fs.map(value))}::${type}[]`;
    const lessQty = 'LEAST(s.qty, pc.quantity)';
    const costSold = `CASE WHEN pc.quantity = 0 THEN 0 ELSE round(pc.cost * ${lessQty} / pc.quantity, 18) END`;
    return [
      {
        name: 'cost_buy',
        sql: `INSERT INTO position_costs (user_id, asset, quantity, cost)
           SELECT x.user_id, x.asset, x.quantity, x.cost
           FROM unnest(${column(buys, (f) => f.userId, 'uuid')}, ${column(buys, (f) => f.symbol, 'varchar')},
                       ${column(buys, (f) => f.e.quantity.toFixed(), 'numeric')}, ${column(buys, (f) => f.e.notional.add(f.e.fee).toFixed(), 'numeric')}) AS x(user_id, asset, quantity, cost)
           WHERE (SELECT count(*) FROM j) > 0
           ON CONFLICT (user_id, asset) DO UPDATE
             SET quantity = position_costs.quantity + EXCLUDED.quantity, cost = position_costs.cost + EXCLUDED.cost, updated_at = now()
           RETURNING 1`,
      },
      {
        name: 'cost_sell',
        sql: `UPDATE position_costs pc SET
             quantity = pc.quantity - ${lessQty},
             cost = pc.cost - ${costSold},
             realized_pnl = pc.realized_pnl + round(s.proceeds * ${lessQty} / s.qty, 18) - ${costSold},
             updated_at = now()
           FROM unnest(${column(sells, (f) => f.userId, 'uuid')}, ${column(sells, (f) => f.symbol, 'varchar')},
                       ${column(sells, (f) => f.e.quantity.toFixed(), 'numeric')}, ${column(sells, (f) => f.e.notional.sub(f.e.fee).toFixed(), 'numeric')}) AS s(user_id, asset, qty, proceeds)
           WHERE pc.user_id = s.user_id AND pc.asset = s.asset AND (SELECT count(*) FROM j) > 0
           RETURNING 1`,
      },
    ];
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
    await this.updateCostBasis(em, { userId: order.userId, symbol: order.symbol, side: order.side, e });
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
