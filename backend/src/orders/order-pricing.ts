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

/** The smallest USD step kept internally (1e-8). */
const USD_STEP = dec(1).div(dec(10).pow(USD_SCALE));

/**
 * What a fill at `price` costs or pays. Rounding never favours the user by
 * inventing money: a buyer's notional and every fee round up to the cent
 * fraction (8 decimals), a seller's notional rounds down.
 * - buy by quantity: notional = q × p (up), fee = notional × rate (up), USD out = notional + fee;
 * - buy by quoteAmount Q: Q is the TOTAL the user pays, fee included (as "buy $100 of BTC"
 *   spends $100.00): notional = the largest 8-decimal amount N with N + fee(N) ≤ Q, where
 *   fee(N) = N × rate rounded up, so the spend never exceeds Q and falls short of it by less
 *   than 0.00000002 USD (that dust stays in the balance); q = N / p rounded down to 18 decimals;
 * - sell by quantity: notional = q × p (down), fee (up), USD in = notional − fee;
 * - sell by quoteAmount Q: Q is the USD value sold (notional = Q, q = Q / p rounded up to
 *   18 decimals); the fee is deducted from it, so the user receives Q − fee.
 */
export function priceExecution(side: OrderSide, price: Dec, feeRate: Dec, by: { quantity?: Dec; quoteAmount?: Dec }): Execution {
  let quantity: Dec;
  let notional: Dec;
  if (by.quoteAmount !== undefined) {
    notional = side === 'buy' ? notionalForTotal(by.quoteAmount, feeRate) : by.quoteAmount;
    quantity = notional.div(price).toDecimalPlaces(QTY_SCALE, side === 'buy' ? Decimal.ROUND_DOWN : Decimal.ROUND_UP);
  } else if (by.quantity !== undefined) {
    quantity = by.quantity;
    notional = quantity.mul(price).toDecimalPlaces(USD_SCALE, side === 'buy' ? Decimal.ROUND_UP : Decimal.ROUND_DOWN);
  } else {
    throw new Error('priceExecution needs a quantity or a quoteAmount');
  }
  return { quantity, notional, fee: feeOn(notional, feeRate) };
}

/** The fee on a notional: rate × notional, rounded up at 8 decimals. */
function feeOn(notional: Dec, feeRate: Dec): Dec {
  return notional.mul(feeRate).toDecimalPlaces(USD_SCALE, Decimal.ROUND_UP);
}

/**
 * The largest notional N (8 decimals) whose total N + fee(N) is at most
 * `total`. Starts at total / (1 + rate) rounded down, which the fee's
 * rounding up can push over by at most one step, so one step back is the
 * most ever needed (the loop is bounded all the same). With a 0.1 % fee,
 * 100 → notional 99.9000999 + fee 0.0999001 = 100.00000000.
 */
export function notionalForTotal(total: Dec, feeRate: Dec): Dec {
  let notional = total.div(feeRate.add(1)).toDecimalPlaces(USD_SCALE, Decimal.ROUND_DOWN);
  for (let i = 0; i < 3 && notional.isPositive() && notional.add(feeOn(notional, feeRate)).gt(total); i++) notional = notional.sub(USD_STEP);
  if (notional.add(feeOn(notional, feeRate)).gt(total)) throw new Error(`priceExecution: no notional fits a total of ${total.toFixed()}`);
  // Largest: one step more is over total / (1 + rate), and its fee (rounded up) only adds to that.
  return notional;
}

/**
 * The quantity a limit order (or a stop sell) placed by USD amount rests with, converted at its own price `price`
 * (the limit or stop price) and rounded down to the asset's `decimals`, so it never trades more than the amount at
 * that price. A buy's amount is the total, fee included, as a market buy's: notional = notionalForTotal(amount);
 * its hold is then buyReservation(quantity, price), never more than the amount. A sell's amount is the value sold
 * (the fee is deducted from the proceeds). Zero when the amount does not reach one step of the asset.
 * With a 0.1 % fee, a buy of 1000 at a limit of 100,000 → notional 999.000999 → 0.00999 BTC, holding 999.00 + 0.999.
 */
export function quantityForAmount(side: OrderSide, price: Dec, feeRate: Dec, amount: Dec, decimals: number): Dec {
  const notional = side === 'buy' ? notionalForTotal(amount, feeRate) : amount;
  return notional.div(price).toDecimalPlaces(decimals, Decimal.ROUND_DOWN);
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
