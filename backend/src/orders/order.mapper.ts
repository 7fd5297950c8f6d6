import { CASH_ASSET, formatAmount, formatPrice } from '../common/money/amount-format';
import type { OrderDto } from './dto/order.dto';
import type { OrderEntity } from './entities/order.entity';
import { orderFromRow as entityFromRow, type OrderRow } from './orders.repository';

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
    sizedBy: o.sizedBy ?? 'quantity',
    ...reservation(o),
  };
}

/** What an open resting order holds, as the API shows it; nothing once it is closed (its hold went back or was spent). */
function reservation(o: OrderEntity): { reservedAsset: string | null; reservedAmount: string | null } {
  if (o.status !== 'open' || o.type === 'market') return { reservedAsset: null, reservedAmount: null };
  const asset = o.reservedAsset ?? (o.side === 'buy' ? CASH_ASSET : o.symbol);
  return { reservedAsset: asset, reservedAmount: formatAmount(o.reservedAmount, asset) };
}

/** A raw `orders` row (snake_case) as the entity shape (for callers that hold untyped rows; see OrdersRepository). */
export function orderFromRow(r: Record<string, unknown>): OrderEntity {
  return entityFromRow(r as unknown as OrderRow);
}
