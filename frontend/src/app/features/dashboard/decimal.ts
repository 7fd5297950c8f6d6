/**
 * Exact sums and differences of the API's decimal strings (`"-12.345"`), for
 * the few figures the dashboard derives itself (cash share, "Other" share,
 * change over a range). Scaled BigInts: no float ever touches an amount.
 */

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

interface Scaled {
  units: bigint;
  scale: number;
}

function parse(v: string): Scaled {
  const m = DECIMAL.exec(v.trim());
  if (!m) throw new Error(`Not a decimal string: ${v}`);
  const frac = m[3] ?? '';
  const units = BigInt(m[2] + frac);
  return { units: m[1] ? -units : units, scale: frac.length };
}

function rescale(v: Scaled, scale: number): bigint {
  return v.units * 10n ** BigInt(scale - v.scale);
}

function format(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = scale > 0 ? '.' + digits.slice(digits.length - scale) : '';
  return (negative ? '-' : '') + int + frac;
}

export function isDecimal(v: string | null | undefined): v is string {
  return typeof v === 'string' && DECIMAL.test(v.trim());
}

/** a + b + …, at the largest scale of the operands. */
export function decSum(values: readonly string[]): string {
  const parsed = values.map(parse);
  const scale = Math.max(0, ...parsed.map((p) => p.scale));
  return format(
    parsed.reduce((sum, p) => sum + rescale(p, scale), 0n),
    scale,
  );
}

/** a − b, at the larger scale of the two. */
export function decSub(a: string, b: string): string {
  const pa = parse(a);
  const pb = parse(b);
  const scale = Math.max(pa.scale, pb.scale);
  return format(rescale(pa, scale) - rescale(pb, scale), scale);
}

/** −1, 0 or 1 as a is below, equal to or above b. */
export function decCmp(a: string, b: string): -1 | 0 | 1 {
  const d = parse(decSub(a, b)).units;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

export function decIsZero(v: string): boolean {
  return parse(v).units === 0n;
}
