import type { OrderDto, OrderSide, OrderType } from '../../api/models';

/** Buy or sell, as the order forms and tables show it. */
export const ORDER_SIDE_TEXT: Record<OrderSide, string> = {
  buy: $localize`Buy`,
  sell: $localize`Sell`,
};

/** An order's type, capitalised, as the tables show it. */
export const ORDER_TYPE_TEXT: Record<OrderType, string> = {
  market: $localize`Market`,
  limit: $localize`Limit`,
  stop: $localize`Stop`,
};

/** "limit buy of 0.5 BTC": an order's type, side and size, `quantity` already formatted. */
export function describeOrder(o: Pick<OrderDto, 'type' | 'side'>, quantity: string): string {
  switch (`${o.type} ${o.side}`) {
    case 'market buy':
      return $localize`market buy of ${quantity}:quantity:`;
    case 'market sell':
      return $localize`market sell of ${quantity}:quantity:`;
    case 'limit buy':
      return $localize`limit buy of ${quantity}:quantity:`;
    case 'limit sell':
      return $localize`limit sell of ${quantity}:quantity:`;
    case 'stop buy':
      return $localize`stop buy of ${quantity}:quantity:`;
    case 'stop sell':
      return $localize`stop sell of ${quantity}:quantity:`;
    default:
      return `${o.type} ${o.side} of ${quantity}`;
  }
}
