/**
 * Exact arithmetic on the API's non-negative decimal strings ("0.0005"), for
 * form checks and totals shown before submit: scaled BigInts, never floats.
 */
const PLAIN = /^\d+(\.\d+)?$/;

export function isPlainDecimal(v: string): boolean {
  return PLAIN.test(v);
}

/** Digits after the point. */
export function decimalPlaces(v: string): number {
  const dot = v.indexOf('.');
  return dot < 0 ? 0 : v.length - dot - 1;
}

function scaled(v: string, scale: number): bigint {
  const [int, frac = ''] = v.split('.');
  return BigInt(int + frac.padEnd(scale, '0'));
}

function unscaled(n: bigint, scale: number): string {
  if (scale === 0) return n.toString();
  const s = n.toString().padStart(scale + 1, '0');
  return `${s.slice(0, -scale)}.${s.slice(-scale)}`;
}

/** a + b, with as many decimals as the longer of the two. */
export function addDecimals(a: string, b: string): string {
  const scale = Math.max(decimalPlaces(a), decimalPlaces(b));
  return unscaled(scaled(a, scale) + scaled(b, scale), scale);
}

/** -1, 0 or 1 as a is less than, equal to or greater than b. */
export function compareDecimals(a: string, b: string): -1 | 0 | 1 {
  const scale = Math.max(decimalPlaces(a), decimalPlaces(b));
  const x = scaled(a, scale);
  const y = scaled(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * a × b for signed decimal strings ("-12.5" × "0.9512937595"), exactly, with
 * as many decimals as the two together (a display conversion: the formatter
 * rounds it to what is shown).
 */
export function multiplyDecimals(a: string, b: string): string {
  const negative = a.startsWith('-') !== b.startsWith('-');
  const x = a.replace(/^[-+]/, '');
  const y = b.replace(/^[-+]/, '');
  const scale = decimalPlaces(x) + decimalPlaces(y);
  const product = unscaled(scaled(x, decimalPlaces(x)) * scaled(y, decimalPlaces(y)), scale);
  return negative && /[1-9]/.test(product) ? `-${product}` : product;
}
