import type { OrderSide, OrderTermsDto, OrderType } from '../../api/models';

/**
 * The server's pricing of an order (backend/src/orders/order-pricing.ts, orders.service.ts placeResting,
 * trade-executor.ts fillResting), rule for rule, on decimal strings: scaled BigInts, never floats. The order ticket
 * shows what these give, so its review reads what the server then posts, and checks the balance with them.
 *
 * - USD amounts are kept to 8 decimals; a buyer's notional rounds up, a seller's down; every fee is notional × rate
 *   rounded up at 8 decimals.
 * - A buy by USD amount Q spends Q in total, fee included: notional = the largest 8-decimal N with N + fee(N) ≤ Q.
 * - Market: buy by amount → quantity = N ÷ price rounded down at 18 decimals; sell by amount Q → notional Q,
 *   quantity = Q ÷ price rounded up at 18 decimals.
 * - Limit (and stop sell) by amount: quantity = (buy: N, sell: Q) ÷ its price, rounded down to the asset's decimals;
 *   then an order of that quantity. A resting buy holds its notional and fee at its price; a sell holds its quantity.
 * - Stop buy by amount: holds Q; at the crossing tick it buys as a market buy of Q (so notional and fee are known
 *   now, the quantity only at the fill).
 */

export const USD_SCALE = 8;
export const QTY_SCALE = 18;

/** A non-negative decimal as an integer count of 10^-scale. */
interface Scaled {
  n: bigint;
  scale: number;
}

const PLAIN = /^\d+(\.\d+)?$/;

function parse(v: string): Scaled {
  if (!PLAIN.test(v)) throw new Error(`not a plain decimal: ${v}`);
  const [int, frac = ''] = v.split('.');
  return { n: BigInt(int + frac), scale: frac.length };
}

const TEN = 10n;
const pow10 = (k: number): bigint => TEN ** BigInt(k);

/** `a` at `scale` decimals, rounded down or up. */
function rescale(a: Scaled, scale: number, mode: 'down' | 'up'): bigint {
  if (scale >= a.scale) return a.n * pow10(scale - a.scale);
  const d = pow10(a.scale - scale);
  const q = a.n / d;
  return mode === 'up' && q * d !== a.n ? q + 1n : q;
}

function format(n: bigint, scale: number): string {
  if (scale === 0) return n.toString();
  const s = n.toString().padStart(scale + 1, '0');
  const out = `${s.slice(0, -scale)}.${s.slice(-scale)}`.replace(/\.?0+$/, '');
  return out === '' ? '0' : out;
}

/** `v` rounded to `scale` decimals (down or up), written without trailing zeros. */
export function roundTo(v: string, scale: number, mode: 'down' | 'up'): string {
  return format(rescale(parse(v), scale, mode), scale);
}

/** a × b rounded to `scale` decimals. */
export function mul(a: string, b: string, scale: number, mode: 'down' | 'up'): string {
  const x = parse(a);
  const y = parse(b);
  return format(rescale({ n: x.n * y.n, scale: x.scale + y.scale }, scale, mode), scale);
}

/** a ÷ b rounded to `scale` decimals; b > 0. */
export function div(a: string, b: string, scale: number, mode: 'down' | 'up'): string {
  const x = parse(a);
  const y = parse(b);
  if (y.n === 0n) throw new Error('division by zero');
  // a / b = (x.n / 10^xs) / (y.n / 10^ys); scaled by 10^scale: x.n × 10^(scale + ys) / (y.n × 10^xs).
  const num = x.n * pow10(scale + y.scale);
  const den = y.n * pow10(x.scale);
  const q = num / den;
  return format(mode === 'up' && q * den !== num ? q + 1n : q, scale);
}

export function add(a: string, b: string): string {
  const scale = Math.max(parse(a).scale, parse(b).scale);
  return format(rescale(parse(a), scale, 'down') + rescale(parse(b), scale, 'down'), scale);
}

/** a − b for a ≥ b. */
export function sub(a: string, b: string): string {
  const scale = Math.max(parse(a).scale, parse(b).scale);
  const r = rescale(parse(a), scale, 'down') - rescale(parse(b), scale, 'down');
  if (r < 0n) throw new Error(`negative: ${a} - ${b}`);
  return format(r, scale);
}

export function cmp(a: string, b: string): -1 | 0 | 1 {
  const scale = Math.max(parse(a).scale, parse(b).scale);
  const x = rescale(parse(a), scale, 'down');
  const y = rescale(parse(b), scale, 'down');
  return x < y ? -1 : x > y ? 1 : 0;
}

const isZero = (v: string): boolean => cmp(v, '0') === 0;

/** The fee on a notional: rate × notional, rounded up at 8 decimals. */
export function feeOn(notional: string, feeRate: string): string {
  return mul(notional, feeRate, USD_SCALE, 'up');
}

/** The largest 8-decimal notional N with N + fee(N) ≤ total (the server's notionalForTotal). */
export function notionalForTotal(total: string, feeRate: string): string {
  const step = `0.${'0'.repeat(USD_SCALE - 1)}1`;
  let n = div(total, add('1', feeRate), USD_SCALE, 'down');
  for (let i = 0; i < 3 && !isZero(n) && cmp(add(n, feeOn(n, feeRate)), total) > 0; i++) n = sub(n, step);
  return n;
}

export interface Execution {
  quantity: string;
  /** USD traded, before the fee. */
  notional: string;
  fee: string;
}

/** What a fill at `price` trades (the server's priceExecution). */
export function priceExecution(side: OrderSide, price: string, feeRate: string, by: { quantity?: string; quoteAmount?: string }): Execution {
  let quantity: string;
  let notional: string;
  if (by.quoteAmount !== undefined) {
    notional = side === 'buy' ? notionalForTotal(by.quoteAmount, feeRate) : by.quoteAmount;
    quantity = div(notional, price, QTY_SCALE, side === 'buy' ? 'down' : 'up');
  } else {
    quantity = by.quantity ?? '0';
    notional = mul(quantity, price, USD_SCALE, side === 'buy' ? 'up' : 'down');
  }
  return { quantity, notional, fee: feeOn(notional, feeRate) };
}

/** The quantity a limit order or a stop sell placed by USD amount rests with (the server's quantityForAmount). */
export function quantityForAmount(side: OrderSide, price: string, feeRate: string, amount: string, decimals: number): string {
  const notional = side === 'buy' ? notionalForTotal(amount, feeRate) : amount;
  return div(notional, price, decimals, 'down');
}

/** What the ticket knows of an order before it is sent. */
export interface TicketOrder {
  side: OrderSide;
  type: OrderType;
  /** How the amount field is read: a quantity of the asset, or USD. */
  mode: 'quantity' | 'usd';
  /** The amount as the API takes it ("0.5", "1000"). */
  amount: string;
  /** The live price (market) or the limit or stop price. */
  price: string;
}

/** An order as the server will post it. */
export interface OrderQuote {
  /** The asset quantity; for a stop buy by USD amount the estimate at the stop price (set at the fill). */
  quantity: string;
  quantityAtFill: boolean;
  price: string;
  notional: string;
  fee: string;
  /** A buy: what it costs, fee included; a sell: what it pays, fee deducted (at `price`). */
  total: string;
  /** What leaves (or is held from) the balance now: USD for a buy, the asset for a sell. */
  pays: string;
  /** The asset `pays` is in. */
  paysIn: 'usd' | 'asset';
}

/** An order of the ticket priced as the server will price it; null when it buys or sells nothing at all. */
export function quoteOrder(o: TicketOrder, terms: Pick<OrderTermsDto, 'feeRate' | 'quantityDecimals'>): OrderQuote | null {
  const { side, type, price } = o;
  const rate = terms.feeRate;
  if (!PLAIN.test(o.amount) || !PLAIN.test(price) || isZero(price) || isZero(o.amount)) return null;
  const byAmount = o.mode === 'usd';
  let e: Execution;
  let quantityAtFill = false;
  let pays: string | null = null;
  if (type === 'market' || !byAmount) {
    e = priceExecution(side, price, rate, byAmount ? { quoteAmount: o.amount } : { quantity: o.amount });
  } else if (type === 'stop' && side === 'buy') {
    // Holds the whole amount; notional and fee are the same at any tick, the quantity is the fill's.
    e = priceExecution('buy', price, rate, { quoteAmount: o.amount });
    e = { ...e, quantity: quantityForAmount('buy', price, rate, o.amount, terms.quantityDecimals) };
    quantityAtFill = true;
    pays = o.amount;
  } else {
    const quantity = quantityForAmount(side, price, rate, o.amount, terms.quantityDecimals);
    e = priceExecution(side, price, rate, { quantity });
  }
  if (isZero(e.quantity)) return null;
  const buy = side === 'buy';
  const total = buy ? add(e.notional, e.fee) : cmp(e.notional, e.fee) >= 0 ? sub(e.notional, e.fee) : '0';
  return { ...e, price, quantityAtFill, total, pays: pays ?? (buy ? total : e.quantity), paysIn: buy ? 'usd' : 'asset' };
}

/**
 * The most the amount field can hold for this side, type and mode, as the server computes what it takes: a buy by
 * USD amount never spends or holds more than the amount, so all the USD available; a buy by quantity, the quantity
 * that amount buys at the price (rounded down to the asset's decimals); a sell by quantity, all of the asset; a sell
 * by USD amount, the asset's value at the price (rounded down to the cent's 8 decimals). Null when it needs a price
 * the ticket does not have.
 */
export function maxAmount(
  o: Omit<TicketOrder, 'amount' | 'price'> & { price: string | null },
  terms: Pick<OrderTermsDto, 'feeRate' | 'quantityDecimals' | 'usdAvailable' | 'assetAvailable'>,
): string | null {
  const usd = roundTo(terms.usdAvailable, USD_SCALE, 'down');
  const price = o.price && PLAIN.test(o.price) && !isZero(o.price) ? o.price : null;
  if (o.side === 'buy') {
    if (o.mode === 'usd') return usd;
    return price ? quantityForAmount('buy', price, terms.feeRate, usd, terms.quantityDecimals) : null;
  }
  if (o.mode === 'quantity') return roundTo(terms.assetAvailable, QTY_SCALE, 'down');
  return price ? mul(terms.assetAvailable, price, USD_SCALE, 'down') : null;
}
