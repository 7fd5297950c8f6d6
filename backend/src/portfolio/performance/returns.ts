import Decimal from 'decimal.js';
import { Dec, dec } from '../../common/money/decimal';

/**
 * Return figures of a portfolio over a period, net of the money put in and taken out. Pure: no I/O, decimal.js
 * throughout (a rate is never computed in floating point).
 */

/** An external cash flow: money (USD) put into the portfolio (positive) or taken out of it (negative) at `at`. */
export interface CashFlow {
  at: Date;
  amount: Dec;
}

/** A flow with the portfolio's value just before it (what the sub-period that it ends grew to). */
export interface ValuedFlow extends CashFlow {
  valueBefore: Dec;
}

/**
 * Time-weighted return: the period is cut at every external flow; each sub-period's growth is the value just before
 * the next flow (or the end value) over the value just after the previous flow (or the start value), and the TWR is
 * the product of the growths minus 1. Deposits and withdrawals therefore neither add to nor take from the return.
 * A sub-period that starts at no value (before the first funding, or after everything was withdrawn) has no growth
 * and is skipped; null when no sub-period started with a value (nothing was ever invested).
 */
export function timeWeightedReturn(startValue: Dec, flows: readonly ValuedFlow[], endValue: Dec): Dec | null {
  let growth = dec(1);
  let measured = false;
  let base = startValue;
  const close = (value: Dec): void => {
    if (base.gt(0)) {
      growth = growth.mul(value.div(base));
      measured = true;
    }
  };
  for (const f of [...flows].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    close(f.valueBefore);
    base = f.valueBefore.add(f.amount);
  }
  close(endValue);
  return measured ? growth.sub(1) : null;
}

/** Money-weighted return over [from, to]: the period's rate, and the yearly one when the period is at least a year. */
export interface MoneyWeightedReturn {
  /** Over the whole period (not annualised), comparable with the time-weighted return. */
  period: Dec;
  /** Per year (XIRR), only for periods of 365 days or more (a shorter period's return is never annualised). */
  annualised: Dec | null;
}

const YEAR_MS = 365 * 86_400_000;
/** Rates are solved at this precision (the growth factor to 1e-12 is far finer than a basis point). */
const R = Decimal.clone({ precision: 32, rounding: Decimal.ROUND_HALF_EVEN });
const TOLERANCE = new R('1e-14');
/** Growth factors searched for a root: 1e-6 (−99.9999 %) to 1e6, at 97 points evenly spaced in ln. */
let grid: readonly Decimal[] | undefined;
/** Computed on the first IRR (97 exponentials at 32 digits cost a noticeable part of a start-up when done at import). */
function growthGrid(): readonly Decimal[] {
  return (grid ??= Array.from({ length: 97 }, (_, i) => (i === 48 ? new R(1) : new R(-6 + i / 8).mul(new R(10).ln()).exp())));
}
/** The index of g = 1 in the grid. */
const ONE = 48;

/**
 * Money-weighted return (internal rate of return) over [from, to]: the rate r at which the start value and the flows,
 * grown to `to`, add up to the end value:
 *
 *   startValue·g + Σ flowᵢ·g^wᵢ = endValue,   g = 1 + r,   wᵢ = (to − tᵢ) / (to − from) ∈ [0, 1]
 *
 * solved for g > 0: the growth factors of a grid (1e-6 to 1e6) are searched for a change of sign outwards from g = 1,
 * then the bracket is narrowed by Newton steps that never leave it (bisection when a step would). A flow pattern can
 * have several roots (money put in and taken out): the one nearest to no growth (g = 1) is taken. Null when the equation has no
 * root in that range ("not meaningful": e.g. nothing was invested, or all of it was taken out at once) or the period
 * is empty; never NaN.
 */
export function moneyWeightedReturn(from: Date, to: Date, startValue: Dec, flows: readonly CashFlow[], endValue: Dec): MoneyWeightedReturn | null {
  const span = to.getTime() - from.getTime();
  if (span <= 0) return null;
  const start = new R(startValue.toString());
  const end = new R(endValue.toString());
  // wᵢ = sᵢ / S in milliseconds, so g^wᵢ = x^sᵢ with x = g^(1/S): one exp per evaluation, then integer powers
  // (multiplications only; decimal.js's exp is far dearer than its multiplication).
  const terms = flows.filter((f) => !f.amount.isZero()).map((f) => ({ amount: new R(f.amount.toString()), s: Math.max(0, to.getTime() - f.at.getTime()) }));
  if (start.isZero() && terms.length === 0) return null;
  /** f(g) = startValue·g + Σ flowᵢ·g^wᵢ − endValue, and f'(g) = startValue + Σ flowᵢ·wᵢ·g^wᵢ / g. */
  const fdf = (g: Decimal): { f: Decimal; df: Decimal } => {
    const x = g.ln().div(span).exp();
    let f = start.mul(g).sub(end);
    let df = start;
    for (const t of terms) {
      const grown = t.amount.mul(x.pow(t.s));
      f = f.add(grown);
      if (t.s > 0) df = df.add(grown.mul(t.s).div(span).div(g));
    }
    return { f, df };
  };
  const f = (g: Decimal): Decimal => fdf(g).f;
  // The brackets nearest to g = 1 first, outwards (f evaluated lazily): the first change of sign found is the root
  // nearest to no growth, usually within a few evaluations.
  const GRID = growthGrid();
  const cache = new Map<number, Decimal>();
  const at = (i: number): Decimal => {
    let v = cache.get(i);
    if (!v) cache.set(i, (v = f(GRID[i])));
    return v;
  };
  const bracket = (i: number): Decimal | null => {
    if (i < 0 || i + 1 >= GRID.length) return null;
    if (at(i).isZero()) return GRID[i];
    if (at(i + 1).isZero()) return GRID[i + 1];
    return at(i).isNeg() !== at(i + 1).isNeg() ? solveBracketed(fdf, GRID[i], GRID[i + 1], at(i)) : null;
  };
  let best: Decimal | null = null;
  for (let k = 0; !best && k < ONE; k++) {
    for (const root of [bracket(ONE + k), bracket(ONE - k - 1)]) if (root && (!best || root.ln().abs().lt(best.ln().abs()))) best = root;
  }
  if (!best) return null;
  const period = dec(best.sub(1).toString());
  const annualised = span >= YEAR_MS ? dec(best.pow(new R(YEAR_MS).div(span)).sub(1).toString()) : null;
  return { period, annualised };
}

/** A root of f in [lo, hi] (f(lo) = fLo and f(hi) of opposite signs): Newton steps inside the bracket, else bisection. */
function solveBracketed(fdf: (g: Decimal) => { f: Decimal; df: Decimal }, lo: Decimal, hi: Decimal, fLo: Decimal): Decimal {
  let a = lo;
  let b = hi;
  const loNegative = fLo.isNeg();
  let x = a.add(b).div(2);
  for (let i = 0; i < 200; i++) {
    const { f, df } = fdf(x);
    if (f.isZero()) return x;
    if (f.isNeg() === loNegative) a = x;
    else b = x;
    if (b.sub(a).lte(TOLERANCE.mul(x))) return x;
    let next = df.isZero() ? null : x.sub(f.div(df));
    if (!next || next.lte(a) || next.gte(b)) next = a.add(b).div(2);
    if (next.sub(x).abs().lte(TOLERANCE.mul(x))) return next;
    x = next;
  }
  return x;
}

/** A rate as a percentage string with 2 decimals (basis points), half-even: 0.053365 → "5.34". */
export function ratePercent(rate: Dec): string {
  const s = rate.mul(100).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2);
  return s === '-0.00' ? '0.00' : s;
}
