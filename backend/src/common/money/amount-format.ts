import { Dec, dec } from './decimal';

/** The cash asset every price is quoted in. */
export const CASH_ASSET = 'USD';

/** Digits shown at least: USD 2, crypto 8 (more when the amount has them: nothing is ever rounded away). */
export function displayScale(asset: string): number {
  return asset === CASH_ASSET ? 2 : 8;
}

/**
 * A ledger amount as a JSON decimal string: padded to the asset's display
 * scale, never shortened below the digits it really has (numeric(38,18)
 * keeps 18), no exponent, no trailing zeros beyond the display scale.
 */
export function formatAmount(value: Dec | string, asset: string): string {
  const v = typeof value === 'string' ? dec(value) : value;
  const scale = Math.max(displayScale(asset), v.decimalPlaces());
  const s = v.toFixed(scale);
  return /^-0(\.0+)?$/.test(s) ? s.slice(1) : s;
}

/**
 * An amount for prose such as a journal description: at the asset's display
 * scale (what the client shows for the ledger amount), rounded half-even,
 * with "≈" in front when digits were dropped (the ledger amount stays exact).
 */
export function approxAmount(value: Dec | string, asset: string): string {
  const v = typeof value === 'string' ? dec(value) : value;
  const rounded = v.toDecimalPlaces(displayScale(asset));
  const s = formatAmount(rounded, asset);
  return rounded.eq(v) ? s : `≈${s}`;
}

/** A price or ratio with its own digits (trailing zeros trimmed, at least 2 decimals). */
export function formatPrice(value: Dec | string): string {
  const v = typeof value === 'string' ? dec(value) : value;
  const s = v.toFixed(Math.max(2, v.decimalPlaces()));
  return /^-0(\.0+)?$/.test(s) ? s.slice(1) : s;
}

/** Percentage with 2 decimals (half-even); "0.00" when the base is zero. */
export function percent(part: Dec, whole: Dec): string {
  if (whole.isZero()) return '0.00';
  const s = part.div(whole).mul(100).toFixed(2);
  return s === '-0.00' ? '0.00' : s;
}
