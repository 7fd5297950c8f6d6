import { CASH_ASSET, formatAmount, formatPrice } from '../common/money/amount-format';
import type { OrderDto } from './dto/order.dto';
import type { OrderEntity } from './entities/order.entity';

const opt = (v: string | null, f: (s: string) => string): string | null => (v === null || v === undefined ? null : f(v));

export function toOrderDto(o: OrderEntity): OrderDto {
  return {
    id: o.id,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    status: o.status,
    quantity: formatAmount(o.quantity, o.symbol),
    quoteAmount: opt(o.quoteAmount, (v) => formatAmount(v, CASH_ASSET)),
    limitPrice: opt(o.limitPrice, formatPrice),
    stopPrice: opt(o.stopPrice, formatPrice),
    filledPrice: opt(o.filledPrice, formatPrice),
    fee: opt(o.fee, (v) => formatAmount(v, o.feeAsset)),
    feeAsset: o.feeAsset,
    createdAt: new Date(o.createdAt).toISOString(),
    filledAt: o.filledAt ? new Date(o.filledAt).toISOString() : null,
  };
}

/** A raw `orders` row (snake_case, as `em.query` returns it) as the entity shape. */
export function orderFromRow(r: Record<string, unknown>): OrderEntity {
  return {
    id: r.id as string,
    userId: r.user_id as string,
    symbol: r.symbol as string,
    side: r.side as OrderEntity['side'],
    type: r.type as OrderEntity['type'],
    status: r.status as OrderEntity['status'],
    quantity: r.quantity as string,
    quoteAmount: (r.quote_amount as string | null) ?? null,
    limitPrice: (r.limit_price as string | null) ?? null,
    stopPrice: (r.stop_price as string | null) ?? null,
    filledPrice: (r.filled_price as string | null) ?? null,
    fee: (r.fee as string | null) ?? null,
    feeAsset: r.fee_asset as string,
    reservedAsset: (r.reserved_asset as string | null) ?? null,
    reservedAmount: r.reserved_amount as string,
    createdAt: r.created_at as Date,
    filledAt: (r.filled_at as Date | null) ?? null,
    closedAt: (r.closed_at as Date | null) ?? null,
  };
}

/** Rows of an `UPDATE … RETURNING` through `em.query`: TypeORM's postgres driver answers `[rows, affectedCount]` for UPDATE. */
export function updatedRows(result: unknown): Record<string, unknown>[] {
  const r = result as unknown[];
  return (Array.isArray(r[0]) ? r[0] : r) as Record<string, unknown>[];
}
