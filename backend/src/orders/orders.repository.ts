import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CASH_ASSET } from '../common/money/amount-format';
import type { Dec } from '../common/money/decimal';
import { queryRows } from '../database/rows';
import type { Tx } from '../database/unit-of-work';
import { StatementPart, statementPart } from '../ledger/statement-parts';
import type { OrderSide, OrderSizing, OrderStatus, OrderType } from './dto/order.dto';
import type { OrderEntity } from './entities/order.entity';
import type { Fill } from './positions.repository';

/** A raw `orders` row (snake_case), as the database answers it. */
export interface OrderRow {
  id: string;
  user_id: string;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  status: OrderStatus;
  quantity: string;
  quote_amount: string | null;
  limit_price: string | null;
  stop_price: string | null;
  filled_price: string | null;
  fee: string | null;
  fee_asset: string;
  reserved_asset: string | null;
  reserved_amount: string;
  /** Absent only in rows read before the column existed (it has a default). */
  sized_by?: OrderSizing;
  created_at: Date;
  filled_at: Date | null;
  closed_at: Date | null;
}

/** A market order priced at the live quote, ready to post. */
export interface MarketFill extends Fill {
  id: string;
  price: Dec;
}

export interface RestingOrderInput {
  id: string;
  userId: string;
  symbol: string;
  side: OrderSide;
  type: 'limit' | 'stop';
  /** For a stop buy by USD amount (`sizedBy: 'quoteAmount'`): the estimate at the stop price, set at the fill. */
  quantity: Dec;
  limitPrice: string | null;
  stopPrice: string | null;
  reservedAsset: string;
  reserved: Dec;
  /** What sets the quantity (default `quantity`; `quoteAmount`: a stop buy by USD amount, see OrderEntity). */
  sizedBy?: OrderSizing;
}

export interface OrderFilters {
  status?: OrderStatus;
  symbol?: string;
  side?: OrderSide;
}

export function orderFromRow(r: OrderRow): OrderEntity {
  return {
    id: r.id,
    userId: r.user_id,
    symbol: r.symbol,
    side: r.side,
    type: r.type,
    status: r.status,
    quantity: r.quantity,
    quoteAmount: r.quote_amount ?? null,
    limitPrice: r.limit_price ?? null,
    stopPrice: r.stop_price ?? null,
    filledPrice: r.filled_price ?? null,
    fee: r.fee ?? null,
    feeAsset: r.fee_asset,
    reservedAsset: r.reserved_asset ?? null,
    reservedAmount: r.reserved_amount,
    sizedBy: r.sized_by ?? 'quantity',
    createdAt: r.created_at,
    filledAt: r.filled_at ?? null,
    closedAt: r.closed_at ?? null,
  };
}

/** The `orders` table. */
@Injectable()
export class OrdersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The handle of a statement that commits by itself (a market order's, outside any transaction). */
  autocommit(): Tx {
    return this.dataSource.manager;
  }

  /**
   * The filled market orders' rows as a part of the journal statement (a
   * value the ledger runs once the journals `j` are written): CTE `o`, so the
   * statement may `SELECT * FROM o`.
   */
  marketOrdersPart(fills: MarketFill[]): StatementPart {
    return statementPart((bind) => {
      const column = (value: (f: MarketFill) => string, type: string): string => `${bind(fills.map(value))}::${type}[]`;
      return [
        {
          name: 'o',
          sql: `INSERT INTO orders (id, user_id, symbol, side, type, status, quantity, quote_amount, filled_price, fee, fee_asset, filled_at, closed_at)
               SELECT x.id, x.user_id, x.symbol, x.side, 'market', 'filled', x.quantity, x.quote_amount, x.filled_price, x.fee, ${bind(CASH_ASSET)}::varchar, now(), now()
               FROM unnest(${column((f) => f.id, 'uuid')}, ${column((f) => f.userId, 'uuid')}, ${column((f) => f.symbol, 'varchar')}, ${column((f) => f.side, 'varchar')},
                           ${column((f) => f.e.quantity.toFixed(), 'numeric')}, ${column((f) => f.e.notional.toFixed(), 'numeric')},
                           ${column((f) => f.price.toFixed(), 'numeric')}, ${column((f) => f.e.fee.toFixed(), 'numeric')})
                    AS x(id, user_id, symbol, side, quantity, quote_amount, filled_price, fee)
               WHERE (SELECT count(*) FROM j) > 0
               RETURNING *`,
        },
      ];
    });
  }

  async insertResting(tx: Tx, o: RestingOrderInput): Promise<OrderEntity> {
    const [row] = (await tx.query(
      `INSERT INTO orders (id, user_id, symbol, side, type, status, quantity, limit_price, stop_price, fee_asset, reserved_asset, reserved_amount, sized_by)
       VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
      [
        o.id,
        o.userId,
        o.symbol,
        o.side,
        o.type,
        o.quantity.toFixed(),
        o.limitPrice,
        o.stopPrice,
        CASH_ASSET,
        o.reservedAsset,
        o.reserved.toFixed(),
        o.sizedBy ?? 'quantity',
      ],
    )) as OrderRow[];
    return orderFromRow(row);
  }

  /** One page of a user's orders, newest first, after `cursor`; `limit + 1` rows tell whether there is more. */
  async page(userId: string, f: OrderFilters, limit: number, cursor?: { createdAt: Date | string; id: string }): Promise<OrderEntity[]> {
    const params: unknown[] = [userId];
    const where = ['user_id = $1'];
    if (f.status) where.push(`status = $${params.push(f.status)}`);
    if (f.symbol) where.push(`symbol = $${params.push(f.symbol)}`);
    if (f.side) where.push(`side = $${params.push(f.side)}`);
    if (cursor) where.push(`(created_at, id) < ($${params.push(cursor.createdAt)}, $${params.push(cursor.id)}::uuid)`);
    const rows = (await this.dataSource.query(
      `SELECT * FROM orders WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ${Number(limit)}`,
      params,
    )) as OrderRow[];
    return rows.map(orderFromRow);
  }

  /** The user's order (locked for the rest of `tx`'s transaction when `forUpdate`). */
  async findOwn(userId: string, id: string, tx?: Tx, forUpdate = false): Promise<OrderEntity | undefined> {
    const rows = (await (tx ?? this.dataSource).query(`SELECT * FROM orders WHERE id = $1 AND user_id = $2${forUpdate ? ' FOR UPDATE' : ''}`, [
      id,
      userId,
    ])) as OrderRow[];
    return rows[0] && orderFromRow(rows[0]);
  }

  /** Locks an order that is still open; undefined when it is not (any more). */
  async lockOpen(tx: Tx, id: string): Promise<OrderEntity | undefined> {
    const rows = (await tx.query(`SELECT * FROM orders WHERE id = $1 AND status = 'open' FOR UPDATE`, [id])) as OrderRow[];
    return rows[0] && orderFromRow(rows[0]);
  }

  /** Locks the orders among `ids` that are still open, in id order (the order every batch of fills takes them in). */
  async lockOpenMany(tx: Tx, ids: string[]): Promise<OrderEntity[]> {
    const rows = await queryRows<OrderRow>(tx, `SELECT * FROM orders WHERE id = ANY ($1::uuid[]) AND status = 'open' ORDER BY id FOR UPDATE`, [ids]);
    return rows.map(orderFromRow);
  }

  /**
   * Resting orders filled by the journal statement that posts their fills (TradeExecutor.fillRestingMany), as
   * `markFilled` marks one: CTE `o`, so the statement may `SELECT * FROM o`. The orders were locked open beforehand.
   */
  restingFillsPart(fills: MarketFill[]): StatementPart {
    return statementPart((bind) => {
      const column = (value: (f: MarketFill) => string, type: string): string => `${bind(fills.map(value))}::${type}[]`;
      return [
        {
          name: 'o',
          sql: `UPDATE orders SET status = 'filled', filled_price = x.filled_price, quantity = x.quantity, quote_amount = x.quote_amount, fee = x.fee,
                      reserved_amount = 0, filled_at = now(), closed_at = now()
               FROM unnest(${column((f) => f.id, 'uuid')}, ${column((f) => f.price.toFixed(), 'numeric')}, ${column((f) => f.e.quantity.toFixed(), 'numeric')},
                           ${column((f) => f.e.notional.toFixed(), 'numeric')}, ${column((f) => f.e.fee.toFixed(), 'numeric')})
                    AS x(id, filled_price, quantity, quote_amount, fee)
               WHERE orders.id = x.id AND orders.status = 'open' AND (SELECT count(*) FROM j) > 0
               RETURNING orders.*`,
        },
      ];
    });
  }

  /** Closes an open order as cancelled or rejected, its reservation spent. */
  async close(tx: Tx, id: string, status: 'cancelled' | 'rejected'): Promise<OrderEntity> {
    const [row] = await queryRows<OrderRow>(
      tx,
      `UPDATE orders SET status = $2, reserved_amount = 0, closed_at = now() WHERE id = $1 AND status = 'open' RETURNING *`,
      [id, status],
    );
    return orderFromRow(row);
  }

  /** Marks an open order filled with what it traded (the quantity too: a stop buy by USD amount sets it now). */
  async markFilled(tx: Tx, id: string, price: Dec, fill: { quantity: Dec; notional: Dec; fee: Dec }): Promise<OrderEntity> {
    const [row] = await queryRows<OrderRow>(
      tx,
      `UPDATE orders SET status = 'filled', filled_price = $2, quantity = $3, quote_amount = $4, fee = $5, reserved_amount = 0, filled_at = now(), closed_at = now()
       WHERE id = $1 AND status = 'open' RETURNING *`,
      [id, price.toFixed(), fill.quantity.toFixed(), fill.notional.toFixed(), fill.fee.toFixed()],
    );
    return orderFromRow(row);
  }

  /** Every open limit and stop order, with what the trigger book needs to watch it (for the trigger engine's reload). */
  openResting(): Promise<{ id: string; symbol: string; side: OrderSide; type: 'limit' | 'stop'; limit_price: string | null; stop_price: string | null }[]> {
    return this.dataSource.query(`SELECT id, symbol, side, type, limit_price, stop_price FROM orders WHERE status = 'open' AND type IN ('limit', 'stop')`);
  }
}
