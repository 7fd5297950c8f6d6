import Decimal from 'decimal.js';

/**
 * The one decimal type for money and quantities. Never `number`.
 * 60 significant digits covers numeric(38,18) products and quotients exactly
 * enough; rounding is explicit at every scale change.
 */
export const Dec = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -60, toExpPos: 60 });
export type Dec = Decimal;

export function dec(value: string | number | Decimal): Decimal {
  return new Dec(value);
}

/** Fixed-scale string for JSON and SQL (`"0.00150000"`), rounding down so nothing is invented. */
export function toFixedString(value: Decimal, scale: number, rounding: Decimal.Rounding = Decimal.ROUND_DOWN): string {
  const s = value.toDecimalPlaces(scale, rounding).toFixed(scale);
  return s === `-${(0).toFixed(scale)}` ? s.slice(1) : s;
}
