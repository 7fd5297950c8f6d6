import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { OrderSide, OrderStatus, OrderType } from './dto/order.dto';
import type { OrderEntity } from './entities/order.entity';

/** Which orders the back office lists: `before` is a keyset position (created_at, id). */
export interface AdminOrderFilter {
  userId?: string;
  symbol?: string;
  status?: OrderStatus;
  side?: OrderSide;
  type?: OrderType;
  from?: Date;
  to?: Date;
  before?: { createdAt: Date; id: string };
  limit: number;
}

/** Filled trades of the last 24 hours: how many, and their volume in USD (a decimal string, 2 places). */
export interface TradeVolumeRow {
  count: number;
  volume: string;
}

/** An `orders` row in the entity's shape (every column, camel-cased by the query). */
const ORDER_COLUMNS = `id, user_id AS "userId", symbol, side, type, status, quantity, quote_amount AS "quoteAmount", limit_price AS "limitPrice",
  stop_price AS "stopPrice", filled_price AS "filledPrice", fee, fee_asset AS "feeAsset", reserved_asset AS "reservedAsset",
  reserved_amount AS "reservedAmount", sized_by AS "sizedBy", created_at AS "createdAt", filled_at AS "filledAt", closed_at AS "closedAt"`;

/** The queries the back office makes of `orders` (owned by orders): reached only through {@link OrdersAdminReader}. */
@Injectable()
export class OrdersAdminReaderRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Whether this deployment has the orders table (a figure of a missing table is null). */
  async present(): Promise<boolean> {
    const [{ present }] = await this.dataSource.query<{ present: boolean }[]>(`SELECT to_regclass('orders') IS NOT NULL AS present`);
    return present;
  }

  async filledLast24h(): Promise<TradeVolumeRow> {
    const [row] = await this.dataSource.query<TradeVolumeRow[]>(
      `SELECT count(*)::int AS count, COALESCE(sum(filled_price * quantity), 0)::numeric(38, 2)::text AS volume
         FROM orders WHERE status = 'filled' AND filled_at >= now() - interval '24 hours'`,
    );
    return row;
  }

  /** Every user's orders, newest first. */
  page(filter: AdminOrderFilter): Promise<OrderEntity[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.userId) where.push(`user_id = $${params.push(filter.userId)}`);
    if (filter.symbol) where.push(`symbol = $${params.push(filter.symbol)}`);
    if (filter.status) where.push(`status = $${params.push(filter.status)}`);
    if (filter.side) where.push(`side = $${params.push(filter.side)}`);
    if (filter.type) where.push(`type = $${params.push(filter.type)}`);
    if (filter.from) where.push(`created_at >= $${params.push(filter.from)}`);
    if (filter.to) where.push(`created_at < $${params.push(filter.to)}`);
    if (filter.before) where.push(`(created_at, id) < ($${params.push(filter.before.createdAt)}, $${params.push(filter.before.id)}::uuid)`);
    return this.dataSource.query<OrderEntity[]>(
      `SELECT ${ORDER_COLUMNS} FROM orders ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id DESC LIMIT $${params.push(filter.limit)}`,
      params,
    );
  }
}
