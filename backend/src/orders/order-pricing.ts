import Decimal from 'decimal.js';
import { Dec, dec } from '../common/money/decimal';
import type { OrderSide, OrderType } from './dto/order.dto';

/** USD amounts are kept to 8 decimals internally; quantities to 18 (numeric(38,18)). */
export const USD_SCALE = 8;
export const QTY_SCALE = 18;
export const MIN_NOTIONAL = dec(1);

export interface Execution {
  quantity: Dec;
  /** USD value traded, before the fee. */
  notional: Dec;
  fee: Dec;
}

/**
 * What a fill at `price` costs or pays. Rounding never favours the user by
 * inventing money: a buyer's notional and every fee round up to the cent
 * fraction (8 decimals), a seller's notional rounds down.
 * - buy by quantity: notional = q × p (up), fee = notional × rate (up), USD out = notional + fee;
 * - buy by quoteAmount Q: notional = Q, q = Q / p rounded down to 18 decimals;
 * - sell by quantity: notional = q × p (down), fee (up), USD in = notional − fee;
 * - sell by quoteAmount Q: notional = Q, q = Q / p rounded up to 18 decimals.
 */
export function priceExecution(side: OrderSide, price: Dec, feeRate: Dec, by: { quantity?: Dec; quoteAmount?: Dec }): Execution {
  let quantity: Dec;
  let notional: Dec;
  if (by.quoteAmount !== undefined) {
    notional = by.quoteAmount;
    quantity = notional.div(price).toDecimalPlaces(QTY_SCALE, side === 'buy' ? Decimal.ROUND_DOWN : Decimal.ROUND_UP);
  } else if (by.quantity !== undefined) {
    quantity = by.quantity;
    notional = quantity.mul(price).toDecimalPlaces(USD_SCALE, side === 'buy' ? Decimal.ROUND_UP : Decimal.ROUND_DOWN);
  } else {
    throw new Error('priceExecution needs a quantity or a quoteAmount');
  }
  const fee = notional.mul(feeRate).toDecimalPlaces(USD_SCALE, Decimal.ROUND_UP);
  return { quantity, notional, fee };
}

/** USD to reserve for a resting buy of `quantity` priced at `price`: its notional and fee at that price. */
export function buyReservation(quantity: Dec, price: Dec, feeRate: Dec): Dec {
  const e = priceExecution('buy', price, feeRate, { quantity });
  return e.notional.add(e.fee);
}

/**
 * When a resting order fires. Limit buy: price ≤ limit; limit sell: price ≥
 * limit; stop buy: price ≥ stop; stop sell: price ≤ stop. It fills at the
 * tick price that crossed it, which for a limit order is never worse than
 * its limit (a limit buy pays min(limit, tick) = tick).
 */
export function firesWhen(side: OrderSide, type: Exclude<OrderType, 'market'>): 'at-or-below' | 'at-or-above' {
  return (side === 'buy') === (type === 'limit') ? 'at-or-below' : 'at-or-above';
}
