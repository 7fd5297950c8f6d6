import { formatCrypto, formatMoney, formatUsd, formatUsdPrice } from '../common/money/prose-format';
import type { NotifyInput } from '../notifications/notifications.service';
import type { OrderDto } from './dto/order.dto';

/**
 * What the owner of a resting order is told when the trigger engine closes it
 * (they are usually not looking): filled, or rejected for want of funds at the
 * trigger price (sent as `order_cancelled` with `reason: "rejected"`).
 */
export function orderClosedNotification(order: OrderDto): NotifyInput | undefined {
  const what = `${order.type} ${order.side} of ${formatCrypto(order.quantity, order.symbol)}`;
  if (order.status === 'filled') {
    const total = order.quoteAmount ? ` for ${formatUsd(order.quoteAmount)}` : '';
    const fee = order.fee ? ` (fee ${formatMoney(order.fee, order.feeAsset)})` : '';
    return {
      type: 'order_filled',
      title: `Your ${order.type} ${order.side} of ${order.symbol} filled`,
      body: `Your ${what} filled at ${formatUsdPrice(order.filledPrice ?? '0')}${total}${fee}.`,
      data: { order },
    };
  }
  if (order.status === 'rejected') {
    return {
      type: 'order_cancelled',
      title: `Your ${order.type} ${order.side} of ${order.symbol} was rejected`,
      body: `Your ${what} reached its trigger but the balance did not cover it; the reserved funds are available again.`,
      data: { order, reason: 'rejected' },
    };
  }
  return undefined;
}
